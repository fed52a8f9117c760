import { compileExpr, neuronStep, simulateNeuron, SnncError, type CompiledExpr, type EquationNeuron, type ExprEnv } from '@snnc/ir';

/**
 * NEF ensembles of neurons from `.snn` definitions (Izhikevich, AdEx, a user's own). Their rate
 * curve has no closed form, so it is estimated by simulating one neuron at constant currents J
 * (Nengo does the same for neuron types without an analytic rate): the rate is the spike count
 * over `MEASURE_S` after a `WARMUP_S` settling time, at the neuron's dt (the network's step).
 * Gains and biases are then solved on that curve, as for LIF: J(intercept) is the threshold
 * current, J(1) the current that gives the max rate.
 */

/** Settling time before counting spikes (adaptation, the first interspike interval), seconds. */
const WARMUP_S = 0.2;
/** Spike-counting window, seconds: rates resolve to 1/MEASURE_S = 1 Hz. */
const MEASURE_S = 1;
/** Grid points of the rate curve between the threshold and the largest current needed. */
const GRID = 48;

export interface RateCurve {
  /** Smallest current that fires (rate 0 at and below it). */
  threshold: number;
  /** Increasing currents from the threshold, and their rates in Hz. */
  j: Float64Array;
  rate: Float64Array;
}

/** Steady firing rate (Hz) of `def` under a constant input `j`. */
export function simulatedRate(def: EquationNeuron, j: number): number {
  const warm = Math.round(WARMUP_S / def.dt);
  const steps = warm + Math.round(MEASURE_S / def.dt);
  const input = new Float64Array(steps).fill(j);
  const t = simulateNeuron(def, input, def.dt);
  let count = 0;
  for (let k = warm; k < steps; k++) count += t.spikes[k]!;
  return count / ((steps - warm) * def.dt);
}

const curves = new WeakMap<EquationNeuron, RateCurve>();

/**
 * The rate curve of `def`, reaching at least `topRate` Hz (extended and cached per neuron
 * definition object). Throws when the neuron never fires (the compiler refuses non-spiking
 * neurons in ensembles; a spiking one that cannot reach the rate is a user-facing limit the
 * builder reports as SNN5103).
 */
export function rateCurve(def: EquationNeuron, topRate: number): RateCurve {
  const unreachable = (reason: string): SnncError =>
    new SnncError('SNN5103', { name: def.name, neuron: def.definition, reason, dt: def.dt, rate: Math.round(topRate) }, def.range === undefined ? {} : { range: def.range });
  const cached = curves.get(def);
  if (cached && cached.rate[cached.rate.length - 1]! >= topRate) return cached;
  // threshold: bracket [silent, firing] by doubling, then bisect
  let lo = 0;
  if (simulatedRate(def, lo) > 0) {
    let step = 1;
    while (simulatedRate(def, -step) > 0) {
      step *= 2;
      if (step > 1e9) throw unreachable('fire at every input current, with no threshold');
    }
    lo = -step;
  }
  let hi = Math.max(1, Math.abs(lo));
  while (simulatedRate(def, hi) < topRate) {
    hi *= 2;
    if (hi > 1e9) throw unreachable(`reach at most ${Math.round(simulatedRate(def, hi))} Hz for any input current up to 1e9`);
  }
  let a = lo;
  let b = hi;
  while (simulatedRate(def, b) > 0 && b - a > 1e-6 * Math.max(1, Math.abs(b))) {
    const mid = (a + b) / 2;
    if (simulatedRate(def, mid) > 0) b = mid;
    else a = mid;
    if (b - a < 1e-4 * (hi - lo)) break;
  }
  const threshold = a;
  const j = new Float64Array(GRID);
  const rate = new Float64Array(GRID);
  for (let i = 0; i < GRID; i++) {
    j[i] = threshold + ((hi - threshold) * i) / (GRID - 1);
    rate[i] = i === 0 ? 0 : simulatedRate(def, j[i]!);
  }
  // spike counts are noisy at the 1 Hz level: keep the curve non-decreasing so it inverts
  for (let i = 1; i < GRID; i++) if (rate[i]! < rate[i - 1]!) rate[i] = rate[i - 1]!;
  const curve = { threshold, j, rate };
  curves.set(def, curve);
  return curve;
}

/** Rate at current `x` by linear interpolation on the curve (0 below the threshold, linear beyond the grid). */
export function curveRate(c: RateCurve, x: number): number {
  if (x <= c.threshold) return 0;
  const n = c.j.length;
  const last = n - 1;
  if (x >= c.j[last]!) {
    const slope = (c.rate[last]! - c.rate[last - 1]!) / (c.j[last]! - c.j[last - 1]!);
    return c.rate[last]! + slope * (x - c.j[last]!);
  }
  let i = Math.floor(((x - c.j[0]!) / (c.j[last]! - c.j[0]!)) * last);
  i = Math.min(Math.max(i, 0), last - 1);
  const f = (x - c.j[i]!) / (c.j[i + 1]! - c.j[i]!);
  return c.rate[i]! + f * (c.rate[i + 1]! - c.rate[i]!);
}

/** The current giving `rate` Hz (inverse of curveRate on the increasing part). */
export function curveCurrent(c: RateCurve, rate: number): number {
  const n = c.j.length;
  for (let i = 1; i < n; i++) {
    if (c.rate[i]! >= rate) {
      const r0 = c.rate[i - 1]!;
      const r1 = c.rate[i]!;
      const f = r1 > r0 ? (rate - r0) / (r1 - r0) : 1;
      return c.j[i - 1]! + f * (c.j[i]! - c.j[i - 1]!);
    }
  }
  return c.j[n - 1]!;
}

/** Gains and biases that give `maxRates` at x = 1 and start firing at the intercepts. */
export function equationGainBias(def: EquationNeuron, maxRates: Float64Array, intercepts: Float64Array): { gain: Float64Array; bias: Float64Array } {
  const curve = rateCurve(def, Math.max(...maxRates));
  const n = maxRates.length;
  const gain = new Float64Array(n);
  const bias = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const jMax = curveCurrent(curve, maxRates[i]!);
    gain[i] = (jMax - curve.threshold) / (1 - intercepts[i]!);
    bias[i] = curve.threshold - gain[i]! * intercepts[i]!;
  }
  return { gain, bias };
}

/** The cached curve of `def` (built by equationGainBias before decoders are solved). */
export function equationCurve(def: EquationNeuron): RateCurve {
  return curves.get(def) ?? rateCurve(def, 1);
}

/**
 * One step of a population of `def` neurons: per neuron, the definition's step program in
 * float64 (the same as `snnc trace`). `voltage` holds the first state variable (the membrane,
 * for probes). `refractory` holds -(1 + remaining refractory steps) for a neuron in use, so
 * the simulator's reset (which zeroes it) tells this step to start the neuron from its initial
 * state; the other state variables live in this closure. Spikes output 1/dt, as Nengo's.
 */
export function equationStep(def: EquationNeuron, dt: number): (j: Float64Array, out: Float64Array, st: { voltage: Float64Array; refractory: Float64Array }, active: Int32Array) => number {
  const r = neuronStep(def, dt);
  if (!r.ok) throw new Error(`neuron \`${def.name}\`: ${r.reason}`);
  const prog = r.program;
  const names = def.state.map((s) => s.name);
  const env: ExprEnv & { vars: Record<string, number[]> } = { t: 0, x: [0], vars: Object.fromEntries(names.map((n) => [n, [0]])) };
  const input = def.input === 'x' ? (env.x as number[]) : (env.vars[def.input] = [0]);
  const updates = prog.updates.map((u) => ({ cell: env.vars[u.target]!, f: compileExpr(u.rhs) }));
  const resets = prog.reset.map((u) => ({ cell: env.vars[u.target]!, f: compileExpr(u.value) }));
  const left: CompiledExpr | null = prog.spike && compileExpr(prog.spike.left);
  const right: CompiledExpr | null = prog.spike && compileExpr(prog.spike.right);
  const strict = prog.spike?.op === '>';
  const cells = names.map((n) => env.vars[n]!);
  const membrane = env.vars[prog.membrane]!;
  const next = new Float64Array(updates.length);
  const spikeOut = 1 / dt;
  let state: Float64Array[] = [];
  return (j, out, st, active) => {
    const n = j.length;
    if (state.length === 0 || state[0]!.length !== n) state = names.map(() => new Float64Array(n));
    const ref = st.refractory;
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      if (ref[i] === 0) {
        // fresh (created or reset): the definition's initial state
        for (let k = 0; k < cells.length; k++) state[k]![i] = prog.init[k]!.value;
        ref[i] = -1;
      }
      for (let k = 0; k < cells.length; k++) cells[k]![0] = state[k]![i]!;
      input[0] = j[i]!;
      const held = membrane[0]!;
      if (prog.sequential) for (const u of updates) u.cell[0] = u.f(env);
      else {
        for (let k = 0; k < updates.length; k++) next[k] = updates[k]!.f(env);
        for (let k = 0; k < updates.length; k++) updates[k]!.cell[0] = next[k]!;
      }
      let fired = false;
      if (ref[i]! < -1) {
        membrane[0] = held;
        ref[i] = ref[i]! + 1;
      } else if (left && right) {
        const d = left(env) - right(env);
        fired = strict ? d > 0 : d >= 0;
      }
      if (fired) {
        for (const u of resets) u.cell[0] = u.f(env);
        ref[i] = -1 - prog.refractorySteps;
        out[i] = spikeOut;
        active[cnt++] = i;
      } else out[i] = 0;
      for (let k = 0; k < cells.length; k++) state[k]![i] = cells[k]![0]!;
      st.voltage[i] = membrane[0]!;
    }
    return cnt;
  };
}
