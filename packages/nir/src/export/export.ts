import { layerInputs, MODEL_INPUT, modelOutputId, recurrentGroups, type Layer, type Model } from '@snnc/ir';
import { paramsFingerprint, setEncoder, setNumber, setText, SNNC_META } from '../snnc-origin.js';
import { nirArray, sizeOf, type NirArray, type NirGraph, type NirNode } from '../types.js';
import { foldBatchNorm, hwcToChw, isFoldTarget } from './fold.js';
import { neuronNode } from './neurons.js';
import { emptyGroup, ExportError, filled, ints, node, scalarInt, Warnings, type ExportTensor, type ExportWarning } from './nodes.js';
import { isSpiking } from './spikes.js';

export { ExportError, type ExportTensor, type ExportWarning } from './nodes.js';

export interface ExportOptions {
  /** Seconds per time step: NIR is continuous-time, snnc's trained neurons count steps. */
  dt: number;
}

export interface ExportResult {
  graph: NirGraph;
  /** Every lossy step, once each (`--strict` makes them errors). */
  warnings: ExportWarning[];
}

/** What a model node stands for in the NIR graph: the NIR nodes whose (summed) outputs it is. */
interface Source {
  nodes: string[];
  /** A flattened [C, H, W] (IR order) whose dense consumer must reorder its columns. */
  chw?: number[];
}

/** Layers that act on each element alone: a flatten's channel order passes through them. */
const ELEMENTWISE = new Set<Layer['kind']>(['neuron', 'scale', 'delay', 'dropout']);

/**
 * The NIR graph of a trained `.snn` model. Neurons map as neurons.ts says; batch norm is
 * folded into the conv/dense before it; dropout is the identity at inference; an `add` becomes
 * several edges into its readers (NIR sums a node's inputs); `concat` becomes one identity
 * embedding per input (a Linear, or a 1x1 conv for maps) whose outputs the readers sum, which is
 * exact; max pooling of spikes is a SumPool2d and a Threshold at 0.5 (exact: the max of 0/1
 * values is 1 when their sum is), of other values an AvgPool2d with a warning (NIR has no max
 * pooling; snnc import restores the maxpool from the node's metadata); IAND of spikes, (1 - a) b,
 * is a Threshold at 0.5 of b - a (exact). A `delay(1)` inside a recurrent loop becomes the
 * loop's plain edge (NIR simulators step a loop with one step of delay), a delay(k) in a loop a
 * Delay node of (k - 1) * dt on the cycle, other delays a Delay node of steps * dt. Refused
 * (ExportError, naming the layer): layernorm, ALIF, IAND of non-spikes, neuron definitions other
 * than NIR's and IF/LIF-shaped ones, weights missing or of the wrong shape.
 */
export function exportModel(model: Model, weights: ReadonlyMap<string, ExportTensor>, opts: ExportOptions): ExportResult {
  const warnings = new Warnings();
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const sources = new Map<string, Source>([[MODEL_INPUT, { nodes: ['input'] }]]);
  const readers = new Map<string, number>();
  model.layers.forEach((_, i) => {
    for (const src of layerInputs(model, i)) readers.set(src, (readers.get(src) ?? 0) + 1);
  });
  const shapeOf = (id: string): number[] => (id === MODEL_INPUT ? model.input : (model.layers.find((l) => l.id === id)?.outShape ?? []));
  const groups = recurrentGroups(model);
  const inLoop = new Set(groups.flat());
  for (const g of groups) {
    const delays = model.layers.filter((l) => l.kind === 'delay' && g.includes(l.id));
    if (delays.length > 1) {
      warnings.add(delays[0]!.range, `the recurrent loop through ${delays.map((d) => `\`${d.name ?? d.id}\``).join(', ')} has ${delays.length} delays: NIR readers add one step per cycle and export takes it from each delay, so a cycle through more than one of them comes back one step shorter per extra delay`);
    }
  }
  /** A weight of layer `l`, checked against the shape the layer needs (the weights come from a file). */
  const weight = (l: Layer, name: string, shape: number[]): ExportTensor => {
    const w = weights.get(`${l.id}/${name}`);
    if (!w) throw new ExportError(l.name ?? l.id, `its weight \`${l.id}/${name}\` is missing from the weights given`);
    if (w.shape.join(',') !== shape.join(',') || w.data.length !== sizeOf(shape)) {
      throw new ExportError(l.name ?? l.id, `its weight \`${l.id}/${name}\` has shape [${w.shape.join(', ')}], the layer needs [${shape.join(', ')}] (weights of another model?)`);
    }
    return w;
  };
  const fresh = (base: string) => {
    let n = base;
    for (let k = 2; nodes.has(n) || n === 'input' || n === 'output'; k++) n = `${base}_${k}`;
    return n;
  };

  nodes.set('input', node({ kind: 'Input', params: { shape: ints(model.input) } }));
  if (model.encoder.kind !== 'direct') warnings.add(model.range, `encoder \`${model.encoder.kind}\` is not a NIR node: the NIR graph takes its input as the encoded spikes (snnc import restores the encoder from the graph's metadata)`);

  // Loops may read a later node: give every node its NIR sources first, then connect.
  /** Edges from the NIR nodes of model node `read` into NIR node `target`. */
  const connect: { target: string; label: string; read: string }[] = [];
  /** Layers that become edges rather than nodes (an add, a loop's one-step delay). */
  const passes: { layer: Layer; reads: string[] }[] = [];
  model.layers.forEach((l, i) => {
    const reads = layerInputs(model, i);
    const label = l.name ?? l.id;
    const base = l.name ?? l.id;
    const from = (id: string): Source => {
      const s = sources.get(id);
      if (!s) throw new ExportError(label, `it reads \`${id}\` before that is defined outside a recurrent loop`);
      return s;
    };
    /** The one input's flatten order, kept by elementwise layers. */
    const inChw = reads.length === 1 ? sources.get(reads[0]!)?.chw : undefined;
    /** A NIR node fed by NIR node(s) of the model nodes `read`. */
    const put = (name: string, n: NirNode, read: string[]) => {
      nodes.set(name, n);
      for (const r of read) connect.push({ target: name, label, read: r });
    };
    const add = (n: NirNode, extra: Partial<Source> = {}) => {
      const name = fresh(base);
      put(name, n, reads);
      sources.set(l.id, { nodes: [name], ...(ELEMENTWISE.has(l.kind) && inChw ? { chw: inChw } : {}), ...extra });
    };
    switch (l.kind) {
      case 'dense': {
        const inn = sizeOf(l.inShape);
        const out = l.units;
        const k = weight(l, 'kernel', [inn, out]);
        const w = new Float64Array(out * inn);
        for (let r = 0; r < inn; r++) {
          // Rows follow snnc's channels-last flatten; NIR's columns are channels-first.
          const col = inChw ? hwcToChw(r, inChw) : r;
          for (let o = 0; o < out; o++) w[o * inn + col] = k.data[r * out + o]!;
        }
        const weightArr: NirArray = { dtype: '<f', shape: [out, inn], data: w };
        add(l.bias ? node({ kind: 'Affine', params: { weight: weightArr, bias: nirArray([out], weight(l, 'bias', [out]).data) } }) : node({ kind: 'Linear', params: { weight: weightArr } }));
        break;
      }
      case 'conv2d':
      case 'conv1d': {
        const ks = l.kind === 'conv2d' ? [...l.kernel] : [l.kernel];
        const cin = l.inShape[0]!;
        const cout = l.filters;
        const k = weight(l, 'kernel', [...ks, cin, cout]);
        const kn = sizeOf(ks);
        // Runtime kernel [...K, C_in, C_out] -> NIR/PyTorch [C_out, C_in, ...K].
        const w = new Float64Array(k.data.length);
        for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) for (let p = 0; p < kn; p++) w[(o * cin + c) * kn + p] = k.data[(p * cin + c) * cout + o]!;
        const bias = l.bias ? nirArray([cout], weight(l, 'bias', [cout]).data) : filled([cout], 0);
        const common = { weight: { dtype: '<f' as const, shape: [cout, cin, ...ks], data: w }, bias, groups: scalarInt(1), input_shape: ints(l.inShape.slice(1)) };
        if (l.kind === 'conv2d') add(node({ kind: 'Conv2d', params: { ...common, stride: ints(l.stride), padding: ints(l.padding), dilation: ints([1, 1]) } }));
        else add(node({ kind: 'Conv1d', params: { ...common, stride: scalarInt(l.stride), padding: scalarInt(l.padding), dilation: scalarInt(1) } }));
        break;
      }
      case 'batchnorm': {
        const src = reads.length === 1 ? sources.get(reads[0]!) : undefined;
        const target = src?.nodes.length === 1 ? nodes.get(src.nodes[0]!) : undefined;
        if (!src || !isFoldTarget(target) || (readers.get(reads[0]!) ?? 0) !== 1) {
          throw new ExportError(label, 'batch norm must follow a conv or dense layer read by nothing else, to be folded into it');
        }
        const c = [l.inShape[0]!];
        const folded = foldBatchNorm(target, { gamma: weight(l, 'gamma', c), beta: weight(l, 'beta', c), mean: weight(l, 'moving_mean', c), variance: weight(l, 'moving_variance', c), eps: l.eps });
        nodes.set(src.nodes[0]!, folded);
        warnings.add(l.range, `batch norm \`${label}\` is folded into \`${src.nodes[0]}\` with its running statistics (NIR has no batch norm)`);
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
      case 'maxpool': {
        const window = { kernel_size: ints(l.size), stride: ints(l.stride), padding: ints([0, 0]) };
        if (isSpiking(model, reads[0]!)) {
          // max over 0/1 values = [sum > 0.5]: a SumPool2d then a Threshold, exact.
          const sum = fresh(`${base}_sum`);
          put(sum, node({ kind: 'SumPool2d', params: window }), reads);
          const any = fresh(base);
          nodes.set(any, node({ kind: 'Threshold', params: { threshold: filled(l.outShape, 0.5) } }));
          edges.push([sum, any]);
          sources.set(l.id, { nodes: [any] });
          break;
        }
        const avg = node({ kind: 'AvgPool2d', params: window });
        const meta = emptyGroup();
        setText(meta, SNNC_META.layer, 'maxpool');
        setText(meta, SNNC_META.params, paramsFingerprint(avg));
        add({ ...avg, metadata: meta });
        warnings.add(l.range, `maxpool \`${label}\` has no NIR primitive (its input is not spikes): written as AvgPool2d, which other tools compute as the window's mean; snnc import restores the maxpool from the node's metadata`);
        break;
      }
      case 'concat': {
        // Each input through an identity embedding into its slot; the readers sum the slots.
        const total = l.outShape[0]!;
        const parts: string[] = [];
        let offset = 0;
        reads.forEach((r, k) => {
          const shape = shapeOf(r);
          const c = shape[0]!;
          const chw = sources.get(r)?.chw;
          const name = fresh(`${base}_in${k}`);
          parts.push(name);
          put(name, embedding(shape, total, offset, chw), [r]);
          offset += c;
        });
        sources.set(l.id, { nodes: parts });
        break;
      }
      case 'iand': {
        if (!reads.every((r) => isSpiking(model, r))) throw new ExportError(label, 'iand of values that are not spikes has no NIR form (of spikes it is a Threshold of b - a)');
        // (1 - a) b of 0/1 values = [b - a > 0.5].
        const neg = fresh(`${base}_not`);
        put(neg, node({ kind: 'Scale', params: { scale: filled(l.outShape, -1) } }), [reads[0]!]);
        const out = fresh(base);
        put(out, node({ kind: 'Threshold', params: { threshold: filled(l.outShape, 0.5) } }), [reads[1]!]);
        edges.push([neg, out]);
        sources.set(l.id, { nodes: [out] });
        break;
      }
      case 'scale':
        add(node({ kind: 'Scale', params: { scale: filled(l.outShape, l.factor) } }));
        break;
      case 'delay': {
        // NIR simulators (and snnc import) step a cycle with one step of delay: inside a loop that
        // step is the delay's first; the rest is a Delay node on the cycle.
        const steps = inLoop.has(l.id) ? l.steps - 1 : l.steps;
        if (steps === 0) {
          passes.push({ layer: l, reads });
          break;
        }
        add(node({ kind: 'Delay', params: { delay: nirArray(l.outShape, new Array<number>(sizeOf(l.outShape)).fill(steps * opts.dt), '<d') } }));
        break;
      }
      case 'add': {
        // NIR sums every edge into a node: the add is its inputs' edges to its readers.
        const parts = reads.map((r) => sources.get(r));
        if (parts.every((x): x is Source => x !== undefined)) sources.set(l.id, { nodes: parts.flatMap((x) => x.nodes) });
        else passes.push({ layer: l, reads }); // in a loop: an input comes later
        break;
      }
      case 'neuron':
        add(neuronNode(l, l.neuron, opts.dt, warnings, (name, shape) => weight(l, name, shape)));
        break;
      case 'layernorm':
        throw new ExportError(label, 'layernorm has no NIR primitive');
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
    const from = sources.get(c.read);
    if (!from) throw new ExportError(c.label, `its input \`${c.read}\` has no NIR node`);
    for (const n of from.nodes) edges.push([n, c.target]);
  }
  const out = sources.get(modelOutputId(model));
  if (!out) throw new ExportError(modelOutputId(model), 'the decoded node has no NIR node');
  nodes.set('output', node({ kind: 'Output', params: { shape: ints(model.outputShape) } }));
  for (const n of out.nodes) edges.push([n, 'output']);
  warnings.add(model.range, `decoder \`${model.decoder.kind}\` is not a NIR node: the NIR output is the last layer's output at every step`);

  const metadata = emptyGroup();
  setNumber(metadata, SNNC_META.dt, opts.dt);
  setNumber(metadata, SNNC_META.steps, model.steps, '<q');
  setText(metadata, SNNC_META.producer, 'snnc');
  setText(metadata, SNNC_META.model, model.name);
  setEncoder(metadata, model.encoder);
  setText(metadata, SNNC_META.decoder, model.decoder.kind);
  return { graph: { kind: 'NIRGraph', nodes, edges, metadata, extra: emptyGroup() }, warnings: warnings.list };
}

/**
 * The identity map of one concat input (IR shape `shape`, channels first) into channels
 * [offset, offset + C) of `total`: a Linear for vectors (columns in NIR's channels-first order
 * when the vector is a flatten snnc laid out channels-last), a 1x1 conv for maps.
 */
function embedding(shape: number[], total: number, offset: number, chw: number[] | undefined): NirNode {
  const c = shape[0]!;
  if (shape.length === 1) {
    const w = new Float64Array(total * c);
    for (let j = 0; j < c; j++) w[(offset + j) * c + (chw ? hwcToChw(j, chw) : j)] = 1;
    return node({ kind: 'Linear', params: { weight: { dtype: '<f', shape: [total, c], data: w } } });
  }
  const w = new Float64Array(total * c);
  for (let j = 0; j < c; j++) w[(offset + j) * c + j] = 1;
  const dims = shape.length - 1;
  const weight: NirArray = { dtype: '<f', shape: [total, c, ...new Array<number>(dims).fill(1)], data: w };
  const common = { weight, bias: filled([total], 0), groups: scalarInt(1), input_shape: ints(shape.slice(1)) };
  if (dims === 2) return node({ kind: 'Conv2d', params: { ...common, stride: ints([1, 1]), padding: ints([0, 0]), dilation: ints([1, 1]) } });
  return node({ kind: 'Conv1d', params: { ...common, stride: scalarInt(1), padding: scalarInt(0), dilation: scalarInt(1) } });
}
