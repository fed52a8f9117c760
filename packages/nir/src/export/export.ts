import { layerInputs, modelOutputId, recurrentGroups, type Layer, type Model, type NeuronDef, type Surrogate } from '@snnc/ir';
import type { H5Group, H5Tree } from '../h5tree.js';
import { nirArray, sizeOf, type NirArray, type NirGraph, type NirMetadata, type NirNode, type NirPrimitive } from '../types.js';

/** A weight as the runtime names and lays it out (`dense_0/kernel` [in, out]), float32. */
export interface ExportTensor {
  shape: number[];
  data: Float32Array;
}

export interface ExportOptions {
  /** Seconds per time step: NIR is continuous-time, snnc's trained neurons count steps. */
  dt: number;
}

export interface ExportResult {
  graph: NirGraph;
  /** Every lossy step, in words (`--strict` makes them errors). */
  warnings: string[];
}

/** A model part NIR cannot express; names the layer. */
export class ExportError extends Error {
  constructor(
    readonly layer: string,
    readonly reason: string,
  ) {
    super(`layer \`${layer}\`: ${reason}`);
    this.name = 'ExportError';
  }
}

const none = (): NirMetadata => ({ kind: 'group', children: new Map() });
const node = <N extends Omit<NirPrimitive, 'metadata' | 'extra'>>(n: N): NirNode => ({ ...n, metadata: none(), extra: none() }) as unknown as NirNode;
const ints = (values: number[]) => nirArray([values.length], values, '<q');
const scalarInt = (v: number) => nirArray([], [v], '<q');
const filled = (shape: number[], v: number) => nirArray(shape, new Array<number>(sizeOf(shape)).fill(v), '<f');
const text = (s: string): H5Tree => ({ kind: 'text', shape: [], values: [s] });

/** What a model node stands for in the NIR graph: the NIR nodes whose (summed) outputs it is. */
interface Source {
  nodes: string[];
  /** A flattened [C, H, W] (IR order) whose dense consumer must reorder its columns. */
  chw?: number[];
}

function surrogateText(s: Surrogate): string {
  return `${s.kind}(alpha=${s.alpha})`;
}

/**
 * The NIR graph of a trained `.snn` model. Discrete-time neurons are mapped with the ecosystem's
 * convention (snnTorch's and SpikingJelly's exporters): tau = dt * tau_steps and r such that
 * dt * r / tau is the per-step input gain (1/tau with decay_input, else 1); IF gets r = 1/dt.
 * Batch norm is folded into the conv/dense before it; dropout is the identity at inference; an
 * `add` becomes several edges into its readers (NIR sums a node's inputs); a `delay(1)` inside
 * a recurrent loop becomes the loop's plain edge (NIR simulators step a loop with one step of
 * delay), other delays a Delay node of steps * dt. Layers NIR has no primitive for (maxpool,
 * concat, iand, layernorm, ALIF) are refused.
 */
export function exportModel(model: Model, weights: ReadonlyMap<string, ExportTensor>, opts: ExportOptions): ExportResult {
  const warnings: string[] = [];
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const sources = new Map<string, Source>([['input', { nodes: ['input'] }]]);
  const readers = new Map<string, number>();
  model.layers.forEach((_, i) => {
    for (const src of layerInputs(model, i)) readers.set(src, (readers.get(src) ?? 0) + 1);
  });
  const inLoop = new Set(recurrentGroups(model).flat());
  const weight = (l: Layer, name: string): ExportTensor => {
    const w = weights.get(`${l.id}/${name}`);
    if (!w) throw new ExportError(l.name ?? l.id, `its weight \`${l.id}/${name}\` is missing from the weights given`);
    return w;
  };
  const nameOf = (l: Layer) => {
    let n = l.name ?? l.id;
    for (let k = 2; nodes.has(n) || n === 'input' || n === 'output'; k++) n = `${l.name ?? l.id}_${k}`;
    return n;
  };

  nodes.set('input', node({ kind: 'Input', params: { shape: ints(model.input) } }));
  if (model.encoder.kind !== 'direct') warnings.push(`encoder \`${model.encoder.kind}\` is not a NIR node: the NIR graph takes its input as the encoded spikes`);

  // Loops may read a later node: give every node its NIR sources first, then connect.
  /** NIR nodes made from layers, and what each reads. */
  const connect: { target: string; layer: Layer; reads: string[] }[] = [];
  /** Layers that become edges rather than nodes (an add, a loop's one-step delay). */
  const passes: { layer: Layer; reads: string[] }[] = [];
  model.layers.forEach((l, i) => {
    const reads = layerInputs(model, i);
    const label = l.name ?? l.id;
    const from = (id: string): Source => {
      const s = sources.get(id);
      if (!s) throw new ExportError(label, `it reads \`${id}\` before that is defined outside a recurrent loop`);
      return s;
    };
    const add = (n: NirNode, extra: Partial<Source> = {}) => {
      const name = nameOf(l);
      nodes.set(name, n);
      sources.set(l.id, { nodes: [name], ...extra });
      connect.push({ target: name, layer: l, reads });
    };
    switch (l.kind) {
      case 'dense': {
        const k = weight(l, 'kernel');
        const [inn, out] = k.shape as [number, number];
        const chw = reads.length === 1 ? sources.get(reads[0]!)?.chw : undefined;
        const w = new Float64Array(out * inn);
        for (let r = 0; r < inn; r++) {
          // Rows follow snnc's channels-last flatten; NIR's columns are channels-first.
          const col = chw ? hwcToChw(r, chw) : r;
          for (let o = 0; o < out; o++) w[o * inn + col] = k.data[r * out + o]!;
        }
        const weightArr: NirArray = { dtype: '<f', shape: [out, inn], data: w };
        add(l.bias ? node({ kind: 'Affine', params: { weight: weightArr, bias: nirArray([out], weight(l, 'bias').data) } }) : node({ kind: 'Linear', params: { weight: weightArr } }));
        break;
      }
      case 'conv2d':
      case 'conv1d': {
        const k = weight(l, 'kernel');
        const dims = l.kind === 'conv2d' ? 2 : 1;
        const ks = k.shape.slice(0, dims);
        const [cin, cout] = k.shape.slice(dims) as [number, number];
        const kn = sizeOf(ks);
        const w = new Float64Array(k.data.length);
        for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) for (let p = 0; p < kn; p++) w[(o * cin + c) * kn + p] = k.data[(p * cin + c) * cout + o]!;
        const bias = l.bias ? nirArray([cout], weight(l, 'bias').data) : filled([cout], 0);
        const common = { weight: { dtype: '<f' as const, shape: [cout, cin, ...ks], data: w }, bias, groups: scalarInt(1), input_shape: ints(l.inShape.slice(1)) };
        if (l.kind === 'conv2d') add(node({ kind: 'Conv2d', params: { ...common, stride: ints(l.stride), padding: ints(l.padding), dilation: ints([1, 1]) } }));
        else add(node({ kind: 'Conv1d', params: { ...common, stride: scalarInt(l.stride), padding: scalarInt(l.padding), dilation: scalarInt(1) } }));
        break;
      }
      case 'batchnorm': {
        const src = reads.length === 1 ? sources.get(reads[0]!) : undefined;
        const target = src?.nodes.length === 1 ? nodes.get(src.nodes[0]!) : undefined;
        if (!src || !target || (target.kind !== 'Conv2d' && target.kind !== 'Conv1d' && target.kind !== 'Affine' && target.kind !== 'Linear') || (readers.get(reads[0]!) ?? 0) !== 1) {
          throw new ExportError(label, 'batch norm must follow a conv or dense layer read by nothing else, to be folded into it');
        }
        foldBatchNorm(target, weight(l, 'gamma'), weight(l, 'beta'), weight(l, 'moving_mean'), weight(l, 'moving_variance'), l.eps, (n) => nodes.set(src.nodes[0]!, n));
        warnings.push(`batch norm \`${label}\` is folded into \`${src.nodes[0]}\` with its running statistics (NIR has no batch norm)`);
        sources.set(l.id, src);
        break;
      }
      case 'dropout':
        sources.set(l.id, from(reads[0]!));
        break;
      case 'flatten': {
        const src = from(reads[0]!);
        if (l.inShape.length === 1) {
          sources.set(l.id, src);
          break;
        }
        add(node({ kind: 'Flatten', params: { start_dim: scalarInt(0), end_dim: scalarInt(-1), input_type: ints(l.inShape) } }), l.inShape.length === 3 ? { chw: [...l.inShape] } : {});
        break;
      }
      case 'avgpool':
      case 'sumpool':
        add(node({ kind: l.kind === 'avgpool' ? 'AvgPool2d' : 'SumPool2d', params: { kernel_size: ints(l.size), stride: ints(l.stride), padding: ints([0, 0]) } }));
        break;
      case 'scale':
        add(node({ kind: 'Scale', params: { scale: filled(l.outShape, l.factor) } }));
        break;
      case 'delay':
        if (l.steps === 1 && inLoop.has(l.id)) {
          // The loop's one-step delay is how NIR simulators step a cycle: a plain edge.
          passes.push({ layer: l, reads });
          break;
        }
        add(node({ kind: 'Delay', params: { delay: nirArray(l.outShape, new Array<number>(sizeOf(l.outShape)).fill(l.steps * opts.dt), '<d') } }));
        break;
      case 'add':
        // NIR sums every edge into a node: the add is its inputs' edges to its readers.
        passes.push({ layer: l, reads });
        break;
      case 'neuron':
        add(neuronNode(l, l.neuron, opts.dt, warnings, (name) => weight(l, name)));
        break;
      case 'maxpool':
      case 'concat':
      case 'iand':
      case 'layernorm':
        throw new ExportError(label, `${l.kind} has no NIR primitive`);
      default: {
        const never: never = l;
        throw new ExportError(label, `unknown layer ${JSON.stringify(never)}`);
      }
    }
  });

  // A pass-through stands for its inputs' NIR nodes; in a loop an input may come later, so
  // resolve them until nothing changes (a loop always contains a real layer).
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of passes) {
      if (sources.has(p.layer.id)) continue;
      const parts = p.reads.map((r) => sources.get(r));
      if (parts.every((x): x is Source => x !== undefined)) {
        sources.set(p.layer.id, { nodes: parts.flatMap((x) => x.nodes) });
        changed = true;
      }
    }
  }
  for (const c of connect) {
    for (const r of c.reads) {
      const from = sources.get(r);
      if (!from) throw new ExportError(c.layer.name ?? c.layer.id, `its input \`${r}\` has no NIR node`);
      for (const n of from.nodes) edges.push([n, c.target]);
    }
  }
  const out = sources.get(modelOutputId(model));
  if (!out) throw new ExportError(modelOutputId(model), 'the decoded node has no NIR node');
  nodes.set('output', node({ kind: 'Output', params: { shape: ints(model.outputShape) } }));
  for (const n of out.nodes) edges.push([n, 'output']);
  warnings.push(`decoder \`${model.decoder.kind}\` is not a NIR node: the NIR output is the last layer's output at every step`);

  const metadata: H5Group = none();
  metadata.children.set('dt', { kind: 'array', array: nirArray([], [opts.dt], '<d') });
  metadata.children.set('producer', text('snnc'));
  metadata.children.set('model', text(model.name));
  return { graph: { kind: 'NIRGraph', nodes, edges, metadata, extra: none() }, warnings };
}

/** Row `r` of snnc's channels-last flatten of [C, H, W] as NIR's channels-first column. */
function hwcToChw(r: number, [C, H, W]: number[]): number {
  const c = r % C!;
  const hw = Math.floor(r / C!);
  const h = Math.floor(hw / W!);
  const w = hw % W!;
  return (c * H! + h) * W! + w;
}

/** W' = W gamma / sqrt(var + eps) per output channel, b' = (b - mean) gamma / sqrt(var + eps) + beta. */
function foldBatchNorm(target: NirNode, gamma: ExportTensor, beta: ExportTensor, mean: ExportTensor, variance: ExportTensor, eps: number, set: (n: NirNode) => void): void {
  if (target.kind !== 'Conv2d' && target.kind !== 'Conv1d' && target.kind !== 'Affine' && target.kind !== 'Linear') return;
  const w = target.params.weight;
  const out = w.shape[0]!;
  const per = w.data.length / out;
  const scale = Float64Array.from({ length: out }, (_, o) => gamma.data[o]! / Math.sqrt(variance.data[o]! + eps));
  const weight: NirArray = { ...w, data: w.data.map((v, i) => v * scale[Math.floor(i / per)]!) };
  const oldBias = target.kind === 'Linear' ? new Float64Array(out) : target.params.bias.data;
  const bias = nirArray([out], Array.from({ length: out }, (_, o) => (oldBias[o]! - mean.data[o]!) * scale[o]! + beta.data[o]!));
  if (target.kind === 'Linear' || target.kind === 'Affine') set({ ...target, kind: 'Affine', params: { weight, bias } } as NirNode);
  else set({ ...target, params: { ...target.params, weight, bias } } as NirNode);
}

function neuronNode(l: Layer, n: NeuronDef, dt: number, warnings: string[], weight: (name: string) => ExportTensor): NirNode {
  const shape = l.outShape;
  const label = l.name ?? l.id;
  const v = (x: number) => filled(shape, x);
  const common = () => {
    if (n.kind === 'equations') return;
    if (n.reset === 'soft') warnings.push(`neuron \`${label}\`: soft reset (v -= threshold) has no NIR form; written as a reset to ${n.resetValue}`);
    warnings.push(`neuron \`${label}\`: surrogate ${surrogateText(n.surrogate)} is training-only; NIR keeps the spike function`);
  };
  switch (n.kind) {
    case 'if':
      common();
      return node({ kind: 'IF', params: { r: v(1 / dt), v_threshold: v(n.threshold), v_reset: v(n.resetValue) } });
    case 'lif':
    case 'plif': {
      common();
      let tauSteps = n.tau;
      if (n.kind === 'plif') {
        // 1/tau = sigmoid(w), learned per layer.
        const w = weight('w').data[0]!;
        tauSteps = 1 + Math.exp(-w);
      }
      const tau = dt * tauSteps;
      return node({ kind: 'LIF', params: { tau: v(tau), r: v(n.decayInput ? 1 : tauSteps), v_leak: v(n.resetValue), v_threshold: v(n.threshold), v_reset: v(n.resetValue) } });
    }
    case 'alif':
      throw new ExportError(label, 'ALIF (adaptive threshold) has no NIR primitive');
    case 'equations': {
      const p = n.params;
      const num = (k: string) => {
        const x = p[k];
        if (x === undefined) throw new ExportError(label, `neuron definition \`${n.definition}\` has no parameter \`${k}\``);
        return x;
      };
      switch (n.definition) {
        case 'NirLIF':
          return node({ kind: 'LIF', params: { tau: v(num('tau')), r: v(num('r')), v_leak: v(num('v_leak')), v_threshold: v(num('threshold')), v_reset: v(num('reset')) } });
        case 'NirIF':
          return node({ kind: 'IF', params: { r: v(num('r')), v_threshold: v(num('threshold')), v_reset: v(num('reset')) } });
        case 'NirCubaLI':
          return node({ kind: 'CubaLI', params: { tau_syn: v(num('tau_syn')), tau_mem: v(num('tau_mem')), r: v(num('r')), v_leak: v(num('v_leak')), w_in: v(num('w_in')) } });
        case 'CubaLIF':
          return node({ kind: 'CubaLIF', params: { tau_syn: v(num('tau_syn')), tau_mem: v(num('tau_mem')), r: v(num('r')), v_leak: v(num('v_leak')), v_threshold: v(num('threshold')), v_reset: v(num('reset')), w_in: v(num('w_in')) } });
        case 'LI':
          return node({ kind: 'LI', params: { tau: v(num('tau')), r: v(num('r')), v_leak: v(num('v_leak')) } });
        case 'Integrator':
          return node({ kind: 'I', params: { r: v(num('r')) } });
        case 'NirThreshold':
          return node({ kind: 'Threshold', params: { threshold: v(num('threshold')) } });
        default:
          throw new ExportError(label, `neuron definition \`${n.definition}\` has no NIR primitive (NIR knows LIF, IF, LI, I, CubaLI, CubaLIF and Threshold)`);
      }
    }
    default: {
      const never: never = n;
      throw new ExportError(label, `unknown neuron ${JSON.stringify(never)}`);
    }
  }
}
