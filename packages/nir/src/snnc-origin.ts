import type { Encoder } from '@snnc/ir';
import type { H5Group } from './h5tree.js';
import { formatNumber } from './import/numbers.js';
import type { NirArray, NirGraph, NirNode } from './types.js';

/**
 * What `snnc export` writes into NIR `metadata` groups beside the primitives, and what
 * `snnc import` reads back to rebuild snnc's own layers exactly (`.snn -> .nir -> .snn`). Other
 * tools see ordinary NIR nodes and ignore these keys. One table of keys, read and written here.
 *
 * Graph: `dt` (seconds per step), `steps`, `snnc_encoder` with its numbers (`snnc_encoder_gain`,
 * `_mode`, `_tau`, `_threshold`), `snnc_decoder` (the `.snn` words), `producer`, `model`. Node: `snnc_layer` (which snnc layer it was: `LIF`, `IF`, `maxpool`),
 * `reset` (`hard`/`soft`), `surrogate` (kind), `surrogate_alpha`, `tau_steps`, `decay_input`,
 * `detach_reset`, and `snnc_params`: a fingerprint of the node's NIR parameters as written, so a
 * file whose parameters another tool changed falls back to the plain NIR mapping.
 */
export const SNNC_META = {
  dt: 'dt',
  steps: 'steps',
  encoder: 'snnc_encoder',
  encoderGain: 'snnc_encoder_gain',
  encoderMode: 'snnc_encoder_mode',
  encoderTau: 'snnc_encoder_tau',
  encoderThreshold: 'snnc_encoder_threshold',
  decoder: 'snnc_decoder',
  producer: 'producer',
  model: 'model',
  layer: 'snnc_layer',
  reset: 'reset',
  surrogate: 'surrogate',
  surrogateAlpha: 'surrogate_alpha',
  tauSteps: 'tau_steps',
  decayInput: 'decay_input',
  detachReset: 'detach_reset',
  params: 'snnc_params',
} as const;

/** The surrogate kinds snnc knows (IR `Surrogate['kind']`); anything else in a file is ignored. */
const SURROGATES = ['atan', 'sigmoid', 'fast_sigmoid', 'triangle', 'piecewise_quadratic'] as const;
/** Decoder words a file may ask for (the restore writes only these). */
const DECODERS = ['rate', 'count', 'membrane'] as const;

export function setText(g: H5Group, key: string, value: string): void {
  g.children.set(key, { kind: 'text', shape: [], values: [value] });
}

export function setNumber(g: H5Group, key: string, value: number, dtype: '<d' | '<q' = '<d'): void {
  g.children.set(key, { kind: 'array', array: { dtype, shape: [], data: Float64Array.of(value) } });
}

export function textOf(g: H5Group, key: string): string | undefined {
  const t = g.children.get(key);
  return t?.kind === 'text' && t.values.length === 1 ? t.values[0] : undefined;
}

export function numberOf(g: H5Group, key: string): number | undefined {
  const t = g.children.get(key);
  if (t?.kind !== 'array' || t.array.data.length !== 1) return undefined;
  const v = t.array.data[0]!;
  return Number.isFinite(v) ? v : undefined;
}

/** FNV-1a over the float32 bits of the values: equal arrays (to float32) give equal hashes. */
function hashValues(data: Float64Array): string {
  const f = new Float32Array(data);
  const bytes = new Uint8Array(f.buffer);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16);
}

/** The node's kind and parameters (shape and float32 values) as one string. */
export function paramsFingerprint(node: NirNode): string {
  if (node.kind === 'NIRGraph') return 'NIRGraph';
  const parts = Object.entries(node.params as Record<string, NirArray | string | null>).map(([k, v]) => {
    if (v === null || typeof v === 'string') return `${k}=${v}`;
    return `${k}[${v.shape.join('x')}]${hashValues(v.data)}`;
  });
  return `${node.kind}(${parts.join(',')})`;
}

/** The one value of an array whose entries are all equal (to float32), else undefined. */
function single(a: NirArray): number | undefined {
  const v = Math.fround(a.data[0]!);
  return a.data.every((x) => Math.fround(x) === v) ? a.data[0] : undefined;
}

/** What snnc import writes for a node snnc exported: a layer (`text`) or a neuron call. */
export interface SnncLayer {
  text?: string;
  neuron?: { call: string };
}

/**
 * The snnc layer an exported node came from, when its metadata says so and its parameters are
 * still the ones snnc wrote (`snnc_params`); undefined otherwise (the caller maps the NIR node
 * as usual). The `.snn` text is built here from numbers and fixed words, never copied from the
 * file, so a crafted file cannot inject source.
 */
export function snncLayerOf(node: NirNode): SnncLayer | undefined {
  if (node.kind === 'NIRGraph') return undefined;
  const m = node.metadata;
  const layer = textOf(m, SNNC_META.layer);
  if (layer === undefined || textOf(m, SNNC_META.params) !== paramsFingerprint(node)) return undefined;
  const n = (v: number) => formatNumber(v);
  if (layer === 'maxpool' && node.kind === 'AvgPool2d') {
    const p = node.params;
    const pair = (a: NirArray) => [a.data[0]!, a.data[a.data.length === 1 ? 0 : 1]!];
    if (p.padding.data.some((x) => x !== 0)) return undefined;
    const [kh, kw] = pair(p.kernel_size);
    const [sh, sw] = pair(p.stride);
    const text = (a: number, b: number) => (a === b ? `${a}` : `[${a}, ${b}]`);
    return { text: `maxpool(${text(kh!, kw!)}, stride: ${text(sh!, sw!)})` };
  }
  if ((layer === 'LIF' && node.kind === 'LIF') || (layer === 'IF' && node.kind === 'IF')) {
    const threshold = single(node.params.v_threshold);
    const resetValue = single(node.params.v_reset);
    const mode = textOf(m, SNNC_META.reset);
    const surrogate = textOf(m, SNNC_META.surrogate);
    const alpha = numberOf(m, SNNC_META.surrogateAlpha);
    const detach = numberOf(m, SNNC_META.detachReset);
    if (threshold === undefined || resetValue === undefined || (mode !== 'hard' && mode !== 'soft')) return undefined;
    if (!SURROGATES.some((s) => s === surrogate) || alpha === undefined || !(alpha > 0) || (detach !== 0 && detach !== 1)) return undefined;
    // The metadata must describe these very parameters (dt r = 1 for IF; tau = dt tau_steps, r and v_leak for LIF).
    const dt = numberOf(m, SNNC_META.dt);
    const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    if (dt === undefined || !(dt > 0)) return undefined;
    const common = `threshold: ${n(threshold)}, reset: ${mode === 'soft' ? 'soft' : n(resetValue)}, detach_reset: ${detach === 1}, surrogate: ${surrogate}(alpha: ${n(alpha)})`;
    if (node.kind === 'IF') return near(single(node.params.r), 1 / dt) ? { neuron: { call: `IF(${common})` } } : undefined;
    const tau = numberOf(m, SNNC_META.tauSteps);
    const decay = numberOf(m, SNNC_META.decayInput);
    if (tau === undefined || !(tau > 1) || (decay !== 0 && decay !== 1)) return undefined;
    if (!near(single(node.params.tau), dt * tau) || !near(single(node.params.r), decay === 1 ? 1 : tau) || single(node.params.v_leak) !== resetValue) return undefined;
    return { neuron: { call: `LIF(tau: ${n(tau)}, decay_input: ${decay === 1}, ${common})` } };
  }
  return undefined;
}

/**
 * Lines for the imported model block that restore snnc's encoder and decoder (`encode direct`,
 * `decode membrane`), from the graph metadata snnc export writes; empty for other files.
 */
export function snncModelLines(graph: NirGraph): string[] {
  const m = graph.metadata;
  if (textOf(m, SNNC_META.producer) !== 'snnc') return [];
  const lines: string[] = [];
  const enc = encoderText(m);
  if (enc !== undefined) lines.push(`encode ${enc}`);
  const dec = textOf(m, SNNC_META.decoder);
  if (DECODERS.some((d) => d === dec)) lines.push(`decode ${dec}`);
  return lines;
}

/** Writes the model's encoder into graph metadata (the NIR graph itself starts after it). */
export function setEncoder(g: H5Group, e: Encoder): void {
  setText(g, SNNC_META.encoder, e.kind);
  switch (e.kind) {
    case 'direct':
      return;
    case 'poisson':
      setNumber(g, SNNC_META.encoderGain, e.gain);
      return;
    case 'latency':
      setText(g, SNNC_META.encoderMode, e.mode);
      setNumber(g, SNNC_META.encoderTau, e.tau);
      setNumber(g, SNNC_META.encoderThreshold, e.threshold);
      return;
    default: {
      const never: never = e;
      throw new Error(`setEncoder: unknown encoder ${JSON.stringify(never)}`);
    }
  }
}

/** The `.snn` encoder the metadata describes (built from numbers and fixed words), if valid. */
function encoderText(m: H5Group): string | undefined {
  const n = (v: number) => formatNumber(v);
  switch (textOf(m, SNNC_META.encoder)) {
    case 'direct':
      return 'direct';
    case 'poisson': {
      const gain = numberOf(m, SNNC_META.encoderGain);
      return gain !== undefined && gain >= 0 ? `poisson(gain: ${n(gain)})` : undefined;
    }
    case 'latency': {
      const mode = textOf(m, SNNC_META.encoderMode);
      const tau = numberOf(m, SNNC_META.encoderTau);
      const threshold = numberOf(m, SNNC_META.encoderThreshold);
      if ((mode !== 'linear' && mode !== 'log') || tau === undefined || threshold === undefined) return undefined;
      return `latency(mode: ${mode}, tau: ${n(tau)}, threshold: ${n(threshold)})`;
    }
    default:
      return undefined;
  }
}

/** Time steps per sample the exporting model ran (graph metadata `steps`), if snnc wrote it. */
export function snncSteps(graph: NirGraph): number | undefined {
  const s = numberOf(graph.metadata, SNNC_META.steps);
  return s !== undefined && Number.isInteger(s) && s >= 1 && s <= 100_000 ? s : undefined;
}
