import { describe, expect, it } from 'vitest';
import { readNir, writeNir } from './nir-file.js';
import { nirArray, type NirGraph, type NirMetadata, type NirNode, type NirPrimitive } from './types.js';

const none = (): NirMetadata => ({ kind: 'group', children: new Map() });
const f = (shape: number[], values?: number[]) => nirArray(shape, values ?? Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.5 + i));
const i64 = (values: number[], shape: number[] = [values.length]) => nirArray(shape, values, '<q');
const p = (n: Omit<NirPrimitive, 'metadata' | 'extra'>): NirNode => ({ ...n, metadata: none(), extra: none() }) as NirNode;
const graph = (nodes: [string, NirNode][], edges: [string, string][]): NirGraph => ({ kind: 'NIRGraph', nodes: new Map(nodes), edges, metadata: none(), extra: none() });

/** A graph that uses every NIR primitive once, a nested graph, metadata and a cycle through a Delay. */
function everything(): NirGraph {
  const inner = graph(
    [
      ['input', p({ kind: 'Input', params: { shape: i64([4]) } })],
      ['li', p({ kind: 'LI', params: { tau: f([4]), r: f([4]), v_leak: f([4]) } })],
      ['output', p({ kind: 'Output', params: { shape: i64([4]) } })],
    ],
    [
      ['input', 'li'],
      ['li', 'output'],
    ],
  );
  const nodes: [string, NirNode][] = [
    ['input', p({ kind: 'Input', params: { shape: i64([2, 8, 8]) } })],
    ['conv', p({ kind: 'Conv2d', params: { weight: f([4, 2, 3, 3]), bias: f([4]), stride: i64([1, 1]), padding: 'same', dilation: i64([1]), groups: i64([1], []), input_shape: i64([8, 8]) } })],
    ['cuba', p({ kind: 'CubaLIF', params: { tau_syn: f([4, 8, 8]), tau_mem: f([4, 8, 8]), r: f([4, 8, 8]), v_leak: f([4, 8, 8]), v_threshold: f([4, 8, 8]), v_reset: f([4, 8, 8]), w_in: f([4, 8, 8]) } })],
    ['sum', p({ kind: 'SumPool2d', params: { kernel_size: i64([2, 2]), stride: i64([2, 2]), padding: i64([0, 0]) } })],
    ['avg', p({ kind: 'AvgPool2d', params: { kernel_size: i64([1, 1]), stride: i64([1, 1]), padding: i64([0, 0]) } })],
    ['flat', p({ kind: 'Flatten', params: { start_dim: i64([0], []), end_dim: i64([-1], []), input_type: i64([4, 4, 4]) } })],
    ['lin', p({ kind: 'Linear', params: { weight: f([10, 64]) } })],
    ['lif', p({ kind: 'LIF', params: { tau: f([10]), r: f([10]), v_leak: f([10]), v_threshold: f([10]), v_reset: f([10]) } })],
    ['delay', p({ kind: 'Delay', params: { delay: f([10]) } })],
    ['scale', p({ kind: 'Scale', params: { scale: f([10]) } })],
    ['conv1', p({ kind: 'Conv1d', params: { weight: f([2, 1, 3]), bias: f([2]), stride: i64([1], []), padding: i64([1], []), dilation: i64([1], []), groups: i64([1], []), input_shape: null } })],
    ['aff', p({ kind: 'Affine', params: { weight: f([4, 10]), bias: f([4]) } })],
    ['sub', inner],
    ['thr', p({ kind: 'Threshold', params: { threshold: f([4]) } })],
    ['i', p({ kind: 'I', params: { r: f([4]) } })],
    ['if', p({ kind: 'IF', params: { r: f([4]), v_threshold: f([4]), v_reset: f([4]) } })],
    ['cli', p({ kind: 'CubaLI', params: { tau_syn: f([4]), tau_mem: f([4]), r: f([4]), v_leak: f([4]), w_in: f([4]) } })],
    ['output', p({ kind: 'Output', params: { shape: i64([4]) } })],
  ];
  const g = graph(nodes, [
    ['input', 'conv'],
    ['conv', 'cuba'],
    ['cuba', 'sum'],
    ['sum', 'avg'],
    ['avg', 'flat'],
    ['flat', 'lin'],
    ['lin', 'lif'],
    ['lif', 'delay'],
    ['delay', 'scale'],
    ['scale', 'lif'],
    ['lif', 'aff'],
    ['aff', 'sub'],
    ['sub', 'thr'],
    ['thr', 'i'],
    ['i', 'if'],
    ['if', 'cli'],
    ['cli', 'output'],
    ['sub.li', 'output'],
  ]);
  g.metadata.children.set('dt', { kind: 'array', array: nirArray([], [1e-3], '<d') });
  g.metadata.children.set('producer', { kind: 'text', shape: [], values: ['snnc'] });
  return g;
}

describe('every primitive', () => {
  it('writes and reads back equal: kinds, parameters with shapes and dtypes, padding words, metadata, nested graphs', async () => {
    const g = everything();
    const back = await readNir(await writeNir(g), 'everything.nir');
    expect(back.graph).toEqual(g);
    const conv = back.graph.nodes.get('conv')!;
    expect(conv.kind === 'Conv2d' && conv.params.padding).toBe('same');
    expect(back.graph.nodes.get('conv1')!.kind === 'Conv1d' && (back.graph.nodes.get('conv1') as Extract<NirNode, { kind: 'Conv1d' }>).params.input_shape).toBe(null);
  });

  it('keeps an empty edge list', async () => {
    const g = graph([['input', p({ kind: 'Input', params: { shape: i64([1]) } })]], []);
    expect((await readNir(await writeNir(g), 'x.nir')).graph.edges).toEqual([]);
  });
});

describe('malformed graphs are refused naming the node or edge', () => {
  async function refused(g: NirGraph): Promise<string> {
    const e = await readNir(await writeNir(g), 'bad.nir').then(
      () => undefined,
      (x: unknown) => x as Error & { code?: string; hint?: string },
    );
    expect(e?.code).toBe('SNN7461');
    return e!.message;
  }

  it('an edge to a missing node', async () => {
    const g = everything();
    g.edges.push(['lif', 'nowhere']);
    // HDF5 lists a group's members by name, as h5py reads them too.
    expect(await refused(g)).toBe('`bad.nir`: edge `lif -> nowhere`: node `nowhere` does not exist (nodes: aff, avg, cli, conv, conv1, cuba, delay, flat, i, if, input, lif, lin, output, scale, sub, sum, thr)');
  });

  it('a missing parameter', async () => {
    const g = everything();
    const lif = g.nodes.get('lif') as Extract<NirNode, { kind: 'LIF' }>;
    delete (lif.params as Partial<typeof lif.params>).tau;
    expect(await refused(g)).toBe('`bad.nir`: node `lif` (LIF): it has no parameter `tau`');
  });

  it('neuron parameters of different shapes, a bias that does not fit, an edge whose sizes differ', async () => {
    const a = everything();
    (a.nodes.get('lif') as Extract<NirNode, { kind: 'LIF' }>).params.r = f([9]);
    expect(await refused(a)).toBe('`bad.nir`: node `lif` (LIF): `r` has shape [9] but `tau` has [10]; neuron parameters share one shape');
    const b = everything();
    (b.nodes.get('aff') as Extract<NirNode, { kind: 'Affine' }>).params.bias = f([5]);
    expect(await refused(b)).toBe('`bad.nir`: node `aff` (Affine): `bias` has shape [5] but `weight` [4, 10] gives 4 outputs');
    const c = everything();
    (c.nodes.get('lin') as Extract<NirNode, { kind: 'Linear' }>).params.weight = f([10, 63]);
    expect(await refused(c)).toBe('`bad.nir`: edge `flat -> lin`: `flat` gives 64 value(s) but `lin` takes 63');
  });

  it('an unknown node type', async () => {
    const g = everything();
    const bytes = await writeNir(g);
    // Rename one node's type in place: same length keeps the HDF5 structure intact.
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('Threshold');
    expect(at).toBeGreaterThan(0);
    const bad = bytes.slice();
    bad.set(new TextEncoder().encode('Thresh0ld'), at);
    await expect(readNir(bad, 'bad.nir')).rejects.toThrow(/node `thr`: its type `Thresh0ld` is not a NIR primitive/);
  });
});

describe('files that are not NIR', () => {
  it('refuses text and truncated HDF5 with SNN7460, naming the file', async () => {
    await expect(readNir(new TextEncoder().encode('hello'), 'notes.txt')).rejects.toMatchObject({ code: 'SNN7460', message: '`notes.txt` is not a NIR file: it is not an HDF5 file' });
    const bytes = await writeNir(everything());
    await expect(readNir(bytes.subarray(0, bytes.length >> 1), 'cut.nir')).rejects.toMatchObject({ code: 'SNN7460', message: expect.stringMatching(/^`cut\.nir` is not a NIR file: it is damaged or truncated/) });
  });
});
