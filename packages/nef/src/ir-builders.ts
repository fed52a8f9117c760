import { LEARNING_RULE_DEFAULTS, NENGO_DEFAULTS, type Connection, type Ensemble, type EncoderDist, type Expr, type LearningRule, type NefEndpoint, type NefInput, type NefNeuron, type Network, type Probe, type ProbeAttr, type Signal, type Synapse } from '@snnc/ir';

/**
 * Small constructors for NEF IR with the compiler's defaults (Nengo 4.1's): for tests,
 * benchmarks and tools that build networks without `.snn` text. Every field can be
 * overridden; the result is plain IR, exactly what `compile()` would produce.
 */

const D = NENGO_DEFAULTS;

export const LIF: NefNeuron = { kind: 'lif', tauRc: D.tauRc, tauRef: D.tauRef, minVoltage: D.minVoltage };

export function ensemble(name: string, n: number, opts: Partial<Omit<Ensemble, 'name' | 'n'>> = {}): Ensemble {
  return {
    name,
    n,
    neuron: opts.neuron ?? LIF,
    dims: opts.dims ?? D.dims,
    radius: opts.radius ?? D.radius,
    maxRates: opts.maxRates ?? [...D.maxRates],
    intercepts: opts.intercepts ?? [...D.intercepts],
    encoders: opts.encoders ?? ({ kind: 'hypersphere' } satisfies EncoderDist),
    seed: opts.seed ?? null,
  };
}

export function input(name: string, signal: Signal, dims?: number): NefInput {
  const d = dims ?? (signal.kind === 'constant' ? signal.value.length : signal.kind === 'piecewise' ? (signal.points[0]?.value.length ?? 1) : signal.kind === 'expr' ? signal.exprs.length : 1);
  return { name, dims: d, sizeIn: 0, signal };
}

/** A node that computes `exprs` of `t` and its summed input `x` (size `sizeIn`). */
export function node(name: string, sizeIn: number, exprs: Expr[]): NefInput {
  return { name, dims: exprs.length, sizeIn, signal: { kind: 'expr', exprs } };
}

/** A number is a lowpass time constant (seconds), as in Nengo. */
export function synapse(s: number | Synapse | null): Synapse | null {
  return typeof s === 'number' ? { kind: 'lowpass', tau: s } : s;
}

const L = LEARNING_RULE_DEFAULTS;
const lowpass = (tau: number) => ({ kind: 'lowpass' as const, tau });
/** Nengo 4.1's default rules (@snnc/ir LEARNING_RULE_DEFAULTS); a post synapse defaults to the pre one. */
export const LEARNING_DEFAULTS = {
  pes: (): LearningRule => ({ kind: 'pes', learningRate: L.PES.learningRate, preSynapse: lowpass(L.PES.preSynapse) }),
  bcm: (): LearningRule => ({ kind: 'bcm', learningRate: L.BCM.learningRate, preSynapse: lowpass(L.BCM.preSynapse), postSynapse: lowpass(L.BCM.preSynapse), thetaSynapse: lowpass(L.BCM.thetaSynapse) }),
  oja: (): LearningRule => ({ kind: 'oja', learningRate: L.Oja.learningRate, preSynapse: lowpass(L.Oja.preSynapse), postSynapse: lowpass(L.Oja.preSynapse), beta: L.Oja.beta }),
  voja: (): LearningRule => ({ kind: 'voja', learningRate: L.Voja.learningRate, postSynapse: lowpass(L.Voja.postSynapse) }),
};

/** The endpoint of a connection's learning rule (its error or learning signal). */
export function rule(conn: Connection, dims: number): NefEndpoint {
  return { name: conn.id, kind: 'learning', slice: null, dims };
}

/** A connection as a probe target (its weights). */
export function conn(c: Connection): NefEndpoint {
  return { name: c.id, kind: 'connection', slice: null, dims: 1 };
}

export const constant = (...value: number[]): Signal => ({ kind: 'constant', value });

/** `piecewise({0: 0, 0.2: 1})` as [[0, 0], [0.2, 1]] (scalar) or [[0, [0, 1]], ...]. */
export function piecewise(points: [number, number | number[]][]): Signal {
  return { kind: 'piecewise', points: points.map(([t, v]) => ({ t, value: typeof v === 'number' ? [v] : v })) };
}

/**
 * An endpoint: `ep(net, 'a')`, `ep(net, 'ab', [0])`, `ep(net, 'c', null, 'neurons')`.
 * The kind and size are looked up among the network's inputs and ensembles.
 */
export function ep(parts: { inputs: NefInput[]; ensembles: Ensemble[] }, name: string, slice: number[] | null = null, attr: 'neurons' | null = null): NefEndpoint {
  const inp = parts.inputs.find((i) => i.name === name);
  const ens = parts.ensembles.find((e) => e.name === name);
  if (inp === undefined && ens === undefined) throw new Error(`ep: no input or ensemble named ${name}`);
  const kind: NefEndpoint['kind'] = inp !== undefined ? 'input' : attr === 'neurons' ? 'neurons' : 'ensemble';
  const size = inp !== undefined ? inp.dims : attr === 'neurons' ? ens!.n : ens!.dims;
  return { name, kind, slice, dims: slice === null ? size : slice.length };
}

let nextId = 0;

/** A connection; the transform defaults to identity (or a scalar given as a number). */
export function connect(
  pre: NefEndpoint,
  post: NefEndpoint,
  opts: { function?: Expr[] | null; transform?: number | number[][]; synapse?: number | Synapse | null; id?: string; learning?: LearningRule | null } = {},
): Connection {
  const fn = opts.function ?? null;
  const width = fn?.length ?? pre.dims;
  const t = opts.transform ?? 1;
  const transform = typeof t === 'number' ? Array.from({ length: post.dims }, (_, r) => Array.from({ length: width }, (_, c) => (r === c ? t : 0))) : t;
  return {
    id: opts.id ?? `c${nextId++}`,
    pre,
    post,
    function: fn,
    transform,
    synapse: synapse(opts.synapse === undefined ? D.synapse : opts.synapse),
    learning: opts.learning ?? null,
  };
}

export function probe(name: string, target: NefEndpoint, opts: { attr?: ProbeAttr; synapse?: number | Synapse | null; expect?: Expr[] | null } = {}): Probe {
  const attr: ProbeAttr = opts.attr ?? (target.kind === 'input' ? 'output' : target.kind === 'neurons' ? 'spikes' : target.kind === 'connection' ? 'weights' : 'decoded');
  return { name, target, attr, synapse: synapse(opts.synapse === undefined ? null : opts.synapse), expect: opts.expect ?? null };
}

export function network(name: string, parts: Partial<Omit<Network, 'name'>>): Network {
  return {
    name,
    dt: parts.dt ?? 0.001,
    runTime: parts.runTime ?? 1,
    seed: parts.seed ?? null,
    inputs: parts.inputs ?? [],
    ensembles: parts.ensembles ?? [],
    connections: parts.connections ?? [],
    probes: parts.probes ?? [],
  };
}

// Expression helpers: enough to write NEF functions without a parser.
export const num = (value: number): Expr => ({ kind: 'num', value });
export const v = (name: string): Expr => ({ kind: 'var', name });
export const xi = (index: number): Expr => ({ kind: 'index', target: { kind: 'var', name: 'x' }, index });
export const mul = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '*', left, right });
export const add = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '+', left, right });
export const call = (fn: Extract<Expr, { kind: 'call' }>['fn'], ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
