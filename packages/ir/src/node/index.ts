/** @snnc/ir/node: the file plumbing every Node-side package shares (bounded reads, atomic writes). */
export { readRegularFile, resolveInside, writeFileAtomic, describeFsError, type ReadResult } from './files.js';
export { READ_LIMITS, type ReadKind } from '../limits.js';
