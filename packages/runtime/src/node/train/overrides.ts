/** The one override applier is @snnc/ir's; re-exported for the runtime's users. */
export { applyOverrides, type RunOverrides } from '@snnc/ir';

/** Fields (dotted paths) in which two experiments differ, ignoring source ranges. */
export function experimentDiff(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? [] : [at || '(value)'];
  if (Array.isArray(a) !== Array.isArray(b)) return [at || '(value)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('range');
  const out: string[] = [];
  for (const k of keys) out.push(...experimentDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  return out;
}
