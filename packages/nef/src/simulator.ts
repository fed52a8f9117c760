import type { BuiltConnection, BuiltNetwork, BuiltProbe } from './built.js';
import { align16, newKernelInstance } from './kernels.js';
import { makeLifWasmStep, makeNeuronStep, type LifCurrent, type LifPointers, type NeuronState, type NeuronStep } from './neurons.js';
import { makeSignal, type SignalFn } from './signals.js';

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
  /** Back to t = 0 with the initial state; inputs changed by `setInput` keep their value. */
  reset(): void;
}

const DEFAULT_CHUNK = 100;

/** Lowpass coefficient a = exp(-dt / tau) (Nengo's zero-order-hold discretisation). */
export function lowpassDecay(tau: number, dt: number): number {
  return tau > 0 ? Math.exp(-dt / tau) : 0;
}

interface ConnRuntime {
  c: BuiltConnection;
  /** For a function of a sliced input: the sliced value and the expression environment. */
  fnEnv: { t: number; x: Float64Array; vars: Record<string, Float64Array> } | null;
  u: Float64Array;
  v: Float64Array;
  /** Filter state (width or post dims long), null without a synapse. */
  state: Float64Array | null;
  a: number;
}

interface ProbeRuntime {
  p: BuiltProbe;
  value: Float64Array;
  state: Float64Array | null;
  a: number;
  buffers: Float64Array[];
  expected: Float64Array[] | null;
  columns: string[];
}

export function createSimulator(built: BuiltNetwork): Simulator {
  const { dt } = built;
  const ens = built.ensembles;
  const inputVals = built.inputs.map((i) => new Float64Array(i.dims));
  const signals: SignalFn[] = built.inputs.map((i) => makeSignal(i.signal, i.dims, dt, i.exprs, i.noiseSeed));
  const overridden = new Map<number, Float64Array>();
  const inputVars: Record<string, Float64Array> = {};
  built.inputs.forEach((inp, i) => (inputVars[inp.name] = inputVals[i]!));

  const x = ens.map((e) => new Float64Array(e.dims));
  const jIn: Float64Array[] = [];
  const out: Float64Array[] = [];
  const active: Int32Array[] = [];
  const states: NeuronState[] = [];
  const steppers: NeuronStep[] = [];
  const activeCount = new Int32Array(ens.length);
  // LIF populations live in the memory of their own wasm instance and step on its SIMD
  // kernel (bit-identical to the TypeScript loop, about twice as fast); other neuron types,
  // and every type where WebAssembly SIMD is missing, use plain arrays.
  const onKernel = (e: (typeof ens)[number]): boolean => e.neuron.kind === 'lif' && dt / e.neuron.tauRc <= 0.1;
  const lanes = (n: number): number => n + (n & 1);
  // 1-D LIF ensembles also encode on the kernel (J = bias + enc x[0] (+ direct input))
  const encodes = (e: (typeof ens)[number]): boolean => onKernel(e) && e.dims === 1;
  const hasDirect = ens.map((_, i) => built.connections.some((c) => c.post.ensemble === i && c.post.kind === 'neurons'));
  const kernelBytes = ens
    .filter(onKernel)
    .reduce((s, e) => s + (encodes(e) ? 6 : 4) * align16(lanes(e.n) * 8) + align16(lanes(e.n) * 4), 0);
  const kernel = kernelBytes > 0 ? newKernelInstance(kernelBytes) : null;
  let at = 0;
  const take = (bytes: number): number => {
    const p = at;
    at += align16(bytes);
    return p;
  };
  const encodedByKernel: boolean[] = [];
  ens.forEach((e, ei) => {
    if (kernel !== null && e.neuron.kind === 'lif' && onKernel(e)) {
      const buf = kernel.memory.buffer;
      const l = lanes(e.n);
      const ptrs: LifPointers = { j: take(l * 8), v: take(l * 8), ref: take(l * 8), out: take(l * 8), active: take(l * 4), bias: 0, enc: 0, lanes: l };
      let current: LifCurrent = { kind: 'given' };
      if (encodes(e)) {
        ptrs.bias = take(l * 8);
        ptrs.enc = take(l * 8);
        new Float64Array(buf, ptrs.bias, e.n).set(e.bias);
        new Float64Array(buf, ptrs.enc, e.n).set(e.scaledEncoders);
        current = { kind: hasDirect[ei] ? 'encode' : 'encode-only', x: x[ei]! };
      }
      encodedByKernel.push(current.kind !== 'given');
      jIn.push(new Float64Array(buf, ptrs.j, e.n));
      out.push(new Float64Array(buf, ptrs.out, e.n));
      active.push(new Int32Array(buf, ptrs.active, l));
      states.push({ voltage: new Float64Array(buf, ptrs.v, e.n), refractory: new Float64Array(buf, ptrs.ref, e.n) });
      steppers.push(makeLifWasmStep(e.neuron, dt, kernel, ptrs, current));
    } else {
      encodedByKernel.push(false);
      jIn.push(new Float64Array(e.n));
      out.push(new Float64Array(e.n));
      active.push(new Int32Array(e.n));
      states.push({ voltage: new Float64Array(e.n), refractory: new Float64Array(e.n) });
      steppers.push(makeNeuronStep(e.neuron, dt));
    }
  });

  const conns: ConnRuntime[] = built.connections.map((c) => {
    const stateLen = c.synapse === null ? 0 : c.filterBeforeTransform ? c.width : c.post.dims;
    const src = c.source;
    return {
      c,
      fnEnv: src.kind === 'input' && src.fn !== null ? { t: 0, x: new Float64Array(src.slice?.length ?? built.inputs[src.input]!.dims), vars: inputVars } : null,
      u: new Float64Array(c.width),
      v: new Float64Array(c.post.dims),
      state: c.synapse === null ? null : new Float64Array(stateLen),
      a: c.synapse === null ? 0 : lowpassDecay(c.synapse, dt),
    };
  });
  const incoming: ConnRuntime[][] = ens.map(() => []);
  for (const cr of conns) incoming[cr.c.post.ensemble]!.push(cr);
  const filtered = conns.filter((cr) => cr.state !== null);

  let capacity = Math.max(16, built.steps);
  let tBuf: Float64Array = new Float64Array(capacity);
  const probes: ProbeRuntime[] = built.probes.map((p) => ({
    p,
    value: new Float64Array(p.dims),
    state: p.synapse === null ? null : new Float64Array(p.dims),
    a: p.synapse === null ? 0 : lowpassDecay(p.synapse, dt),
    buffers: Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    expected: p.expectFns === null ? null : Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    columns: p.dims === 1 ? [p.name] : Array.from({ length: p.dims }, (_, i) => `${p.name}[${i}]`),
  }));
  const probeByName = new Map(probes.map((pr) => [pr.p.name, pr]));
  const exprEnv = { t: 0, x: new Float64Array(0), vars: inputVars };

  let steps = 0;

  function init(): void {
    steps = 0;
    ens.forEach((e, i) => {
      states[i]!.voltage.set(e.initialVoltage);
      states[i]!.refractory.fill(0);
      out[i]!.fill(0);
      activeCount[i] = 0;
    });
    for (const cr of conns) cr.state?.fill(0);
    for (const pr of probes) pr.state?.fill(0);
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
    const rows = s.rows;
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

  function deliver(cr: ConnRuntime, v: Float64Array): void {
    const post = cr.c.post;
    const dst = post.kind === 'neurons' ? jIn[post.ensemble]! : x[post.ensemble]!;
    const sl = post.slice;
    if (sl === null) for (let i = 0; i < v.length; i++) dst[i] = dst[i]! + v[i]!;
    else for (let i = 0; i < sl.length; i++) dst[sl[i]!] = dst[sl[i]!]! + v[i]!;
  }

  function stepOnce(): void {
    steps++;
    const t = steps * dt;
    for (let i = 0; i < signals.length; i++) {
      const fixed = overridden.get(i);
      if (fixed !== undefined) inputVals[i]!.set(fixed);
      else signals[i]!(t, inputVals[i]!);
    }
    for (const ei of built.order) {
      const e = ens[ei]!;
      const xe = x[ei]!;
      const je = jIn[ei]!;
      xe.fill(0);
      if (hasDirect[ei] || !encodedByKernel[ei]) je.fill(0);
      for (const cr of incoming[ei]!) {
        if (cr.state === null) deliver(cr, applyTransform(cr, sourceValue(cr)));
        else deliver(cr, cr.c.filterBeforeTransform ? applyTransform(cr, cr.state) : cr.state);
      }
      // J = bias + (encoders * gain / radius) . x + direct neuron input (in the kernel for
      // 1-D LIF ensembles)
      const d = e.dims;
      if (encodedByKernel[ei]) {
        activeCount[ei] = steppers[ei]!(je, out[ei]!, states[ei]!, active[ei]!);
        continue;
      }
      const enc = e.scaledEncoders;
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
      const o = out[ei]!;
      activeCount[ei] = steppers[ei]!(je, o, states[ei]!, active[ei]!);
    }
    // synapses see this step's values; their targets read the result next step (Nengo's
    // update ordering, which delays every filtered connection by one step)
    for (const cr of filtered) {
      const st = cr.state!;
      const a = cr.a;
      const b = 1 - a;
      const val = cr.c.filterBeforeTransform ? sourceValue(cr) : applyTransform(cr, sourceValue(cr));
      for (let i = 0; i < st.length; i++) st[i] = a * st[i]! + b * val[i]!;
    }
    if (steps > capacity) grow();
    const row = steps - 1;
    // stored rounded to 12 significant digits so that CSV shows 0.009, not 0.009000000000000001
    tBuf[row] = +t.toPrecision(12);
    exprEnv.t = t;
    for (const pr of probes) {
      const val = probeValue(pr);
      const st = pr.state;
      if (st === null) {
        for (let c = 0; c < val.length; c++) pr.buffers[c]![row] = val[c]!;
      } else {
        // a probe's filter also reads its input one step late, as in Nengo
        const a = pr.a;
        const b = 1 - a;
        for (let c = 0; c < val.length; c++) {
          pr.buffers[c]![row] = st[c]!;
          st[c] = a * st[c]! + b * val[c]!;
        }
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
      default: {
        const never: never = s;
        throw new Error(`unknown probe source ${JSON.stringify(never)}`);
      }
    }
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
    reset() {
      init();
    },
  };
  return sim;
}
