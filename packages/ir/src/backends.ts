/**
 * The training backends, by the names the CLI, run records and the runtime share: what can be
 * asked for (`auto` picks the best that loads) and what a run actually ran on.
 */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

/** Every request, in the order `--backend` lists them. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
