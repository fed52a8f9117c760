export { NIR_FILE_LIMIT, readNirFile, writeNirFile, type ReadNirFileOptions } from './files.js';
