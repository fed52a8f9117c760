import type { Connection, Ensemble, EncoderDist, Expr, NefEndpoint, NefInput, NefNeuron, Network, Probe, ProbeAttr, Signal } from '@snnc/ir';

/**
 * Small constructors for NEF IR with the compiler's defaults (Nengo 4.1's): for tests,
 * benchmarks and tools that build networks without `.snn` text. Every field can be
 * overridden; the result is plain IR, exactly what `compile()` would produce.
 */

export const LIF: NefNeuron = { kind: 'lif', tauRc: 0.02, tauRef: 0.002, minVoltage: 0 };

export function ensemble(name: string, n: number, opts: Partial<Omit<Ensemble, 'name' | 'n'>> = {}): Ensemble {
  return {
    name,
    n,
    neuron: opts.neuron ?? LIF,
    dims: opts.dims ?? 1,
    radius: opts.radius ?? 1,
    maxRates: opts.maxRates ?? [200, 400],
    intercepts: opts.intercepts ?? [-1, 0.9],
    encoders: opts.encoders ?? ({ kind: 'hypersphere' } satisfies EncoderDist),
    seed: opts.seed ?? null,
  };
}

export function input(name: string, signal: Signal, dims?: number): NefInput {
  const d = dims ?? (signal.kind === 'constant' ? signal.value.length : signal.kind === 'piecewise' ? (signal.points[0]?.value.length ?? 1) : signal.kind === 'expr' ? signal.exprs.length : 1);
  return { name, dims: d, signal };
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
  opts: { function?: Expr[] | null; transform?: number | number[][]; synapse?: number | null; id?: string } = {},
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
    synapse: opts.synapse === undefined ? 0.005 : opts.synapse,
  };
}

export function probe(name: string, target: NefEndpoint, opts: { attr?: ProbeAttr; synapse?: number | null; expect?: Expr[] | null } = {}): Probe {
  const attr: ProbeAttr = opts.attr ?? (target.kind === 'input' ? 'output' : target.kind === 'neurons' ? 'spikes' : 'decoded');
  return { name, target, attr, synapse: opts.synapse === undefined ? null : opts.synapse, expect: opts.expect ?? null };
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
