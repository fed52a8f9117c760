/**
 * Units written after numbers. Times convert to seconds and rates to hertz; a bare number in
 * a time or rate position already means seconds or hertz.
 */
export type Dimension = 'time' | 'rate';

export const UNITS: Readonly<Record<string, { dimension: Dimension; scale: number }>> = {
  s: { dimension: 'time', scale: 1 },
  ms: { dimension: 'time', scale: 1e-3 },
  us: { dimension: 'time', scale: 1e-6 },
  Hz: { dimension: 'rate', scale: 1 },
  kHz: { dimension: 'rate', scale: 1e3 },
};

export const KNOWN_UNITS: readonly string[] = Object.keys(UNITS);

export function isKnownUnit(unit: string): boolean {
  return Object.prototype.hasOwnProperty.call(UNITS, unit);
}

export function dimensionName(d: Dimension | null): string {
  return d === 'time' ? 'a time' : d === 'rate' ? 'a rate' : 'a plain number';
}
