/** @snnc/ir/node: the file plumbing every Node-side package shares (bounded reads, atomic writes). */
export { READ_LIMITS, readRegularFile, resolveInside, writeFileAtomic, describeFsError, type ReadKind, type ReadResult } from './files.js';
