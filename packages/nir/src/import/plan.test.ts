import { readFile } from 'node:fs/promises';
import { compile } from '@snnc/dsl';
import { describe, expect, it } from 'vitest';
import { fixture, HAVE_FIXTURES } from '../__tests__/fixtures.js';
import { readNir } from '../nir-file.js';
import { nirArray, type NirGraph, type NirMetadata, type NirNode, type NirPrimitive } from '../types.js';
import { ImportError } from './chain.js';
import { formatNumber, formatSeconds } from './numbers.js';
import { planImport, type ImportPlan } from './plan.js';

async function graphOf(name: string): Promise<NirGraph> {
  return (await readNir(await readFile(fixture(name)), fixture(name))).graph;
}

/** Compiles the planned `.snn` and checks each planned tensor against the compiled layer's shape. */
function compiled(plan: ImportPlan) {
  const r = compile(plan.source, { file: 'imported.snn' });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), plan.source).toEqual([]);
  const model = r.ir!.models.find((m) => m.name === plan.model)!;
  expect(model.layers.length).toBe(plan.layers.length);
  return model;
}

describe('numbers as .snn literals', () => {
  it('writes the shortest decimal of the stored float and times with a unit', () => {
    expect(formatNumber(Math.fround(0.1), '<f')).toBe('0.1');
    expect(formatNumber(0.1, '<d')).toBe('0.1');
    expect(formatSeconds(Math.fround(0.0025), '<f')).toBe('2.5ms');
    expect(formatSeconds(0.0002, '<d')).toBe('200us');
    expect(formatSeconds(1.5)).toBe('1.5s');
  });
});

describe.skipIf(!HAVE_FIXTURES)('planning the .snn of real NIR files', () => {
  it('lif_norse.nir: dense(1) -> NirLIF with the file parameters, stepped at dt', async () => {
    const plan = planImport(await graphOf('lif_norse.nir'), { model: 'lif_norse', dt: 1e-4, steps: 1000, origin: 'lif_norse.nir' });
    expect(plan.layers.map((l) => l.text)).toEqual(['dense(1)', 'lif_1']);
    expect(plan.source).toContain('neuron lif_1 = NirLIF(tau: 2.5ms, r: 1, v_leak: 0, threshold: 0.1, reset: 0, dt: 100us)');
    expect(plan.input).toEqual([1]);
    const model = compiled(plan);
    expect(model.steps).toBe(1000);
    expect(model.layers[0]!.kind).toBe('dense');
    expect(plan.layers[0]!.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['kernel', [1, 1], [1]],
      ['bias', [1], [0]],
    ]);
  });

  it('two_lif_neurons.nir: Linear layers without bias and v_leak carried over', async () => {
    const plan = planImport(await graphOf('two_lif_neurons.nir'), { model: 'two', dt: 1e-3, steps: 10, origin: 'two_lif_neurons.nir' });
    expect(plan.layers.map((l) => l.text)).toEqual(['dense(1, bias: false)', 'lif1', 'dense(1, bias: false)', 'lif2']);
    expect(plan.source).toContain('neuron lif1 = NirLIF(tau: 10ms, r: 1, v_leak: 1.2, threshold: 1, reset: 0, dt: 1ms)\nneuron lif2 = NirLIF(tau: 10ms, r: 1, v_leak: 0, threshold: 20, reset: 0, dt: 1ms)');
    compiled(plan);
  });

  it.each(['braille_bias_zero.nir', 'braille_bias_zero_subgraph_repaired.nir'])('%s: the recurrent CubaLIF layer becomes named results with a one-step delay on the loop', async (file) => {
    const plan = planImport(await graphOf(file), { model: 'braille', dt: 1e-4, steps: 256, origin: file });
    const model = compile(plan.source, { file: 'braille.snn' });
    expect(model.diagnostics.filter((d) => d.severity === 'error'), plan.source).toEqual([]);
    const ir = model.ir!.models[0]!;
    const rec = file.includes('subgraph') ? { lif: 'lif1_lif1', w: 'lif1_lin' } : { lif: 'lif1_lif', w: 'lif1_w_rec' };
    expect(plan.source).toContain(`  ${rec.w}_prev = ${rec.w} -> delay(1)\n  ${rec.lif} = add(${rec.w}_prev, fc1) -> ${rec.lif}_neuron`);
    expect(plan.source).toMatch(/\n {2}lif2\n\}\n$/);
    expect(ir.layers.map((l) => l.kind).sort()).toEqual(['add', 'delay', 'dense', 'dense', 'dense', 'neuron', 'neuron']);
    // Every planned layer is the compiled layer of its result name, with matching weight shapes.
    for (const l of plan.layers) {
      const layer = ir.layers.find((x) => x.name === l.result)!;
      expect(layer, l.result).toBeDefined();
      for (const t of l.tensors) {
        if (t.name === 'kernel') expect(t.shape).toEqual([layer.inShape[0], layer.outShape[0]]);
        else expect(t.shape).toEqual(layer.outShape);
      }
    }
    const w = plan.layers.find((l) => l.result === rec.w)!.tensors[0]!;
    expect(w.shape).toEqual([38, 38]);
  });
});

const none = (): NirMetadata => ({ kind: 'group', children: new Map() });
const p = (n: Omit<NirPrimitive, 'metadata' | 'extra'>): NirNode => ({ ...n, metadata: none(), extra: none() }) as NirNode;
const i64 = (values: number[], shape: number[] = [values.length]) => nirArray(shape, values, '<q');
const seq = (k: number) => Array.from({ length: k }, (_, i) => i);

describe('a convolutional chain', () => {
  /** Input [2, 4, 4] -> Conv2d(3, k 3, same) -> SumPool 2 -> Flatten -> Affine(5) -> CubaLIF -> Output. */
  function convGraph(): NirGraph {
    const w = nirArray([3, 2, 3, 3], seq(54));
    const cuba = (v: number) => nirArray([5], [v, v, v, v, v], '<d');
    const nodes: [string, NirNode][] = [
      ['input', p({ kind: 'Input', params: { shape: i64([2, 4, 4]) } })],
      ['conv', p({ kind: 'Conv2d', params: { weight: w, bias: nirArray([3], [1, 2, 3]), stride: i64([1]), padding: 'same', dilation: i64([1, 1]), groups: i64([1], []), input_shape: i64([4, 4]) } })],
      ['pool', p({ kind: 'SumPool2d', params: { kernel_size: i64([2, 2]), stride: i64([2, 2]), padding: i64([0, 0]) } })],
      ['flat', p({ kind: 'Flatten', params: { start_dim: i64([0], []), end_dim: i64([-1], []), input_type: null } })],
      ['fc', p({ kind: 'Affine', params: { weight: nirArray([5, 12], seq(60)), bias: nirArray([5], seq(5)) } })],
      ['lif', p({ kind: 'CubaLIF', params: { tau_syn: cuba(5e-3), tau_mem: cuba(1e-2), r: cuba(1), v_leak: cuba(0), v_threshold: cuba(1), v_reset: cuba(0), w_in: cuba(1) } })],
      ['output', p({ kind: 'Output', params: { shape: i64([5]) } })],
    ];
    const edges = nodes.slice(1).map(([n], i) => [nodes[i]![0], n] as [string, string]);
    return { kind: 'NIRGraph', nodes: new Map(nodes), edges, metadata: none(), extra: none() };
  }

  it('maps conv, pool, flatten and dense to .snn layers and reorders weights to the runtime layout', () => {
    const plan = planImport(convGraph(), { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' });
    expect(plan.layers.map((l) => l.text)).toEqual(['conv2d(3, kernel: 3, stride: 1, padding: same)', 'sumpool(2, stride: 2)', 'flatten', 'dense(5)', 'lif']);
    expect(plan.source).toContain('neuron lif = CubaLIF(tau_mem: 10ms, tau_syn: 5ms, r: 1, v_leak: 0, threshold: 1, reset: 0, w_in: 1, dt: 1ms)');
    const model = compiled(plan);
    expect(model.layers.map((l) => l.outShape)).toEqual([[3, 4, 4], [3, 2, 2], [12], [5], [5]]);
    // Conv kernel [KH, KW, C_in, C_out]: entry (kh 1, kw 2, in 1, out 2) is NIR weight[2][1][1][2].
    const k = plan.layers[0]!.tensors[0]!;
    expect(k.shape).toEqual([3, 3, 2, 3]);
    expect(k.data[((1 * 3 + 2) * 2 + 1) * 3 + 2]).toBe(((2 * 2 + 1) * 3 + 1) * 3 + 2);
    // Dense kernel rows follow snnc's channels-last flatten: input (h 1, w 0, c 2) is row (1*2+0)*3+2 = 8
    // and NIR's channels-first column 2*4 + 1*2 + 0 = 10; kernel[8][o] = weight[o][10].
    const d = plan.layers[3]!.tensors[0]!;
    expect(d.shape).toEqual([12, 5]);
    for (let o = 0; o < 5; o++) expect(d.data[8 * 5 + o]).toBe(o * 12 + 10);
  });

  it('rounds a Delay to whole steps of dt; a Threshold becomes a stateless NirThreshold neuron', () => {
    const g = convGraph();
    g.nodes.set('delay', p({ kind: 'Delay', params: { delay: nirArray([5], [3e-3, 3e-3, 3e-3, 3e-3, 3e-3], '<d') } }));
    g.edges = g.edges.filter(([a]) => a !== 'lif').concat([
      ['lif', 'delay'],
      ['delay', 'output'],
    ]);
    const plan = planImport(g, { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' });
    expect(plan.layers.at(-1)!.text).toBe('delay(3)');
    compiled(plan);
    g.nodes.set('delay', p({ kind: 'Threshold', params: { threshold: nirArray([5], [0.5, 0.5, 0.5, 0.5, 0.5], '<d') } }));
    const thr = planImport(g, { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' });
    expect(thr.source).toContain('neuron threshold_delay = NirThreshold(threshold: 0.5)'); // `delay` is a layer name
    expect(compiled(thr).layers.at(-1)!.kind).toBe('neuron');
    g.nodes.set('delay', p({ kind: 'Scale', params: { scale: nirArray([5], [1, 2, 1, 1, 1], '<d') } }));
    expect(() => planImport(g, { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' })).toThrow(ImportError);
    expect(() => planImport(g, { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' })).toThrow('node `delay` (Scale): `scale` differs between neurons; a .snn layer takes one value here (only neuron parameters can be `per_neuron`)');
  });

  it('maps Conv1d to conv1d with the runtime kernel [K, C_in, C_out]', () => {
    const nodes: [string, NirNode][] = [
      ['input', p({ kind: 'Input', params: { shape: i64([2, 10]) } })],
      ['c1', p({ kind: 'Conv1d', params: { weight: nirArray([4, 2, 3], seq(24)), bias: nirArray([4], seq(4)), stride: i64([1], []), padding: 'same', dilation: i64([1], []), groups: i64([1], []), input_shape: i64([10]) } })],
      ['li', p({ kind: 'LI', params: { tau: nirArray([1], [0.01]), r: nirArray([1], [1]), v_leak: nirArray([1], [0]) } })],
      ['output', p({ kind: 'Output', params: { shape: i64([4, 10]) } })],
    ];
    const g: NirGraph = { kind: 'NIRGraph', nodes: new Map(nodes), edges: [['input', 'c1'], ['c1', 'li'], ['li', 'output']], metadata: none(), extra: none() };
    const plan = planImport(g, { model: 'c', dt: 1e-3, steps: 2, origin: 'test' });
    expect(plan.layers.map((l) => l.text)).toEqual(['conv1d(4, kernel: 3, stride: 1, padding: 1)', 'li']);
    const model = compiled(plan);
    expect(model.layers[0]!.outShape).toEqual([4, 10]);
    const k = plan.layers[0]!.tensors[0]!;
    expect(k.shape).toEqual([3, 2, 4]);
    // (k 2, in 1, out 3) = NIR weight[3][1][2] = (3 * 2 + 1) * 3 + 2.
    expect(k.data[(2 * 2 + 1) * 4 + 3]).toBe((3 * 2 + 1) * 3 + 2);
  });

  it('gives per-neuron CubaLIF thresholds and time constants to the neuron layer as `per_neuron` tensors', () => {
    const g = convGraph();
    const lif = g.nodes.get('lif') as Extract<NirNode, { kind: 'CubaLIF' }>;
    lif.params.v_threshold = nirArray([5], [1, 1, 2, 1, 1], '<d');
    lif.params.tau_syn = nirArray([5], [5e-3, 5e-3, 5e-3, 5e-3, 6e-3], '<d');
    const plan = planImport(g, { model: 'conv', dt: 1e-3, steps: 4, origin: 'test' });
    expect(plan.source).toContain('neuron lif = CubaLIF(tau_mem: 10ms, tau_syn: per_neuron, r: 1, v_leak: 0, threshold: per_neuron, reset: 0, w_in: 1, dt: 1ms)');
    // the dense weights are the file's, untouched
    expect(Array.from(plan.layers[3]!.tensors[1]!.data)).toEqual([0, 1, 2, 3, 4]);
    expect(plan.layers[4]!.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['tau_syn', [5], Array.from(Float32Array.from([5e-3, 5e-3, 5e-3, 5e-3, 6e-3]))],
      ['threshold', [5], [1, 1, 2, 1, 1]],
    ]);
    const model = compiled(plan);
    const neuron = model.layers[4]!;
    expect(neuron.kind === 'neuron' && neuron.neuron.kind === 'equations' && neuron.neuron.perNeuron).toEqual(['tau_syn', 'threshold']);
  });
});

describe('per-neuron parameter arrays (a threshold per neuron, as Sinabs writes)', () => {
  /** Input [3] -> Affine(3 -> 3) -> LIF with thresholds 1, 2, 4 -> Output. */
  function sinabsLike(tau = [0.01, 0.01, 0.01]): NirGraph {
    const nodes: [string, NirNode][] = [
      ['input', p({ kind: 'Input', params: { shape: i64([3]) } })],
      ['fc', p({ kind: 'Affine', params: { weight: nirArray([3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]), bias: nirArray([3], [0.5, 0.5, 0.5]) } })],
      ['lif', p({ kind: 'LIF', params: { tau: nirArray([3], tau), r: nirArray([3], [1, 1, 1]), v_leak: nirArray([3], [0, 0, 0]), v_threshold: nirArray([3], [1, 2, 4]), v_reset: nirArray([3], [0, 0, 0]) } })],
      ['output', p({ kind: 'Output', params: { shape: i64([3]) } })],
    ];
    return { kind: 'NIRGraph', nodes: new Map(nodes), edges: [['input', 'fc'], ['fc', 'lif'], ['lif', 'output']], metadata: none(), extra: none() };
  }

  it('keeps differing thresholds and time constants as `per_neuron` tensors of the neuron layer', () => {
    const plan = planImport(sinabsLike([0.01, 0.02, 0.01]), { model: 'm', dt: 1e-3, steps: 50, origin: 'test' });
    expect(plan.source).toContain('neuron lif = NirLIF(tau: per_neuron, r: 1, v_leak: 0, threshold: per_neuron, reset: 0, dt: 1ms)');
    const [kernel, bias] = plan.layers[0]!.tensors;
    expect(Array.from(kernel!.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(bias!.data)).toEqual([0.5, 0.5, 0.5]);
    expect(plan.layers[1]!.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['tau', [3], Array.from(Float32Array.from([0.01, 0.02, 0.01]))],
      ['threshold', [3], [1, 2, 4]],
    ]);
    const layer = compiled(plan).layers[1]!;
    expect(layer.kind === 'neuron' && layer.neuron.kind === 'equations' && layer.neuron.perNeuron).toEqual(['tau', 'threshold']);
  });

  it('writes uniform arrays as one value, no tensor', () => {
    const plan = planImport(sinabsLike(), { model: 'm', dt: 1e-3, steps: 5, origin: 'test' });
    expect(plan.source).toContain('neuron lif = NirLIF(tau: 10ms, r: 1, v_leak: 0, threshold: per_neuron, reset: 0, dt: 1ms)');
    expect(plan.layers[1]!.tensors.map((t) => t.name)).toEqual(['threshold']);
  });

  it('reorders per-neuron values of a feature map to the runtime channels-last layout', () => {
    const nodes: [string, NirNode][] = [
      ['input', p({ kind: 'Input', params: { shape: i64([2, 1, 3]) } })],
      ['thr', p({ kind: 'Threshold', params: { threshold: nirArray([2, 1, 3], [1, 2, 3, 4, 5, 6]) } })],
      ['output', p({ kind: 'Output', params: { shape: i64([2, 1, 3]) } })],
    ];
    const g: NirGraph = { kind: 'NIRGraph', nodes: new Map(nodes), edges: [['input', 'thr'], ['thr', 'output']], metadata: none(), extra: none() };
    const plan = planImport(g, { model: 'm', dt: 1e-3, steps: 2, origin: 'test' });
    // [C=2, H=1, W=3] -> [H, W, C]: (h, w, c) = value (c, h, w)
    expect(plan.layers[0]!.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([['threshold', [1, 3, 2], [1, 4, 2, 5, 3, 6]]]);
    compiled(plan);
  });

  it('refuses an array that does not fit the layer, naming the node', () => {
    const g = sinabsLike();
    (g.nodes.get('lif') as Extract<NirNode, { kind: 'LIF' }>).params.tau = nirArray([2], [0.01, 0.02]);
    expect(() => planImport(g, { model: 'm', dt: 1e-3, steps: 5, origin: 'test' })).toThrow('node `lif` (LIF): `tau` has 2 values but the layer has 3 neurons');
  });
});
