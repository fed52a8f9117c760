/**
 * The ranges of IR values: what the `.snn` compiler accepts for each parameter (its parameter
 * table reads them from here) and what `validateIR` checks IR built by other means against.
 * Written once so the two cannot disagree. Times are in seconds, rates in hertz, trained-neuron
 * time constants in steps.
 */

/** What a numeric parameter accepts. Bounds are inclusive unless marked open. */
export interface NumSpec {
  integer?: boolean;
  min?: number;
  minOpen?: boolean;
  max?: number;
  maxOpen?: boolean;
  /**
   * How a `.snn` value is read: `time`: seconds or a time unit; `rate`: hertz or a rate unit;
   * `any`: either, converted (network parameters); default: a plain number.
   */
  unit?: 'none' | 'time' | 'rate' | 'any';
}

const positive: NumSpec = { min: 0, minOpen: true };
const nonNegative: NumSpec = { min: 0 };
const positiveInt: NumSpec = { integer: true, min: 1 };
const nonNegativeInt: NumSpec = { integer: true, min: 0 };
/** [0, 1): decay factors and fractions that must leave something. */
const unitOpen: NumSpec = { min: 0, max: 1, maxOpen: true };

export const IR_RANGES = {
  neuron: {
    /** Steps; tau = 1 would reset the membrane to the input each step, below 1 it overshoots. */
    tau: { min: 1, minOpen: true },
    tauAdapt: { min: 1, minOpen: true },
    beta: nonNegative,
    alpha: positive,
  },
  layer: {
    filters: positiveInt,
    kernel: positiveInt,
    stride: positiveInt,
    padding: nonNegativeInt,
    units: positiveInt,
    size: positiveInt,
    eps: positive,
    momentum: { min: 0, max: 1 },
    rate: unitOpen,
    delay: positiveInt,
  },
  encoder: {
    gain: positive,
    tau: positive,
    threshold: unitOpen,
  },
  model: {
    steps: positiveInt,
    /** Each axis of the input shape. */
    input: positiveInt,
  },
  experiment: {
    batch: positiveInt,
    epochs: positiveInt,
    seed: nonNegativeInt,
    classes: { integer: true, min: 2 },
    lr: positive,
    beta: unitOpen,
    eps: positive,
    weightDecay: nonNegative,
    momentum: unitOpen,
    minLr: nonNegative,
    std: positive,
  },
  nef: {
    dt: { ...positive, unit: 'time' },
    run: { ...positive, unit: 'time' },
    seed: nonNegativeInt,
    n: positiveInt,
    dims: positiveInt,
    radius: positive,
    /** Each end of `max_rates`; LIF neurons also need the top below 1 / tau_ref. */
    maxRate: { ...positive, unit: 'rate' },
    /** Each end of `intercepts`, in units of the radius. */
    intercept: { min: -1, max: 1, maxOpen: true },
    tauRc: { ...positive, unit: 'time' },
    tauRef: { ...nonNegative, unit: 'time' },
    minVoltage: { max: 0 },
    amplitude: positive,
    synapse: { ...nonNegative, unit: 'time' },
    noiseStd: nonNegative,
  },
} as const satisfies Record<string, Record<string, NumSpec>>;

/** Whether `v` satisfies `spec` (finite, integral if asked, within the bounds). */
export function inRange(v: number, spec: NumSpec): boolean {
  if (!Number.isFinite(v)) return false;
  if (spec.integer && !Number.isInteger(v)) return false;
  if (spec.min !== undefined && (spec.minOpen ? v <= spec.min : v < spec.min)) return false;
  if (spec.max !== undefined && (spec.maxOpen ? v >= spec.max : v > spec.max)) return false;
  return true;
}

/** A number as messages show it: integers exactly, others to 6 significant digits (as the compiler). */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** `an integer >= 1`, `a number > 0 and < 1`: the words of SNN3002 messages. */
export function rangeText(spec: NumSpec): string {
  const kind = spec.integer ? 'an integer' : 'a number';
  const lo = spec.min === undefined ? undefined : `${spec.minOpen ? '>' : '>='} ${formatValue(spec.min)}`;
  const hi = spec.max === undefined ? undefined : `${spec.maxOpen ? '<' : '<='} ${formatValue(spec.max)}`;
  if (lo && hi) return `${kind} ${lo} and ${hi}`;
  if (lo) return `${kind} ${lo}`;
  if (hi) return `${kind} ${hi}`;
  return `a finite ${spec.integer ? 'integer' : 'number'}`;
}

/**
 * LIF neurons cannot fire faster than once per refractory period: the top of `max_rates` must
 * be below 1 / tau_ref (at 1 / tau_ref the gain would be infinite), as the compiler requires.
 */
export function maxRateLimit(tauRef: number): number {
  return tauRef > 0 ? 1 / tauRef : Infinity;
}
