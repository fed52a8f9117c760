import { assertNever } from '@snnc/ir';
import type { BuiltConnection, BuiltEnsemble, BuiltNetwork, BuiltProbe } from './built.js';
import { learnedShape } from './build.js';
import { align16, newKernelInstance } from './kernels.js';
import { makeRule, type RuleRuntime } from './learning.js';
import { makeLifWasmStep, makeNeuronStep, type LifCurrent, type LifPointers, type NeuronState, type NeuronStep } from './neurons.js';
import { makeSignal, type SignalFn } from './signals.js';
import { FilterState } from './synapses.js';

export { lowpassDecay } from './synapses.js';

/** A probe's recording so far: one Float64Array per recorded column, all `length` long. */
export interface ProbeData {
  name: string;
  dims: number;
  /** Column names for CSV headers: `name` for one column, `name[i]` otherwise. */
  columns: string[];
  data: Float64Array[];
  /** The probe's `expect` evaluated at every step, or null. */
  expected: Float64Array[] | null;
}

export interface RunOptions {
  /** Called after every chunk of `chunkSteps` steps (default 100) and at the end. */
  onChunk?: (sim: Simulator) => void;
  chunkSteps?: number;
}

export interface Simulator {
  readonly built: BuiltNetwork;
  readonly dt: number;
  /** Steps taken since creation or the last reset. */
  readonly steps: number;
  /** Simulated time, s: steps * dt. */
  readonly time: number;
  /** Advances one step of dt. */
  step(): void;
  /** Advances round(seconds / dt) steps. */
  run(seconds: number, opts?: RunOptions): void;
  runSteps(steps: number, opts?: RunOptions): void;
  /**
   * Like `run`, but yields to the event loop between chunks so that a web worker can take
   * messages (slider moves through `setInput`, a stop request through `signal`).
   */
  runAsync(seconds: number, opts?: RunOptions & { signal?: AbortSignal }): Promise<void>;
  /**
   * Replaces an input's signal with this constant value from the next step on (for
   * sliders). Works for any input; the value must have the input's dimensions.
   */
  setInput(name: string, value: readonly number[]): void;
  /** Times of the recorded steps (t = dt, 2 dt, ...), a view of `steps` values. */
  times(): Float64Array;
  /** A probe's recording so far (views into the simulator's buffers, no copies). */
  probe(name: string): ProbeData;
  probeNames(): string[];
  /**
   * Per ensemble (built order), the neurons with non-zero output summed over the steps since
   * creation or reset: spikes for spiking neurons (activity.ts turns them into rates and SynOps).
   */
  spikeCounts(): Float64Array;
  /** Back to t = 0 with the initial state; inputs changed by `setInput` keep their value. */
  reset(): void;
}

const DEFAULT_CHUNK = 100;

interface ConnRuntime {
  c: BuiltConnection;
  /** For a function of a sliced input: the sliced value and the expression environment. */
  fnEnv: { t: number; x: Float64Array; vars: Record<string, Float64Array> } | null;
  /** The source rows this run uses (a copy when learned, so `reset` restores them). */
  rows: Float64Array | null;
  u: Float64Array;
  v: Float64Array;
  /** The synapse (width or post dims wide), null without one. */
  filter: FilterState | null;
  /** The value delivered to the post this step (read by Voja). */
  delivered: Float64Array;
}

interface ProbeRuntime {
  p: BuiltProbe;
  value: Float64Array;
  filter: FilterState | null;
  buffers: Float64Array[];
  expected: Float64Array[] | null;
  columns: string[];
}

/** Every ensemble's neuron arrays; LIF populations live in a wasm instance's memory. */
interface Populations {
  x: Float64Array[];
  jIn: Float64Array[];
  out: Float64Array[];
  active: Int32Array[];
  states: NeuronState[];
  steppers: NeuronStep[];
  activeCount: Int32Array;
  encodedByKernel: boolean[];
  hasDirect: boolean[];
  /** Scaled encoders this run uses (copies for ensembles whose encoders Voja learns). */
  encoders: Float64Array[];
}

function allocatePopulations(built: BuiltNetwork): Populations {
  const { dt } = built;
  const ens = built.ensembles;
  const vojaPost = new Set(built.connections.filter((c) => c.learning?.rule.kind === 'voja').map((c) => c.learning!.post));
  const x = ens.map((e) => new Float64Array(e.dims));
  const p: Populations = { x, jIn: [], out: [], active: [], states: [], steppers: [], activeCount: new Int32Array(ens.length), encodedByKernel: [], hasDirect: [], encoders: [] };
  p.hasDirect = ens.map((_, i) => built.connections.some((c) => c.post.kind === 'neurons' && c.post.ensemble === i));
  p.encoders = ens.map((e, i) => (vojaPost.has(i) ? Float64Array.from(e.scaledEncoders) : e.scaledEncoders));
  // LIF populations live in the memory of their own wasm instance and step on its SIMD
  // kernel (bit-identical to the TypeScript loop, about twice as fast); other neuron types,
  // and every type where WebAssembly SIMD is missing, use plain arrays.
  const onKernel = (e: BuiltEnsemble): boolean => e.neuron.kind === 'lif' && dt / e.neuron.tauRc <= 0.1;
  const lanes = (n: number): number => n + (n & 1);
  // 1-D LIF ensembles also encode on the kernel (J = bias + enc x[0] (+ direct input)),
  // unless Voja changes their encoders during the run
  const encodes = (e: BuiltEnsemble, i: number): boolean => onKernel(e) && e.dims === 1 && !vojaPost.has(i);
  const kernelBytes = ens.reduce((s, e, i) => (onKernel(e) ? s + (encodes(e, i) ? 6 : 4) * align16(lanes(e.n) * 8) + align16(lanes(e.n) * 4) : s), 0);
  const kernel = kernelBytes > 0 ? newKernelInstance(kernelBytes) : null;
  let at = 0;
  const take = (bytes: number): number => {
    const q = at;
    at += align16(bytes);
    return q;
  };
  ens.forEach((e, ei) => {
    if (kernel !== null && e.neuron.kind === 'lif' && onKernel(e)) {
      const buf = kernel.memory.buffer;
      const l = lanes(e.n);
      const ptrs: LifPointers = { j: take(l * 8), v: take(l * 8), ref: take(l * 8), out: take(l * 8), active: take(l * 4), bias: 0, enc: 0, lanes: l };
      let current: LifCurrent = { kind: 'given' };
      if (encodes(e, ei)) {
        ptrs.bias = take(l * 8);
        ptrs.enc = take(l * 8);
        new Float64Array(buf, ptrs.bias, e.n).set(e.bias);
        new Float64Array(buf, ptrs.enc, e.n).set(e.scaledEncoders);
        current = { kind: p.hasDirect[ei] ? 'encode' : 'encode-only', x: x[ei]! };
      }
      p.encodedByKernel.push(current.kind !== 'given');
      p.jIn.push(new Float64Array(buf, ptrs.j, e.n));
      p.out.push(new Float64Array(buf, ptrs.out, e.n));
      p.active.push(new Int32Array(buf, ptrs.active, l));
      p.states.push({ voltage: new Float64Array(buf, ptrs.v, e.n), refractory: new Float64Array(buf, ptrs.ref, e.n) });
      p.steppers.push(makeLifWasmStep(e.neuron, dt, kernel, ptrs, current));
    } else {
      p.encodedByKernel.push(false);
      p.jIn.push(new Float64Array(e.n));
      p.out.push(new Float64Array(e.n));
      p.active.push(new Int32Array(e.n));
      p.states.push({ voltage: new Float64Array(e.n), refractory: new Float64Array(e.n) });
      p.steppers.push(makeNeuronStep(e.neuron, dt));
    }
  });
  return p;
}

function connectionRuntime(c: BuiltConnection, built: BuiltNetwork, inputVars: Record<string, Float64Array>): ConnRuntime {
  const src = c.source;
  const stateLen = c.filterBeforeTransform ? c.width : c.post.dims;
  const learnsRows = c.learning !== null && c.learning.rule.kind !== 'voja';
  return {
    c,
    fnEnv: src.kind === 'input' && src.fn !== null ? { t: 0, x: new Float64Array(src.slice?.length ?? built.inputs[src.input]!.dims), vars: inputVars } : null,
    rows: src.kind === 'neurons' ? (learnsRows ? Float64Array.from(src.rows) : src.rows) : null,
    u: new Float64Array(c.width),
    v: new Float64Array(c.post.dims),
    filter: c.synapse === null ? null : FilterState.of(c.synapse, built.dt, stateLen),
    delivered: new Float64Array(c.post.dims),
  };
}

export function createSimulator(built: BuiltNetwork): Simulator {
  const { dt } = built;
  const ens = built.ensembles;
  const inputVals = built.inputs.map((i) => new Float64Array(i.dims));
  const signals: SignalFn[] = built.inputs.map((i) => makeSignal(i.signal, i.dims, dt, i.exprs, i.noiseSeed));
  const overridden = new Map<number, Float64Array>();
  const inputVars: Record<string, Float64Array> = {};
  built.inputs.forEach((inp, i) => (inputVars[inp.name] = inputVals[i]!));
  const plainInputs = built.inputs.map((inp, i) => (inp.sizeIn === 0 ? i : -1)).filter((i) => i >= 0);
  // a computing node's summed input and its expression environment
  const nodeX = built.inputs.map((inp) => new Float64Array(inp.sizeIn));
  const nodeEnv = built.inputs.map((_, i) => ({ t: 0, x: nodeX[i]!, vars: inputVars }));

  const pop = allocatePopulations(built);
  const { x, jIn, out, active, states, steppers, activeCount, encodedByKernel, hasDirect, encoders } = pop;

  const conns: ConnRuntime[] = built.connections.map((c) => connectionRuntime(c, built, inputVars));
  const incomingEns: ConnRuntime[][] = ens.map(() => []);
  const incomingNode: ConnRuntime[][] = built.inputs.map(() => []);
  const incomingRule: ConnRuntime[][] = built.connections.map(() => []);
  for (const cr of conns) {
    const post = cr.c.post;
    switch (post.kind) {
      case 'ensemble':
      case 'neurons':
        incomingEns[post.ensemble]!.push(cr);
        break;
      case 'node':
        incomingNode[post.input]!.push(cr);
        break;
      case 'rule':
        incomingRule[post.connection]!.push(cr);
        break;
      default:
        assertNever(post);
    }
  }
  const filtered = conns.filter((cr) => cr.filter !== null);

  // learning rules: their signals (PES error, Voja learning signal) and run-time state
  const ruleSignal = built.connections.map((c) => new Float64Array(c.learning?.signalDims ?? 0));
  /** `gather`: a sliced pre's activities, copied into `buf` each step. */
  const rules: { conn: number; rt: RuleRuntime; gather: { buf: Float64Array; from: Float64Array; slice: Int32Array } | null }[] = [];
  built.connections.forEach((c, ci) => {
    const l = c.learning;
    if (l === null) return;
    const cr = conns[ci]!;
    const voja = l.rule.kind === 'voja';
    const post = ens[l.post]!;
    const src = c.source;
    const gather = l.pre !== null && src.kind === 'neurons' && src.slice !== null ? { buf: new Float64Array(src.slice.length), from: out[l.pre]!, slice: src.slice } : null;
    const preOut = l.pre === null ? null : gather !== null ? gather.buf : out[l.pre]!;
    rules.push({
      gather,
      conn: ci,
      rt: makeRule({
        rule: l.rule,
        dt,
        weights: voja ? encoders[l.post]! : cr.rows!,
        width: voja ? post.dims : c.width,
        preOut,
        postOut: out[l.post]!,
        signal: ruleSignal[ci]!,
        delivered: voja ? cr.delivered : null,
        encoderScale: voja ? post.gain.map((g) => g / post.radius) : null,
      }),
    });
  });
  let capacity = Math.max(16, built.steps);
  let tBuf: Float64Array = new Float64Array(capacity);
  const probes: ProbeRuntime[] = built.probes.map((p) => ({
    p,
    value: new Float64Array(p.dims),
    filter: p.synapse === null ? null : FilterState.of(p.synapse, dt, p.dims),
    buffers: Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    expected: p.expectFns === null ? null : Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    columns: p.dims === 1 ? [p.name] : Array.from({ length: p.dims }, (_, i) => `${p.name}[${i}]`),
  }));
  const probeByName = new Map(probes.map((pr) => [pr.p.name, pr]));
  const exprEnv = { t: 0, x: new Float64Array(0), vars: inputVars };

  let steps = 0;
  const spikeTotals = new Float64Array(ens.length);

  function init(): void {
    steps = 0;
    ens.forEach((e, i) => {
      states[i]!.voltage.set(e.initialVoltage);
      states[i]!.refractory.fill(0);
      out[i]!.fill(0);
      activeCount[i] = 0;
      spikeTotals[i] = 0;
      if (encoders[i] !== e.scaledEncoders) encoders[i]!.set(e.scaledEncoders);
    });
    for (const cr of conns) {
      cr.filter?.reset();
      const src = cr.c.source;
      if (cr.rows !== null && src.kind === 'neurons' && cr.rows !== src.rows) cr.rows.set(src.rows);
    }
    for (const r of rules) r.rt.reset();
    for (const pr of probes) pr.filter?.reset();
    built.inputs.forEach((inp, i) => {
      if (!overridden.has(i)) signals[i] = makeSignal(inp.signal, inp.dims, dt, inp.exprs, inp.noiseSeed);
    });
  }

  function grow(): void {
    capacity *= 2;
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    tBuf = g(tBuf);
    for (const pr of probes) {
      pr.buffers = pr.buffers.map(g);
      if (pr.expected !== null) pr.expected = pr.expected.map(g);
    }
  }

  /** u = the connection's source value this step (before transform and filter). */
  function sourceValue(cr: ConnRuntime): Float64Array {
    const s = cr.c.source;
    const u = cr.u;
    if (s.kind === 'input') {
      const val = inputVals[s.input]!;
      if (s.fn === null) {
        if (s.slice === null) u.set(val);
        else for (let i = 0; i < s.slice.length; i++) u[i] = val[s.slice[i]!]!;
      } else {
        const env = cr.fnEnv!;
        env.t = steps * dt;
        if (s.slice === null) env.x.set(val);
        else for (let i = 0; i < s.slice.length; i++) env.x[i] = val[s.slice[i]!]!;
        for (let i = 0; i < s.fn.length; i++) u[i] = s.fn[i]!(env);
      }
      return u;
    }
    u.fill(0);
    const w = cr.c.width;
    const rows = cr.rows!;
    const o = out[s.ensemble]!;
    if (s.slice === null) {
      const act = active[s.ensemble]!;
      const cnt = activeCount[s.ensemble]!;
      for (let q = 0; q < cnt; q++) {
        const i = act[q]!;
        const a = o[i]!;
        const base = i * w;
        for (let c = 0; c < w; c++) u[c] = u[c]! + a * rows[base + c]!;
      }
    } else {
      for (let j = 0; j < s.slice.length; j++) {
        const a = o[s.slice[j]!]!;
        if (a === 0) continue;
        const base = j * w;
        for (let c = 0; c < w; c++) u[c] = u[c]! + a * rows[base + c]!;
      }
    }
    return u;
  }

  function applyTransform(cr: ConnRuntime, u: Float64Array): Float64Array {
    const t = cr.c.transform;
    if (t === null) return u;
    const v = cr.v;
    const w = cr.c.width;
    for (let r = 0; r < v.length; r++) {
      let s = 0;
      for (let c = 0; c < w; c++) s += t[r * w + c]! * u[c]!;
      v[r] = s;
    }
    return v;
  }

  /** The value a connection delivers this step: its synapse's output, or this step's value. */
  function deliveredValue(cr: ConnRuntime): Float64Array {
    if (cr.filter === null) return applyTransform(cr, sourceValue(cr));
    return cr.c.filterBeforeTransform ? applyTransform(cr, cr.filter.output) : cr.filter.output;
  }

  function deliver(cr: ConnRuntime, dst: Float64Array): void {
    const v = deliveredValue(cr);
    const sl = cr.c.post.slice;
    const scale = cr.c.postScale;
    if (cr.c.learning?.rule.kind === 'voja') cr.delivered.set(v);
    if (sl === null) {
      if (scale === null) for (let i = 0; i < v.length; i++) dst[i] = dst[i]! + v[i]!;
      else for (let i = 0; i < v.length; i++) dst[i] = dst[i]! + scale[i]! * v[i]!;
    } else if (scale === null) for (let i = 0; i < sl.length; i++) dst[sl[i]!] = dst[sl[i]!]! + v[i]!;
    else for (let i = 0; i < sl.length; i++) dst[sl[i]!] = dst[sl[i]!]! + scale[i]! * v[i]!;
  }

  function stepEnsemble(ei: number): void {
    const e = ens[ei]!;
    const xe = x[ei]!;
    const je = jIn[ei]!;
    xe.fill(0);
    if (hasDirect[ei] || !encodedByKernel[ei]) je.fill(0);
    for (const cr of incomingEns[ei]!) deliver(cr, cr.c.post.kind === 'neurons' ? je : xe);
    // J = bias + (encoders * gain / radius) . x + direct neuron input (in the kernel for
    // 1-D LIF ensembles)
    if (encodedByKernel[ei]) {
      activeCount[ei] = steppers[ei]!(je, out[ei]!, states[ei]!, active[ei]!);
      spikeTotals[ei] = spikeTotals[ei]! + activeCount[ei]!;
      return;
    }
    const d = e.dims;
    const enc = encoders[ei]!;
    const bias = e.bias;
    if (d === 1) {
      const x0 = xe[0]!;
      for (let i = 0; i < e.n; i++) je[i] = je[i]! + bias[i]! + enc[i]! * x0;
    } else {
      for (let i = 0; i < e.n; i++) {
        let s = bias[i]!;
        for (let k = 0; k < d; k++) s += enc[i * d + k]! * xe[k]!;
        je[i] = je[i]! + s;
      }
    }
    activeCount[ei] = steppers[ei]!(je, out[ei]!, states[ei]!, active[ei]!);
    spikeTotals[ei] = spikeTotals[ei]! + activeCount[ei]!;
  }

  /** A computing node: its output is its expressions of `t` and its summed input `x`. */
  function stepNode(ii: number, t: number): void {
    const xn = nodeX[ii]!;
    xn.fill(0);
    for (const cr of incomingNode[ii]!) deliver(cr, xn);
    const fixed = overridden.get(ii);
    if (fixed !== undefined) {
      inputVals[ii]!.set(fixed);
      return;
    }
    const env = nodeEnv[ii]!;
    env.t = t;
    const fns = built.inputs[ii]!.exprs;
    const val = inputVals[ii]!;
    if (fns === null) signals[ii]!(t, val);
    else for (let k = 0; k < fns.length; k++) val[k] = fns[k]!(env);
  }

  /** Rule signals read this step's deliveries (before the synapses advance), like ensembles. */
  function readRuleSignals(): void {
    for (const { conn } of rules) {
      const sig = ruleSignal[conn]!;
      const inc = incomingRule[conn]!;
      if (built.connections[conn]!.learning!.rule.kind === 'voja' && inc.length === 0) {
        sig[0] = 1; // Voja learns unless a connection says otherwise (Nengo's default)
        continue;
      }
      sig.fill(0);
      for (const cr of inc) deliver(cr, sig);
    }
  }

  /** Weight updates, after the connections have used this step's weights. */
  function applyRules(): void {
    for (const r of rules) {
      const g = r.gather;
      if (g !== null) for (let j = 0; j < g.slice.length; j++) g.buf[j] = g.from[g.slice[j]!]!;
      r.rt.apply();
    }
  }

  function recordProbes(row: number, t: number): void {
    // stored rounded to 12 significant digits so that CSV shows 0.009, not 0.009000000000000001
    tBuf[row] = +t.toPrecision(12);
    exprEnv.t = t;
    for (const pr of probes) {
      const val = probeValue(pr);
      const f = pr.filter;
      if (f === null) {
        for (let c = 0; c < val.length; c++) pr.buffers[c]![row] = val[c]!;
      } else {
        // a probe's filter also reads its input one step late, as in Nengo
        const y = f.output;
        for (let c = 0; c < val.length; c++) pr.buffers[c]![row] = y[c]!;
        f.step(val);
      }
      if (pr.expected !== null) {
        const fns = pr.p.expectFns!;
        for (let c = 0; c < fns.length; c++) pr.expected[c]![row] = fns[c]!(exprEnv);
      }
    }
  }

  function probeValue(pr: ProbeRuntime): Float64Array {
    const s = pr.p.source;
    const v = pr.value;
    switch (s.kind) {
      case 'input': {
        const val = inputVals[s.input]!;
        if (s.slice === null) v.set(val);
        else for (let i = 0; i < s.slice.length; i++) v[i] = val[s.slice[i]!]!;
        return v;
      }
      case 'decoded': {
        v.fill(0);
        const w = pr.p.dims;
        const o = out[s.ensemble]!;
        const act = active[s.ensemble]!;
        const cnt = activeCount[s.ensemble]!;
        for (let q = 0; q < cnt; q++) {
          const i = act[q]!;
          const a = o[i]!;
          for (let c = 0; c < w; c++) v[c] = v[c]! + a * s.decoders[i * w + c]!;
        }
        return v;
      }
      case 'spikes':
      case 'voltage': {
        const src = s.kind === 'spikes' ? out[s.ensemble]! : states[s.ensemble]!.voltage;
        if (s.slice === null) v.set(src);
        else for (let i = 0; i < s.slice.length; i++) v[i] = src[s.slice[i]!]!;
        return v;
      }
      case 'weights':
      case 'weights_norm':
        return learnedValue(s.connection, s.kind === 'weights_norm', v);
      default: {
        const never: never = s;
        throw new Error(`unknown probe source ${JSON.stringify(never)}`);
      }
    }
  }

  /** A connection's learned matrix in Nengo's layout (post x pre; Voja: n x dims), or its norm. */
  function learnedValue(ci: number, norm: boolean, v: Float64Array): Float64Array {
    const c = built.connections[ci]!;
    const voja = c.learning?.rule.kind === 'voja';
    const m = voja ? encoders[c.learning!.post]! : (conns[ci]!.rows ?? new Float64Array(0));
    if (norm) {
      let s = 0;
      for (let i = 0; i < m.length; i++) s += m[i]! * m[i]!;
      v[0] = Math.sqrt(s);
      return v;
    }
    if (voja) {
      v.set(m);
      return v;
    }
    const { rows, cols } = learnedShape(c, ens);
    // stored pre-major (pre i, post o at i * rows + o); recorded post-major as Nengo's weights
    for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) v[o * cols + i] = m[i * rows + o]!;
    return v;
  }

  function stepOnce(): void {
    steps++;
    const t = steps * dt;
    for (const i of plainInputs) {
      const fixed = overridden.get(i);
      if (fixed !== undefined) inputVals[i]!.set(fixed);
      else signals[i]!(t, inputVals[i]!);
    }
    for (const unit of built.order) {
      if (unit.kind === 'ensemble') stepEnsemble(unit.index);
      else stepNode(unit.index, t);
    }
    if (rules.length > 0) readRuleSignals();
    // synapses see this step's values; their targets read the result next step (Nengo's
    // update ordering, which delays every filtered connection by one step)
    for (const cr of filtered) cr.filter!.step(cr.c.filterBeforeTransform ? sourceValue(cr) : applyTransform(cr, sourceValue(cr)));
    // learning changes the weights for the next step
    if (rules.length > 0) applyRules();
    if (steps > capacity) grow();
    recordProbes(steps - 1, t);
  }
  function runSteps(n: number, opts: RunOptions = {}): void {
    const chunk = Math.max(1, opts.chunkSteps ?? DEFAULT_CHUNK);
    let left = n;
    while (left > 0) {
      const k = Math.min(chunk, left);
      for (let i = 0; i < k; i++) stepOnce();
      left -= k;
      opts.onChunk?.(sim);
    }
  }

  init();

  const sim: Simulator = {
    built,
    dt,
    get steps() {
      return steps;
    },
    get time() {
      return steps * dt;
    },
    step: stepOnce,
    run(seconds, opts) {
      runSteps(Math.round(seconds / dt), opts);
    },
    runSteps,
    async runAsync(seconds, opts = {}) {
      const chunk = Math.max(1, opts.chunkSteps ?? DEFAULT_CHUNK);
      let left = Math.round(seconds / dt);
      while (left > 0 && !opts.signal?.aborted) {
        const k = Math.min(chunk, left);
        for (let i = 0; i < k; i++) stepOnce();
        left -= k;
        opts.onChunk?.(sim);
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
    },
    setInput(name, value) {
      const i = built.inputs.findIndex((inp) => inp.name === name);
      if (i < 0) throw new Error(`setInput: no input named ${name} (inputs: ${built.inputs.map((inp) => inp.name).join(', ') || 'none'})`);
      const dims = built.inputs[i]!.dims;
      if (value.length !== dims) throw new Error(`setInput: input ${name} has ${dims} dimension(s), got ${value.length} value(s)`);
      if (!value.every(Number.isFinite)) throw new Error(`setInput: values for ${name} must be finite numbers`);
      overridden.set(i, Float64Array.from(value));
    },
    times() {
      return tBuf.subarray(0, steps);
    },
    probe(name) {
      const pr = probeByName.get(name);
      if (pr === undefined) throw new Error(`probe: no probe named ${name} (probes: ${[...probeByName.keys()].join(', ') || 'none'})`);
      return {
        name,
        dims: pr.p.dims,
        columns: pr.columns,
        data: pr.buffers.map((b) => b.subarray(0, steps)),
        expected: pr.expected?.map((b) => b.subarray(0, steps)) ?? null,
      };
    },
    probeNames() {
      return probes.map((pr) => pr.p.name);
    },
    spikeCounts() {
      return spikeTotals.slice();
    },
    reset() {
      init();
    },
  };
  return sim;
}
