export * from './backend/index.js';
export * from './train/index.js';
