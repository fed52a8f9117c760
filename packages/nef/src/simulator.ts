import { assertNever } from '@snnc/ir';
import type { BuiltNetwork } from './built.js';
import { connectionOps, connectionRuntime, type ConnRuntime } from './sim-connections.js';
import { learningStage } from './sim-learning.js';
import { allocatePopulations } from './sim-populations.js';
import { probeRecorder, type ProbeData } from './sim-probes.js';
import { makeSignal, type SignalFn } from './signals.js';

export type { ProbeData } from './sim-probes.js';
export { lowpassDecay } from './synapses.js';

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

/**
 * A simulator for a built network. One step (t = n dt): plain inputs; ensembles and computing
 * nodes in `built.order` (each reads what its connections deliver); learning rules read their
 * signals; every synapse advances with this step's values (its target reads them next step);
 * learning rules update the weights; probes record. The stages live in sim-*.ts.
 */
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
  let steps = 0;
  const spikeTotals = new Float64Array(ens.length);

  const conns: ConnRuntime[] = built.connections.map((c) => connectionRuntime(c, built, inputVars));
  const ops = connectionOps({ inputVals, pop, time: () => steps * dt });
  const { incomingEns, incomingNode, incomingRule } = groupIncoming(built, conns);
  const filtered = conns.filter((cr) => cr.filter !== null);
  const learning = learningStage(built, conns, incomingRule, pop, ops);
  const probes = probeRecorder(built, pop, inputVals, inputVars, conns);

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
    learning.reset();
    probes.reset();
    built.inputs.forEach((inp, i) => {
      if (!overridden.has(i)) signals[i] = makeSignal(inp.signal, inp.dims, dt, inp.exprs, inp.noiseSeed);
    });
  }

  function stepEnsemble(ei: number): void {
    const e = ens[ei]!;
    const xe = x[ei]!;
    const je = jIn[ei]!;
    xe.fill(0);
    if (hasDirect[ei] || !encodedByKernel[ei]) je.fill(0);
    for (const cr of incomingEns[ei]!) ops.deliver(cr, cr.c.post.kind === 'neurons' ? je : xe);
    // J = bias + (encoders * gain / radius) . x + direct neuron input (in the kernel for
    // 1-D LIF ensembles)
    if (!encodedByKernel[ei]) {
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
    }
    activeCount[ei] = steppers[ei]!(je, out[ei]!, states[ei]!, active[ei]!);
    spikeTotals[ei] = spikeTotals[ei]! + activeCount[ei]!;
  }

  /** A computing node: its output is its expressions of `t` and its summed input `x`. */
  function stepNode(ii: number, t: number): void {
    const xn = nodeX[ii]!;
    xn.fill(0);
    for (const cr of incomingNode[ii]!) ops.deliver(cr, xn);
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
    if (learning.count > 0) learning.readSignals();
    // synapses see this step's values; their targets read the result next step (Nengo's
    // update ordering, which delays every filtered connection by one step)
    for (const cr of filtered) ops.advance(cr);
    // learning changes the weights for the next step
    if (learning.count > 0) learning.apply();
    probes.record(steps - 1, t);
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
      return probes.times(steps);
    },
    probe(name): ProbeData {
      return probes.data(name, steps);
    },
    probeNames() {
      return probes.names();
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

/** Each connection under what it delivers to: an ensemble (or its neurons), a node, a learning rule. */
function groupIncoming(built: BuiltNetwork, conns: ConnRuntime[]): { incomingEns: ConnRuntime[][]; incomingNode: ConnRuntime[][]; incomingRule: ConnRuntime[][] } {
  const incomingEns: ConnRuntime[][] = built.ensembles.map(() => []);
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
  return { incomingEns, incomingNode, incomingRule };
}
