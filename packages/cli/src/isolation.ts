/**
 * Cross-origin isolation headers for every response of the editor's servers (`snnc editor`, and
 * Vite's dev and preview servers, whose config imports this file): with them the page gets
 * SharedArrayBuffer, which tfjs-wasm's threaded SIMD build and the editor's data-parallel
 * training workers need. Everything the editor loads is its own, so requiring same-origin
 * resources costs nothing. No imports: Vite's config loads this file on its own.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
