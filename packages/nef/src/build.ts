import { compileExpr, Random, SnncError, throwIfInvalid, validateNetwork, type Connection, type Ensemble, type Expr, type NefEndpoint, type Network } from '@snnc/ir';
import type { BuiltConnection, BuiltEnsemble, BuiltInput, BuiltNetwork, BuiltProbe, BuiltSource } from './built.js';
import { choiceRows, sphereBall, sphereSurface } from './distributions.js';
import { fillRates, gainBias } from './neurons.js';
import { deriveSeed } from './seeds.js';
import { lstsqL2 } from './solver.js';

/**
 * How many evaluation points an ensemble gets.
 * - `nengo`: Nengo's rule max(clip(500 d, 750, 2500), 2 n).
 * - `economy` (default): clip(500 d, 750, 2500), i.e. Nengo's rule without the 2 n floor,
 *   and for an ensemble with more neurons than that (where the solve takes the dual form,
 *   whose cost grows with the cube of the point count) clip(500 d, 500, 2500): only 1-D
 *   ensembles of more than 750 neurons differ, with 500 points. Decoding a d-dimensional
 *   function needs points that cover the d-dimensional ball, not one per neuron: the neural
 *   error of the communication channel is the same with 500, 750 and 2,000 points at 1,000
 *   neurons and with 500, 750 and 2,500 at 10,000 (docs/nef.md). Both rules agree for all
 *   ensembles of up to 375 neurons (1-D) and 1,250 (5-D and up).
 * - `{ count }`: this many points for every ensemble (Nengo's `n_eval_points`).
 */
export type EvalPointRule = 'nengo' | 'economy' | { count: number };

export interface BuildOptions {
  /** Overrides the network's seed. */
  seed?: number;
  evalPoints?: EvalPointRule;
  /** LstsqL2 regularisation, as a fraction of the largest activity (Nengo: 0.1). */
  reg?: number;
}

export function evalPointCount(n: number, dims: number, rule: EvalPointRule = 'economy'): number {
  if (typeof rule === 'object') {
    if (!(Number.isInteger(rule.count) && rule.count >= 1)) throw new Error(`evalPointCount: expected a positive integer count, got ${rule.count}`);
    return rule.count;
  }
  const base = Math.min(2500, Math.max(750, 500 * dims));
  if (rule === 'nengo') return Math.max(base, 2 * n);
  return n <= base ? base : Math.min(2500, Math.max(500, 500 * dims));
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now()) / 1000;

/** Builds a network: samples neurons, solves every decoder, lays out the simulation. */
export function buildNetwork(net: Network, opts: BuildOptions = {}): BuiltNetwork {
  const start = now();
  throwIfInvalid(validateNetwork(net));
  const seed = opts.seed ?? net.seed ?? 0;
  const rule = opts.evalPoints ?? 'economy';
  const reg = opts.reg ?? 0.1;

  const inputs: BuiltInput[] = net.inputs.map((inp) => ({
    name: inp.name,
    dims: inp.dims,
    signal: inp.signal,
    noiseSeed: inp.signal.kind === 'white_noise' && inp.signal.seed !== null ? inp.signal.seed : deriveSeed(seed, `noise:${inp.name}`),
    exprs: inp.signal.kind === 'expr' ? inp.signal.exprs.map(compileExpr) : null,
  }));
  const inputIndex = new Map(inputs.map((inp, i) => [inp.name, i]));
  const ensembles = net.ensembles.map((e) => sampleEnsemble(e, seed, rule));
  const ensIndex = new Map(ensembles.map((e, i) => [e.name, i]));

  // Every decoder an ensemble needs (outgoing decoded connections, decoded probes) is a block
  // of target columns; one solve per ensemble serves them all.
  const requests: { ens: number; fns: Expr[] | null; slice: number[] | null; width: number; decoders?: Float64Array }[] = [];
  const connRequest = new Map<Connection, (typeof requests)[number]>();
  for (const c of net.connections) {
    if (c.pre.kind !== 'ensemble') continue;
    const req = { ens: ensIndex.get(c.pre.name)!, fns: c.function, slice: c.pre.slice, width: c.function?.length ?? c.pre.dims };
    requests.push(req);
    connRequest.set(c, req);
  }
  const probeRequest = new Map<string, (typeof requests)[number]>();
  for (const p of net.probes) {
    if (p.attr !== 'decoded') continue;
    const req = { ens: ensIndex.get(p.target.name)!, fns: null, slice: p.target.slice, width: p.target.dims };
    requests.push(req);
    probeRequest.set(p.name, req);
  }
  let solveSeconds = 0;
  ensembles.forEach((ens, ei) => {
    const mine = requests.filter((r) => r.ens === ei);
    if (mine.length === 0) return;
    const t0 = now();
    solveEnsemble(ens, mine, reg);
    ens.solver.seconds = now() - t0;
    solveSeconds += ens.solver.seconds;
  });

  const connections: BuiltConnection[] = net.connections.map((c) => {
    const post = endpointIndex(c.post, ensIndex);
    const postEns = ensembles[post.ensemble]!;
    // a connection into neurons injects current: scale by each target neuron's gain (Nengo)
    const postGain = c.post.kind === 'neurons' ? sliceValues(postEns.gain, c.post.slice) : null;
    const t = transformMatrix(c.transform, postGain);
    const postDims = c.post.dims;
    const fnWidth = c.function?.length ?? c.pre.dims;
    const identity = isIdentity(t, postDims, fnWidth);
    let source: BuiltSource;
    let width: number;
    let transform: Float64Array | null;
    if (c.pre.kind === 'input') {
      source = { kind: 'input', input: inputIndex.get(c.pre.name)!, slice: toSlice(c.pre.slice), fn: c.function?.map(compileExpr) ?? null };
      width = fnWidth;
      transform = identity ? null : t;
    } else if (c.pre.kind === 'ensemble') {
      const d = connRequest.get(c)!.decoders!;
      const n = ensembles[ensIndex.get(c.pre.name)!]!.n;
      if (identity) {
        source = { kind: 'neurons', ensemble: ensIndex.get(c.pre.name)!, slice: null, rows: d };
        width = fnWidth;
        transform = null;
      } else if (postDims <= fnWidth) {
        // fold the transform into the decoders: fewer columns to add per spike
        source = { kind: 'neurons', ensemble: ensIndex.get(c.pre.name)!, slice: null, rows: multiplyByTransposed(d, n, fnWidth, t, postDims) };
        width = postDims;
        transform = null;
      } else {
        // low rank: decode (n x fnWidth) first, then expand with the transform
        source = { kind: 'neurons', ensemble: ensIndex.get(c.pre.name)!, slice: null, rows: d };
        width = fnWidth;
        transform = t;
      }
    } else {
      // neurons -> x: rows[i] is the transform's column for source neuron i
      const s = c.pre.dims;
      const rows = new Float64Array(s * postDims);
      for (let i = 0; i < s; i++) for (let o = 0; o < postDims; o++) rows[i * postDims + o] = t[o * s + i]!;
      source = { kind: 'neurons', ensemble: ensIndex.get(c.pre.name)!, slice: toSlice(c.pre.slice), rows };
      width = postDims;
      transform = null;
    }
    return {
      id: c.id,
      source,
      width,
      transform,
      post: { kind: c.post.kind === 'neurons' ? 'neurons' : 'ensemble', ensemble: post.ensemble, slice: toSlice(c.post.slice), dims: postDims },
      synapse: c.synapse,
      filterBeforeTransform: transform !== null && width < postDims,
    };
  });

  const probes: BuiltProbe[] = net.probes.map((p) => {
    const common = { name: p.name, attr: p.attr, dims: p.target.dims, synapse: p.synapse, expect: p.expect, expectFns: p.expect?.map(compileExpr) ?? null };
    switch (p.attr) {
      case 'decoded':
        return { ...common, source: { kind: 'decoded', ensemble: ensIndex.get(p.target.name)!, decoders: probeRequest.get(p.name)!.decoders! } };
      case 'output':
        return { ...common, source: { kind: 'input', input: inputIndex.get(p.target.name)!, slice: toSlice(p.target.slice) } };
      case 'spikes':
      case 'voltage':
        return { ...common, source: { kind: p.attr, ensemble: ensIndex.get(p.target.name)!, slice: toSlice(p.target.slice) } };
      default: {
        const never: never = p.attr;
        throw new Error(`unknown probe attribute ${String(never)}`);
      }
    }
  });

  const order = stepOrder(net, ensIndex);
  return {
    network: net,
    seed,
    dt: net.dt,
    steps: Math.round(net.runTime / net.dt),
    inputs,
    ensembles,
    connections,
    probes,
    order,
    buildSeconds: now() - start,
    solveSeconds,
  };
}

/** Gains, biases, encoders, eval points and initial voltages of one ensemble. */
export function sampleEnsemble(e: Ensemble, networkSeed: number, rule: EvalPointRule = 'economy'): BuiltEnsemble {
  const seed = e.seed ?? deriveSeed(networkSeed, `ensemble:${e.name}`);
  const rng = new Random(seed);
  const { n, dims, radius } = e;
  const maxRates = new Float64Array(n);
  const intercepts = new Float64Array(n);
  for (let i = 0; i < n; i++) maxRates[i] = rng.uniform(e.maxRates[0], e.maxRates[1]);
  for (let i = 0; i < n; i++) intercepts[i] = rng.uniform(e.intercepts[0], e.intercepts[1]);
  const { gain, bias } = gainBias(e.neuron, maxRates, intercepts);
  const encoders = e.encoders.kind === 'choice' ? choiceRows(n, dims, e.encoders.vectors, rng) : sphereSurface(n, dims, rng);
  const scaledEncoders = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) for (let k = 0; k < dims; k++) scaledEncoders[i * dims + k] = (encoders[i * dims + k]! * gain[i]!) / radius;
  const m = evalPointCount(n, dims, rule);
  const evalPoints = sphereBall(m, dims, rng);
  // sorted 1-D points make every tuning curve's non-zero part contiguous (see solver.ts)
  if (dims === 1) evalPoints.sort();
  for (let i = 0; i < evalPoints.length; i++) evalPoints[i]! *= radius;
  const vrng = new Random(deriveSeed(seed, 'voltage'));
  const initialVoltage = new Float64Array(n);
  for (let i = 0; i < n; i++) initialVoltage[i] = vrng.random();
  return {
    name: e.name,
    ir: e,
    neuron: e.neuron,
    n,
    dims,
    radius,
    seed,
    maxRates,
    intercepts,
    gain,
    bias,
    encoders,
    scaledEncoders,
    evalPoints,
    nEvalPoints: m,
    initialVoltage,
    solver: { form: 'none', targets: 0, rmsError: 0, seconds: 0 },
  };
}

/** Rate of every neuron at every eval point: n x m, neuron-major (Hz). */
export function activities(ens: BuiltEnsemble, points: Float64Array = ens.evalPoints): Float64Array {
  const { n, dims, neuron } = ens;
  const m = points.length / dims;
  const at = new Float64Array(n * m);
  const j = new Float64Array(m);
  const { gain, bias, encoders, radius } = ens;
  for (let i = 0; i < n; i++) {
    const g = gain[i]! / radius;
    const b = bias[i]!;
    if (dims === 1) {
      const ge = g * encoders[i]!;
      for (let p = 0; p < m; p++) j[p] = ge * points[p]! + b;
    } else if (dims === 2) {
      const e0 = g * encoders[2 * i]!;
      const e1 = g * encoders[2 * i + 1]!;
      for (let p = 0; p < m; p++) j[p] = e0 * points[2 * p]! + e1 * points[2 * p + 1]! + b;
    } else {
      for (let p = 0; p < m; p++) {
        let dot = 0;
        for (let k = 0; k < dims; k++) dot += encoders[i * dims + k]! * points[p * dims + k]!;
        j[p] = g * dot + b;
      }
    }
    fillRates(neuron, j, at.subarray(i * m, i * m + m));
  }
  return at;
}

function solveEnsemble(ens: BuiltEnsemble, reqs: { fns: Expr[] | null; slice: number[] | null; width: number; decoders?: Float64Array }[], reg: number): void {
  const m = ens.nEvalPoints;
  const dims = ens.dims;
  const k = reqs.reduce((s, r) => s + r.width, 0);
  const y = new Float64Array(m * k);
  let col = 0;
  for (const r of reqs) {
    const fns = r.fns?.map(compileExpr) ?? null;
    const x = new Float64Array(r.slice?.length ?? dims);
    const env = { t: 0, x, vars: {} };
    const slice = r.slice ?? Array.from({ length: dims }, (_, i) => i);
    for (let p = 0; p < m; p++) {
      for (let i = 0; i < slice.length; i++) x[i] = ens.evalPoints[p * dims + slice[i]!]!;
      if (fns === null) for (let c = 0; c < r.width; c++) y[p * k + col + c] = x[c]!;
      else for (let c = 0; c < r.width; c++) y[p * k + col + c] = fns[c]!(env);
    }
    col += r.width;
  }
  const at = activities(ens);
  if (!at.some((a) => a > 0)) throw new SnncError('SNN5014', { name: ens.name }, ens.ir.range === undefined ? {} : { range: ens.ir.range });
  const res = lstsqL2(at, ens.n, m, y, k, reg);
  ens.solver = { form: res.form, targets: k, rmsError: res.rmsError, seconds: 0 };
  col = 0;
  for (const r of reqs) {
    const d = new Float64Array(ens.n * r.width);
    for (let i = 0; i < ens.n; i++) for (let c = 0; c < r.width; c++) d[i * r.width + c] = res.decoders[i * k + col + c]!;
    r.decoders = d;
    col += r.width;
  }
}

/**
 * Ensembles in an order where every synapse-free connection's source is stepped before its
 * target (those act within one step, as in Nengo). A loop of synapse-free connections has
 * no such order: SNN5013.
 */
function stepOrder(net: Network, ensIndex: Map<string, number>): number[] {
  const n = ensIndex.size;
  const edges: { from: number; to: number; c: Connection }[] = [];
  for (const c of net.connections) {
    if (c.synapse !== null || c.pre.kind === 'input') continue;
    edges.push({ from: ensIndex.get(c.pre.name)!, to: ensIndex.get(c.post.name)!, c });
  }
  const indeg = new Int32Array(n);
  for (const e of edges) indeg[e.to]!++;
  const order: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) ready.push(i);
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(i);
    for (const e of edges) if (e.from === i && --indeg[e.to]! === 0) ready.push(e.to);
  }
  if (order.length < n) {
    const loop = edges.filter((e) => indeg[e.to]! > 0 && indeg[e.from]! > 0).map((e) => e.c);
    const cycle = loop.map((c) => `${c.pre.name} -> ${c.post.name}`).join(', ');
    const range = loop[0]?.range;
    throw new SnncError('SNN5013', { cycle }, range === undefined ? {} : { range });
  }
  return order;
}

function endpointIndex(ep: NefEndpoint, ensIndex: Map<string, number>): { ensemble: number } {
  const i = ensIndex.get(ep.name);
  if (i === undefined) throw new Error(`buildNetwork: expected ensemble ${ep.name} after validation`);
  return { ensemble: i };
}

function toSlice(s: number[] | null): Int32Array | null {
  return s === null ? null : Int32Array.from(s);
}

function sliceValues(a: Float64Array, s: number[] | null): Float64Array {
  return s === null ? a : Float64Array.from(s, (i) => a[i]!);
}

/** The IR transform as a flat rows x cols matrix, rows scaled by `rowScale` when given. */
function transformMatrix(t: number[][], rowScale: Float64Array | null): Float64Array {
  const rows = t.length;
  const cols = t[0]?.length ?? 0;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = t[r]![c]! * (rowScale === null ? 1 : rowScale[r]!);
  return out;
}

function isIdentity(t: Float64Array, rows: number, cols: number): boolean {
  if (rows !== cols) return false;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (t[r * cols + c] !== (r === c ? 1 : 0)) return false;
  return true;
}

/** D (n x w) times T^T (w x o): n x o. */
function multiplyByTransposed(d: Float64Array, n: number, w: number, t: Float64Array, o: number): Float64Array {
  const out = new Float64Array(n * o);
  for (let i = 0; i < n; i++) for (let r = 0; r < o; r++) {
    let s = 0;
    for (let c = 0; c < w; c++) s += d[i * w + c]! * t[r * w + c]!;
    out[i * o + r] = s;
  }
  return out;
}
