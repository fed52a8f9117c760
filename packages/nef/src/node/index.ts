export { runNetwork, type RunNetworkOptions, type RunResult } from './run.js';
export { writeProbesCsv } from './csv.js';
export { buildNetworkParallel } from './parallel.js';
