/** @snnc/ir/node: the file plumbing every Node-side package shares (bounded reads, atomic writes). */
export { readRegularFile, resolveInside, writeFileAtomic, describeFsError, type ReadResult } from './files.js';
export { READ_LIMITS, type ReadKind } from '../limits.js';
export { machineInfo, snncVersion, type MachineInfo } from './system.js';
export { RUN_FILES, runFiles, type RunFile } from './run-files.js';
