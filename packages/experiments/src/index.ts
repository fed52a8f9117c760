/**
 * @snnc/experiments (browser-safe core): run records, sweep point status and the
 * comparison report (tables, CSV/JSON/Markdown/HTML, Vega-Lite figures). Process pools,
 * run directories and the BullMQ queue live in `@snnc/experiments/node`.
 */
export * from './types.js';
export { canonicalJson } from './canonical.js';
export { applyOverrides, definedOverrides } from './overrides.js';
export { formatStatusTable, formatStatusLine, type PointStatus, type PointPhase } from './status.js';
export * from './report/index.js';
export { selectSweep } from './select-sweep.js';
