export * from './model/index.js';
export * from './train/index.js';
export * from './weights/index.js';
