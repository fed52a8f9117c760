export * from './backend/index.js';
export * from './train/index.js';
export * from './trace/index.js';
