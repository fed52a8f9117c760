import { Random } from '@snnc/ir';

/**
 * Random's state as JSON-safe numbers: getState() ends with NaN when no Box-Muller value is
 * cached, and JSON turns NaN into null, so null stands for NaN here.
 */
export type RngState = (number | null)[];

export function saveRng(r: Random): RngState {
  return r.getState().map((v) => (Number.isNaN(v) ? null : v));
}

export function loadRng(state: RngState): Random {
  const r = new Random(0);
  r.setState(state.map((v) => (v === null ? NaN : v)));
  return r;
}
