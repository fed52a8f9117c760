/** The one override applier is @snnc/ir's; re-exported for this package's users. */
export { applyOverrides, definedOverrides } from '@snnc/ir';
