/**
 * Cross-origin isolation headers for every response of the editor's servers (`snnc editor`, and
 * Vite's dev and preview servers; here because both the CLI and the editor's Vite config need
 * them and neither may import the other). With them the page gets SharedArrayBuffer, which
 * tfjs-wasm's threaded SIMD build and the editor's data-parallel training workers need.
 * Everything the editor loads is its own, so requiring same-origin resources costs nothing.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
