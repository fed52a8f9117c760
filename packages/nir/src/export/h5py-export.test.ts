import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@snnc/dsl';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNir } from '../nir-file.js';
import type { NirArray } from '../types.js';
import { exportModel, type ExportTensor } from './export.js';

const DUMP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tools/h5py-dump.py');
const HAVE_H5PY = spawnSync('python3', ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0;
if (!HAVE_H5PY) console.warn('h5py check of exported graphs skipped: `python3 -c "import h5py"` failed');

type Dumped = Record<string, unknown>;
const dir = mkdtempSync(path.join(tmpdir(), 'snnc-nir-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE_H5PY)('exported snnc models read with h5py, as nir/serialization.py does', () => {
  it('node types, parameters, edges and the snnc metadata of a conv/batchnorm/maxpool/concat/iand model', async () => {
    const model = compile(
      `neuron lif = LIF(tau: 2.0, reset: soft)
model m(input: [1, 4, 4], steps: 2) {
  a = conv2d(2, kernel: 3, padding: 1) -> batchnorm -> maxpool(2) -> lif
  b = x -> conv2d(2, kernel: 1) -> lif -> maxpool(2)
  c = concat(a, b)
  iand(a, b) -> flatten -> dense(3) -> lif
  decode membrane
}`,
      { file: 'm.snn' },
    ).ir!.models[0]!;
    const t = (shape: number[]): ExportTensor => ({ shape, data: Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => ((i * 37) % 11) / 10 - 0.5) });
    const weights = new Map(
      Object.entries({
        'conv2d_0/kernel': [3, 3, 1, 2],
        'conv2d_0/bias': [2],
        'batchnorm_0/gamma': [2],
        'batchnorm_0/beta': [2],
        'batchnorm_0/moving_mean': [2],
        'batchnorm_0/moving_variance': [2],
        'conv2d_1/kernel': [1, 1, 1, 2],
        'conv2d_1/bias': [2],
        'dense_0/kernel': [8, 3],
        'dense_0/bias': [3],
      }).map(([k, s]) => [k, t(s)]),
    );
    // Variances must be positive.
    weights.get('batchnorm_0/moving_variance')!.data.set([0.5, 2]);
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    const file = path.join(dir, 'm.nir');
    writeFileSync(file, await writeNir(graph));
    const r = spawnSync('python3', [DUMP, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(r.stderr).toBe('');
    const dumped = JSON.parse(r.stdout) as { version: string; node: Dumped };
    const nodes = dumped.node.nodes as Record<string, Dumped>;
    expect(Object.keys(nodes).sort()).toEqual([...graph.nodes.keys()].sort());
    for (const [name, n] of graph.nodes) {
      if (n.kind === 'NIRGraph') throw new Error('flat export expected');
      expect(nodes[name]!.type, name).toBe(n.kind);
      for (const [k, v] of Object.entries(n.params as Record<string, NirArray>)) {
        const got = nodes[name]![k] as { shape: number[]; data: number[] };
        expect(got.shape, `${name}.${k}`).toEqual(v.shape);
        expect(got.data, `${name}.${k}`).toEqual(Array.from(v.dtype === '<f' ? Float32Array.from(v.data) : v.data));
      }
    }
    expect(dumped.node.edges).toEqual(graph.edges.flat());
    // Graph and node metadata are flat datasets (nir's reader takes `{k: v[()]}` of each).
    expect(dumped.node.metadata).toMatchObject({ producer: 'snnc', snnc_decoder: 'membrane', snnc_encoder: 'direct', steps: { data: [2] } });
    expect(nodes.a!.metadata).toMatchObject({ snnc_layer: 'LIF', reset: 'soft', surrogate: 'atan', tau_steps: { data: [2] } });
    // maxpool of the batch-normed conv output: AvgPool2d remembered as maxpool; of spikes: SumPool2d + Threshold.
    expect(nodes.maxpool_0!.type).toBe('AvgPool2d');
    expect(nodes.maxpool_0!.metadata).toMatchObject({ snnc_layer: 'maxpool' });
    expect([nodes.b_sum!.type, nodes.b!.type]).toEqual(['SumPool2d', 'Threshold']);
  });
});
