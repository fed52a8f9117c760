export { readNirFile, writeNirFile, NIR_FILE_LIMIT } from './files.js';
