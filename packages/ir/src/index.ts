export * from './ir.js';
export * from './expr.js';
export * from './source.js';
export * from './codes.js';
export * from './diagnostic.js';
export * from './suggest.js';
export * from './random.js';
