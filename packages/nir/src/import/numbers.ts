import type { NirDtype } from '../types.js';

/** Rounding to the precision values of `dtype` are stored with (float32 for '<f' and '<e'). */
function stored(dtype: NirDtype): (x: number) => number {
  return dtype === '<f' || dtype === '<e' ? Math.fround : (x: number) => x;
}

/**
 * The shortest decimal that reads back as the same stored value: float32 0.1 is written `0.1`,
 * not `0.10000000149011612`.
 */
export function formatNumber(v: number, dtype: NirDtype = '<d'): string {
  if (!Number.isFinite(v)) throw new Error(`formatNumber: ${v} has no .snn literal`);
  const round = stored(dtype);
  const target = round(v);
  for (let p = 1; p <= 17; p++) {
    const text = v.toPrecision(p);
    if (round(Number(text)) === target) return String(Number(text));
  }
  return String(v);
}

/** A time in seconds as a `.snn` literal with a unit: `2.5ms`, `0.2222222ms`, `1.5s`, `20us`. */
export function formatSeconds(seconds: number, dtype: NirDtype = '<d'): string {
  const digits = formatNumber(seconds, dtype);
  const p = Math.max(1, digits.replace(/^-?0\.0*/, '').replace(/[^0-9]/g, '').length);
  const scaled = (factor: number) => String(Number((Number(digits) * factor).toPrecision(p)));
  const a = Math.abs(seconds);
  if (a !== 0 && a < 1e-3) return `${scaled(1e6)}us`;
  if (a !== 0 && a < 1) return `${scaled(1e3)}ms`;
  return `${digits}s`;
}
