import { SnncError } from './diagnostic.js';
import type { DiagnosticCode } from './codes.js';
import type { SourceRange } from './source.js';
import { formatValue, inRange, rangeText, type NumSpec } from './validate-ranges.js';

/** Collects problems; each check continues after a problem where later checks still make sense. */
export class Problems {
  readonly list: SnncError[] = [];

  add(code: DiagnosticCode, args: Record<string, string | number>, range: SourceRange | undefined, hint?: string): void {
    const options: { range?: SourceRange; hint?: string } = {};
    if (range !== undefined) options.range = range;
    if (hint !== undefined) options.hint = hint;
    this.list.push(new SnncError(code, args, options));
  }

  /** A number in its range, or SNN3002 naming the parameter; false after reporting. */
  number(name: string, value: number, spec: NumSpec, range: SourceRange | undefined): boolean {
    if (inRange(value, spec)) return true;
    this.add('SNN3002', { name, constraint: rangeText(spec), value: Number.isFinite(value) ? formatValue(value) : String(value) }, range);
    return false;
  }

  /** `[lo, hi]` with both ends in range and lo <= hi. */
  range(name: string, value: readonly number[], spec: NumSpec, range: SourceRange | undefined): boolean {
    const [lo, hi] = value;
    if (value.length === 2 && lo !== undefined && hi !== undefined && inRange(lo, spec) && inRange(hi, spec) && lo <= hi) return true;
    this.add('SNN3002', { name, constraint: `a range [low, high] with low <= high, each ${rangeText(spec)}`, value: `[${value.join(', ')}]` }, range);
    return false;
  }

  get count(): number {
    return this.list.length;
  }
}
