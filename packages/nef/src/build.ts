import { assertNever, compileExpr, Random, SnncError, throwIfInvalid, validateNetwork, type Connection, type Ensemble, type Expr, type Network, type Probe } from '@snnc/ir';
import type { BuiltConnection, BuiltEnsemble, BuiltInput, BuiltLearning, BuiltNetwork, BuiltPost, BuiltProbe, BuiltSource, StepUnit } from './built.js';
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

/** A block of decoder columns one ensemble solve produces (a decoded connection or probe). */
interface DecoderRequest {
  ens: number;
  fns: Expr[] | null;
  slice: number[] | null;
  width: number;
  decoders?: Float64Array;
}

interface BuildCtx {
  net: Network;
  inputIndex: Map<string, number>;
  ensembles: BuiltEnsemble[];
  ensIndex: Map<string, number>;
  connIndex: Map<string, number>;
  connRequest: Map<Connection, DecoderRequest>;
  probeRequest: Map<string, DecoderRequest>;
}

/** Builds a network: samples neurons, solves every decoder, lays out the simulation. */
export function buildNetwork(net: Network, opts: BuildOptions = {}): BuiltNetwork {
  const prep = prepareBuild(net, opts);
  let solveSeconds = 0;
  for (const job of prep.jobs) solveSeconds += applySolved(prep, job, solveJob(job, prep.ctx.ensembles[job.index]));
  return finishBuild(prep, solveSeconds);
}

/**
 * The same build with the decoder solves handed to `solve` (one job per ensemble that has
 * decoders to find), which may run them elsewhere and in parallel (`buildNetworkParallel` in
 * `@snnc/nef/node` uses worker threads). The result is identical to `buildNetwork`'s.
 */
export async function buildNetworkAsync(net: Network, opts: BuildOptions, solve: (job: SolveJob) => Promise<SolveResult>): Promise<BuiltNetwork> {
  const prep = prepareBuild(net, opts);
  // largest first, so that a pool of workers finishes together
  const jobs = [...prep.jobs].sort((a, b) => b.ensemble.n - a.ensemble.n);
  const results = await Promise.all(jobs.map(async (job) => ({ job, res: await solve(job) })));
  let solveSeconds = 0;
  for (const { job, res } of results) solveSeconds += applySolved(prep, job, res);
  return finishBuild(prep, solveSeconds);
}

/** One ensemble's decoder solve, as plain data (it can cross to a worker thread). */
export interface SolveJob {
  /** Index of the ensemble in the network. */
  index: number;
  ensemble: Ensemble;
  networkSeed: number;
  rule: EvalPointRule;
  reg: number;
  requests: { fns: Expr[] | null; slice: number[] | null; width: number }[];
}

export interface SolveResult {
  /** Per request, n x width decoders. */
  decoders: Float64Array[];
  solver: BuiltEnsemble['solver'];
}

/**
 * Solves a job's decoders; `sampled` is its ensemble when the caller has it, else it is sampled
 * again here (deterministic from its seed: a worker thread gets the same gains and encoders).
 */
export function solveJob(job: SolveJob, sampled?: BuiltEnsemble): SolveResult {
  const t0 = now();
  const ens = sampled ?? sampleEnsemble(job.ensemble, job.networkSeed, job.rule);
  const reqs: DecoderRequest[] = job.requests.map((r) => ({ ens: job.index, ...r }));
  solveEnsemble(ens, reqs, job.reg);
  return { decoders: reqs.map((r) => r.decoders!), solver: { ...ens.solver, seconds: now() - t0 } };
}

interface Prepared {
  start: number;
  net: Network;
  seed: number;
  inputs: BuiltInput[];
  ctx: BuildCtx;
  jobs: SolveJob[];
  /** The requests of each job, in job order, to receive its decoders. */
  requestsOf: Map<number, DecoderRequest[]>;
}

function prepareBuild(net: Network, opts: BuildOptions): Prepared {
  const start = now();
  throwIfInvalid(validateNetwork(net));
  const seed = opts.seed ?? net.seed ?? 0;
  const rule = opts.evalPoints ?? 'economy';
  const reg = opts.reg ?? 0.1;
  const inputs = buildInputs(net, seed);
  const ensembles = net.ensembles.map((e) => sampleEnsemble(e, seed, rule));
  const ctx: BuildCtx = {
    net,
    inputIndex: new Map(inputs.map((inp, i) => [inp.name, i])),
    ensembles,
    ensIndex: new Map(ensembles.map((e, i) => [e.name, i])),
    connIndex: new Map(net.connections.map((c, i) => [c.id, i])),
    connRequest: new Map(),
    probeRequest: new Map(),
  };
  const requests = decoderRequests(ctx);
  const jobs: SolveJob[] = [];
  const requestsOf = new Map<number, DecoderRequest[]>();
  ensembles.forEach((_, ei) => {
    const mine = requests.filter((r) => r.ens === ei);
    if (mine.length === 0) return;
    requestsOf.set(ei, mine);
    jobs.push({ index: ei, ensemble: net.ensembles[ei]!, networkSeed: seed, rule, reg, requests: mine.map((r) => ({ fns: r.fns, slice: r.slice, width: r.width })) });
  });
  return { start, net, seed, inputs, ctx, jobs, requestsOf };
}

/** Hands a job's decoders to its requests and its solver statistics to its ensemble; returns its seconds. */
function applySolved(prep: Prepared, job: SolveJob, res: SolveResult): number {
  const reqs = prep.requestsOf.get(job.index)!;
  reqs.forEach((r, i) => (r.decoders = res.decoders[i]!));
  prep.ctx.ensembles[job.index]!.solver = res.solver;
  return res.solver.seconds;
}

function finishBuild(prep: Prepared, solveSeconds: number): BuiltNetwork {
  const { net, ctx } = prep;
  const connections = net.connections.map((c) => buildConnection(c, ctx));
  const probes = net.probes.map((p) => buildProbe(p, ctx, connections));
  return {
    network: net,
    seed: prep.seed,
    dt: net.dt,
    steps: Math.round(net.runTime / net.dt),
    inputs: prep.inputs,
    ensembles: ctx.ensembles,
    connections,
    probes,
    order: stepOrder(net, ctx),
    buildSeconds: now() - prep.start,
    solveSeconds,
  };
}

function buildInputs(net: Network, seed: number): BuiltInput[] {
  return net.inputs.map((inp) => ({
    name: inp.name,
    dims: inp.dims,
    sizeIn: inp.sizeIn,
    signal: inp.signal,
    noiseSeed: (inp.signal.kind === 'white_noise' || inp.signal.kind === 'white_signal') && inp.signal.seed !== null ? inp.signal.seed : deriveSeed(seed, `noise:${inp.name}`),
    exprs: inp.signal.kind === 'expr' ? inp.signal.exprs.map(compileExpr) : null,
  }));
}

/**
 * Every decoder an ensemble needs (outgoing decoded connections, decoded probes) is a block of
 * target columns; one solve per ensemble serves them all.
 */
function decoderRequests(ctx: BuildCtx): DecoderRequest[] {
  const requests: DecoderRequest[] = [];
  for (const c of ctx.net.connections) {
    if (c.pre.kind !== 'ensemble') continue;
    const req = { ens: ctx.ensIndex.get(c.pre.name)!, fns: c.function, slice: c.pre.slice, width: c.function?.length ?? c.pre.dims };
    requests.push(req);
    ctx.connRequest.set(c, req);
  }
  for (const p of ctx.net.probes) {
    if (p.attr !== 'decoded') continue;
    const req = { ens: ctx.ensIndex.get(p.target.name)!, fns: null, slice: p.target.slice, width: p.target.dims };
    requests.push(req);
    ctx.probeRequest.set(p.name, req);
  }
  return requests;
}

/** Where a connection delivers its value. */
function buildPost(c: Connection, ctx: BuildCtx): BuiltPost {
  const slice = toSlice(c.post.slice);
  switch (c.post.kind) {
    case 'ensemble':
    case 'neurons':
      return { kind: c.post.kind, ensemble: ctx.ensIndex.get(c.post.name)!, slice, dims: c.post.dims };
    case 'input':
      return { kind: 'node', input: ctx.inputIndex.get(c.post.name)!, slice, dims: c.post.dims };
    case 'learning':
      return { kind: 'rule', connection: ctx.connIndex.get(c.post.name)!, slice, dims: c.post.dims };
    case 'connection':
      throw new Error(`buildNetwork: connection ${c.id} targets a connection, which validation rejects`);
    default:
      return assertNever(c.post.kind);
  }
}

function buildConnection(c: Connection, ctx: BuildCtx): BuiltConnection {
  const { ensembles, ensIndex } = ctx;
  const post = buildPost(c, ctx);
  const postDims = c.post.dims;
  const fnWidth = c.function?.length ?? c.pre.dims;
  const learning = buildLearning(c, ctx);
  const learnsWeights = learning !== null && learning.rule.kind !== 'voja';
  // a connection into neurons injects current scaled by each target neuron's gain (Nengo);
  // learned weights exclude the gain, which is applied on delivery instead
  const postGain = post.kind === 'neurons' ? sliceValues(ensembles[post.ensemble]!.gain, c.post.slice) : null;
  const t = transformMatrix(c.transform, learnsWeights ? null : postGain);
  const postScale = learnsWeights ? postGain : null;
  const identity = isIdentity(t, postDims, fnWidth);
  const common = { id: c.id, post, synapse: c.synapse, postScale, learning };
  if (c.pre.kind === 'input') {
    const source: BuiltSource = { kind: 'input', input: ctx.inputIndex.get(c.pre.name)!, slice: toSlice(c.pre.slice), fn: c.function?.map(compileExpr) ?? null };
    return { ...common, source, width: fnWidth, transform: identity ? null : t, filterBeforeTransform: !identity && fnWidth < postDims };
  }
  if (c.pre.kind === 'ensemble') {
    const ensemble = ensIndex.get(c.pre.name)!;
    const d = ctx.connRequest.get(c)!.decoders!;
    const n = ensembles[ensemble]!.n;
    if (learning !== null && (learning.rule.kind === 'bcm' || learning.rule.kind === 'oja')) {
      // Nengo's `solver=LstsqL2(weights=True)`: full weights, post scaled encoders x transform x decoders
      const postEns = ensembles[learning.post]!;
      const rows = fullWeights(multiplyByTransposed(d, n, fnWidth, t, postDims), n, postDims, postEns, c.post.slice);
      return { ...common, post: { kind: 'neurons', ensemble: learning.post, slice: null, dims: postEns.n }, source: { kind: 'neurons', ensemble, slice: null, rows }, width: postEns.n, transform: null, filterBeforeTransform: false };
    }
    if (identity) return { ...common, source: { kind: 'neurons', ensemble, slice: null, rows: d }, width: fnWidth, transform: null, filterBeforeTransform: false };
    if (postDims <= fnWidth || learnsWeights) {
      // fold the transform into the decoders: fewer columns to add per spike (and the form PES learns)
      return { ...common, source: { kind: 'neurons', ensemble, slice: null, rows: multiplyByTransposed(d, n, fnWidth, t, postDims) }, width: postDims, transform: null, filterBeforeTransform: false };
    }
    // low rank: decode (n x fnWidth) first, then expand with the transform
    return { ...common, source: { kind: 'neurons', ensemble, slice: null, rows: d }, width: fnWidth, transform: t, filterBeforeTransform: true };
  }
  // neurons -> x: rows[i] is the transform's column for source neuron i
  const s = c.pre.dims;
  const rows = new Float64Array(s * postDims);
  for (let i = 0; i < s; i++) for (let o = 0; o < postDims; o++) rows[i * postDims + o] = t[o * s + i]!;
  return { ...common, source: { kind: 'neurons', ensemble: ensIndex.get(c.pre.name)!, slice: toSlice(c.pre.slice), rows }, width: postDims, transform: null, filterBeforeTransform: false };
}

/** rows (n_pre x n_post): decoded-and-transformed rows (n_pre x dims) times the post's scaled encoders. */
function fullWeights(dt: Float64Array, nPre: number, dims: number, post: BuiltEnsemble, slice: number[] | null): Float64Array {
  const nPost = post.n;
  const out = new Float64Array(nPre * nPost);
  const cols = slice ?? Array.from({ length: post.dims }, (_, k) => k);
  for (let i = 0; i < nPre; i++)
    for (let j = 0; j < nPost; j++) {
      let s = 0;
      for (let k = 0; k < dims; k++) s += dt[i * dims + k]! * post.scaledEncoders[j * post.dims + cols[k]!]!;
      out[i * nPost + j] = s;
    }
  return out;
}

function buildLearning(c: Connection, ctx: BuildCtx): BuiltLearning | null {
  const rule = c.learning;
  if (rule === null) return null;
  const pre = c.pre.kind === 'input' ? null : ctx.ensIndex.get(c.pre.name)!;
  const post = ctx.ensIndex.get(c.post.name)!;
  return { rule, pre, post, signalDims: rule.kind === 'pes' ? c.post.dims : rule.kind === 'voja' ? 1 : 0 };
}

function buildProbe(p: Probe, ctx: BuildCtx, connections: BuiltConnection[]): BuiltProbe {
  const common = { name: p.name, attr: p.attr, synapse: p.synapse, expect: p.expect, expectFns: p.expect?.map(compileExpr) ?? null };
  switch (p.attr) {
    case 'decoded':
      return { ...common, dims: p.target.dims, source: { kind: 'decoded', ensemble: ctx.ensIndex.get(p.target.name)!, decoders: ctx.probeRequest.get(p.name)!.decoders! } };
    case 'output':
      return { ...common, dims: p.target.dims, source: { kind: 'input', input: ctx.inputIndex.get(p.target.name)!, slice: toSlice(p.target.slice) } };
    case 'spikes':
    case 'voltage':
      return { ...common, dims: p.target.dims, source: { kind: p.attr, ensemble: ctx.ensIndex.get(p.target.name)!, slice: toSlice(p.target.slice) } };
    case 'weights':
    case 'weights_norm': {
      const connection = ctx.connIndex.get(p.target.name)!;
      const dims = p.attr === 'weights_norm' ? 1 : learnedShape(connections[connection]!, ctx.ensembles).entries;
      return { ...common, dims, source: { kind: p.attr, connection } };
    }
    default:
      return assertNever(p.attr);
  }
}

/** Rows x columns of what a `weights` probe records: post x pre weights, or Voja's n x d encoders. */
export function learnedShape(c: BuiltConnection, ensembles: BuiltEnsemble[]): { rows: number; cols: number; entries: number } {
  if (c.learning?.rule.kind === 'voja') {
    const e = ensembles[c.learning.post]!;
    return { rows: e.n, cols: e.dims, entries: e.n * e.dims };
  }
  const pre = c.source.kind === 'neurons' ? c.source.rows.length / c.width : c.width;
  return { rows: c.width, cols: pre, entries: c.source.kind === 'neurons' ? c.source.rows.length : c.width };
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
    solver: { form: 'none', targets: 0, rmsError: 0, seconds: 0, iterations: 0 },
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

function solveEnsemble(ens: BuiltEnsemble, reqs: DecoderRequest[], reg: number): void {
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
  ens.solver = { form: res.form, targets: k, rmsError: res.rmsError, seconds: 0, iterations: res.iterations };
  col = 0;
  for (const r of reqs) {
    const d = new Float64Array(ens.n * r.width);
    for (let i = 0; i < ens.n; i++) for (let c = 0; c < r.width; c++) d[i * r.width + c] = res.decoders[i * k + col + c]!;
    r.decoders = d;
    col += r.width;
  }
}

/**
 * Ensembles and computing nodes in an order where every synapse-free connection's source is
 * stepped before its target (those act within one step, as in Nengo). A loop of synapse-free
 * connections has no such order: SNN5013.
 */
function stepOrder(net: Network, ctx: BuildCtx): StepUnit[] {
  const units: StepUnit[] = [...ctx.ensembles.map((_, index) => ({ kind: 'ensemble' as const, index }))];
  const unitOf = new Map<string, number>();
  ctx.ensembles.forEach((e, i) => unitOf.set(e.name, i));
  net.inputs.forEach((inp, index) => {
    if (inp.sizeIn === 0) return;
    unitOf.set(inp.name, units.length);
    units.push({ kind: 'node', index });
  });
  const n = units.length;
  const edges: { from: number; to: number; c: Connection }[] = [];
  for (const c of net.connections) {
    if (c.synapse !== null || c.post.kind === 'learning' || c.post.kind === 'connection') continue;
    const from = unitOf.get(c.pre.name);
    const to = unitOf.get(c.post.name);
    if (from === undefined || to === undefined) continue;
    edges.push({ from, to, c });
  }
  const indeg = new Int32Array(n);
  for (const e of edges) indeg[e.to]!++;
  const order: StepUnit[] = [];
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) ready.push(i);
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(units[i]!);
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
