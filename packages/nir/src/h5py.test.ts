import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, HAVE_FIXTURES } from './__tests__/fixtures.js';
import { roundTrip } from './__tests__/round-trip.js';
import { readNir, writeNir } from './nir-file.js';
import type { NirArray, NirGraph, NirNode } from './types.js';

const DUMP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tools/h5py-dump.py');
const probe = spawnSync('python3', ['-c', 'import h5py'], { encoding: 'utf8' });
const HAVE_H5PY = probe.status === 0;
if (!HAVE_H5PY) console.warn('h5py check skipped: `python3 -c "import h5py"` failed (pip install h5py to run it)');

interface Dumped {
  [k: string]: Dumped | string | string[] | { shape: number[]; dtype: string; data: number[] };
}

function h5py(file: string): { version: string; node: Dumped } {
  const r = spawnSync('python3', [DUMP, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`h5py-dump failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { version: string; node: Dumped };
}

/** What h5py must see for a node: its type, each parameter's shape and values, edges. */
function expectSame(d: Dumped, n: NirNode, where: string): void {
  expect(d.type, where).toBe(n.kind);
  if (n.kind === 'NIRGraph') {
    expect(d.edges, where).toEqual(n.edges.length === 0 ? { shape: [0], dtype: '<f8', data: [] } : n.edges.flat());
    const nodes = d.nodes as Dumped;
    expect(Object.keys(nodes).sort(), where).toEqual([...n.nodes.keys()].sort());
    for (const [k, child] of n.nodes) expectSame(nodes[k] as Dumped, child, `${where}.${k}`);
    return;
  }
  for (const [k, v] of Object.entries(n.params as Record<string, NirArray | string | null>)) {
    if (v === null) {
      expect(d[k], `${where}.${k}`).toBeUndefined();
      continue;
    }
    if (typeof v === 'string') {
      expect(d[k], `${where}.${k}`).toBe(v);
      continue;
    }
    const got = d[k] as { shape: number[]; data: number[] };
    expect(got.shape, `${where}.${k}`).toEqual(v.shape);
    expect(Float64Array.from(got.data), `${where}.${k}`).toEqual(v.dtype === '<f' ? Float64Array.from(Float32Array.from(v.data)) : v.data);
  }
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_H5PY || !HAVE_FIXTURES)('files snnc writes, read with h5py as other tools do', () => {
  it.each(['lif_norse.nir', 'two_lif_neurons.nir', 'braille_bias_zero.nir', 'braille_bias_zero_subgraph_repaired.nir'])('%s', async (name) => {
    dir ??= await mkdtemp(path.join(tmpdir(), 'snnc-nir-'));
    const g: NirGraph = (await readNir(await readFile(fixture(name)), name)).graph;
    const out = path.join(dir, name);
    await writeFile(out, await writeNir(g));
    const dumped = h5py(out);
    expect(dumped.version).toBe('1.0.7');
    expectSame(dumped.node, g, 'node');
  });
});

describe.skipIf(!HAVE_H5PY || !HAVE_FIXTURES)('each file imported as .snn and exported again, read with h5py', () => {
  it.each(['lif_norse.nir', 'two_lif_neurons.nir', 'braille_bias_zero.nir', 'braille_bias_zero_subgraph_repaired.nir'])('%s', async (name) => {
    dir ??= await mkdtemp(path.join(tmpdir(), 'snnc-nir-'));
    const g = (await readNir(await readFile(fixture(name)), name)).graph;
    const exported = roundTrip(g, 1e-4).graph;
    const out = path.join(dir, `exported-${name}`);
    await writeFile(out, await writeNir(exported));
    const dumped = h5py(out);
    expectSame(dumped.node, exported, 'node');
    expect((dumped.node.metadata as Dumped).dt).toEqual({ shape: [], dtype: '<f8', data: [1e-4] });
  });
});
