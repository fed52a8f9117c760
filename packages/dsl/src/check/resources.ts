import { assertNever, makeDiagnostic, type Diagnostic, type Experiment, type Layer, type Model, type Network, type ProbeAttr, type Program, type SourceRange } from '@snnc/ir';
import type { Sink } from './sink.js';

/**
 * Memory estimates at check time, so that `dense(1000000000)`, `steps: 1e9`,
 * `LIF(n: 100000000)` or `run 1e9s` are refused with a located diagnostic before anything is
 * allocated, instead of failing gigabytes later. The estimates are upper-bound sketches of
 * what the runtimes hold (within a small factor), not measurements.
 */

/** Memory the compiler assumes when the caller does not say (the CLI passes the machine's), bytes. */
export const DEFAULT_MEMORY_BYTES = 8 * 2 ** 30;
/** Above this fraction of the budget a warning says how much a run will take. */
const WARN_FRACTION = 0.25;

/** One contributor to an estimate: what it is, where it is written, bytes. */
export interface MemoryPart {
  what: string;
  bytes: number;
  range: SourceRange | undefined;
}

export interface MemoryEstimate {
  bytes: number;
  parts: MemoryPart[];
}

/** float32 in the training runtime (TensorFlow.js), float64 in the NEF simulator, bytes. */
const F32 = 4;
const F64 = 8;
/** Weights, their gradients and two optimizer slots (Adam's m and v) per trained parameter. */
const COPIES_PER_PARAM = 4;
/**
 * Values kept per activation for backpropagation through time: a neuron layer keeps its
 * spikes, its membrane before firing (for the surrogate) and its state; other layers their
 * output and its gradient.
 */
const KEPT_PER_NEURON_VALUE = 3;
const KEPT_PER_VALUE = 2;
/** The NEF build's evaluation points per ensemble are at most this many (nef's economy rule). */
const MAX_EVAL_POINTS = 2500;

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * The nodes of a model to estimate over. One function, so that the estimate follows the IR
 * when models change shape (chains today, graphs with `inputs` edges: every node is in `layers`).
 */
export function modelNodes(model: Model): readonly Layer[] {
  return model.layers;
}

/** Trainable (and running-statistics) values of one layer. */
export function layerParameters(layer: Layer): number {
  switch (layer.kind) {
    case 'conv2d':
      return layer.filters * (layer.inShape[0] ?? 1) * layer.kernel[0] * layer.kernel[1] + (layer.bias ? layer.filters : 0);
    case 'conv1d':
      return layer.filters * (layer.inShape[0] ?? 1) * layer.kernel + (layer.bias ? layer.filters : 0);
    case 'dense':
      return layer.units * prod(layer.inShape) + (layer.bias ? layer.units : 0);
    case 'batchnorm':
      // gamma, beta, running mean and variance per channel
      return 4 * (layer.inShape[0] ?? 1);
    case 'layernorm':
      return 2 * prod(layer.inShape);
    case 'neuron':
      return layer.neuron.kind === 'plif' ? 1 : 0;
    case 'maxpool':
    case 'avgpool':
    case 'sumpool':
    case 'flatten':
    case 'dropout':
    case 'scale':
    case 'delay':
    case 'add':
    case 'concat':
    case 'iand':
      return 0;
    default:
      return assertNever(layer);
  }
}

/** Memory to train `model` on batches of `batch` samples, bytes. */
export function modelMemory(model: Model, batch: number): MemoryEstimate {
  const samples = batch * model.steps;
  const parts: MemoryPart[] = [{ what: `the encoded input (${fmtCount(samples)} x ${fmtCount(prod(model.input))} values)`, bytes: samples * prod(model.input) * F32, range: model.range }];
  for (const layer of modelNodes(model)) {
    const params = layerParameters(layer);
    const values = samples * prod(layer.outShape) * (layer.kind === 'neuron' ? KEPT_PER_NEURON_VALUE : KEPT_PER_VALUE);
    const bytes = (params * COPIES_PER_PARAM + values) * F32;
    const what = params > 0 ? `\`${layer.id}\` (${fmtCount(params)} parameters, ${fmtCount(prod(layer.outShape))} outputs per step)` : `\`${layer.id}\` (${fmtCount(prod(layer.outShape))} outputs per step)`;
    parts.push({ what, bytes, range: layer.range });
  }
  return total(parts);
}

/** Memory to build and run `net` in the NEF simulator (float64), bytes. */
export function networkMemory(net: Network): MemoryEstimate {
  const steps = Math.ceil(net.runTime / net.dt);
  const sizes = new Map<string, { dims: number; n: number }>();
  for (const i of net.inputs) sizes.set(i.name, { dims: i.dims, n: 0 });
  for (const e of net.ensembles) sizes.set(e.name, { dims: e.dims, n: e.n });
  const parts: MemoryPart[] = [{ what: `the time axis (${fmtCount(steps)} steps of ${net.dt * 1000} ms)`, bytes: steps * F64, range: net.range }];
  for (const e of net.ensembles) {
    const m = Math.min(MAX_EVAL_POINTS, Math.max(1, e.n));
    // encoders, gains, biases, state; evaluation points; activities at them; the solver's Gram matrix
    const values = e.n * e.dims + 4 * e.n + m * e.dims + m * e.n + Math.min(m, e.n) ** 2;
    parts.push({ what: `ensemble \`${e.name}\` (${fmtCount(e.n)} neurons, ${fmtCount(e.dims)} dimensions)`, bytes: values * F64, range: e.range });
  }
  for (const c of net.connections) {
    const pre = sizes.get(c.pre.name);
    const outDims = c.transform.length;
    // decoders (pre neurons x function dims) and the transform
    const values = (pre?.n ?? 0) * (c.transform[0]?.length ?? 0) + outDims * (c.transform[0]?.length ?? 0);
    parts.push({ what: `connection \`${c.pre.name} -> ${c.post.name}\``, bytes: values * F64, range: c.range });
  }
  for (const p of net.probes) {
    const target = sizes.get(p.target.name);
    const width = p.target.slice?.length ?? probeWidth(p.attr, target);
    parts.push({ what: `probe \`${p.name}\` (${fmtCount(steps)} steps x ${fmtCount(width)} values)`, bytes: steps * width * F64, range: p.range });
  }
  return total(parts);
}

/** Values a probe records per step (weights probes are bounded by SNN5303 already). */
function probeWidth(attr: ProbeAttr, target: { dims: number; n: number } | undefined): number {
  switch (attr) {
    case 'decoded':
    case 'output':
      return target?.dims ?? 1;
    case 'spikes':
    case 'voltage':
      return target?.n ?? 1;
    case 'weights':
    case 'weights_norm':
      return 1;
    default:
      return assertNever(attr);
  }
}

function total(parts: MemoryPart[]): MemoryEstimate {
  return { bytes: parts.reduce((a, p) => a + p.bytes, 0), parts };
}

/**
 * Reports every experiment (and sweep point), model and network of `program` whose estimate
 * does not fit in `budgetBytes` (an error) or takes more than a quarter of it (a warning),
 * at the part that needs the most.
 */
export function checkResources(program: Program, sink: Sink, budgetBytes: number = DEFAULT_MEMORY_BYTES): void {
  const experiments: Experiment[] = [...program.experiments, ...program.sweeps.flatMap((s) => s.points.map((p) => p.experiment))];
  const report = (d: Diagnostic | undefined) => d !== undefined && sink.add(d);
  for (const e of experiments) report(experimentMemoryDiagnostic(e, budgetBytes));
  // A model an experiment trains is reported there, with its batch; alone, for one sample.
  const trained = new Set(experiments.map((e) => e.model.name));
  for (const m of program.models.filter((x) => !trained.has(x.name))) {
    report(memoryDiagnostic(modelMemory(m, 1), budgetBytes, `model \`${m.name}\` needs, for a single sample,`, 'model', m.range));
  }
  for (const n of program.networks) report(networkMemoryDiagnostic(n, budgetBytes));
}

/** SNN4400 (does not fit) or SNN4401 (a large part of the budget) for training `e`, or undefined. */
export function experimentMemoryDiagnostic(e: Experiment, budgetBytes: number = DEFAULT_MEMORY_BYTES): Diagnostic | undefined {
  return memoryDiagnostic(modelMemory(e.model, e.batch), budgetBytes, `experiment \`${e.name}\` (batch ${e.batch}, ${e.model.steps} steps) needs`, 'model', e.range);
}

/** SNN5400 (does not fit) or SNN5401 (a large part of the budget) for running `n`, or undefined. */
export function networkMemoryDiagnostic(n: Network, budgetBytes: number = DEFAULT_MEMORY_BYTES): Diagnostic | undefined {
  return memoryDiagnostic(networkMemory(n), budgetBytes, `network \`${n.name}\` (${fmtCount(Math.ceil(n.runTime / n.dt))} steps) needs`, 'network', n.range);
}

/** The diagnostic for an estimate, at the part that needs the most (else `fallback`); undefined when it fits easily. */
function memoryDiagnostic(est: MemoryEstimate, budget: number, subject: string, what: 'model' | 'network', fallback: SourceRange | undefined): Diagnostic | undefined {
  if (est.bytes <= budget * WARN_FRACTION) return undefined;
  const largest = est.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const range = largest.range ?? fallback;
  if (range === undefined) return undefined;
  const args = { subject, size: fmtBytes(est.bytes), part: largest.what, partSize: fmtBytes(largest.bytes), budget: fmtBytes(budget) };
  if (est.bytes <= budget) return makeDiagnostic(what === 'model' ? 'SNN4401' : 'SNN5401', range, args);
  const hint = what === 'model' ? 'make the layer, the batch or the number of steps smaller' : 'use fewer neurons or dimensions, a shorter run, or fewer probes of `.spikes`';
  return makeDiagnostic(what === 'model' ? 'SNN4400' : 'SNN5400', range, args, hint);
}

/** Bytes in binary units, 3 significant digits. */
export function fmtBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toPrecision(3)} ${units[u]}`;
}

/**
 * A count with thousands separators, or in powers of ten when it is huge. Not toLocaleString:
 * its first call loads ICU's locale data, ~30 ms of every `snnc check` (issue 15's start-up budget).
 */
function fmtCount(n: number): string {
  if (n >= 1e9) return n.toExponential(2).replace('e+', 'e');
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
