import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nirArray, readNir, writeNir } from '@snnc/nir';
import { decodeSafetensors, encodeSafetensors } from '@snnc/runtime';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

const none = () => ({ kind: 'group' as const, children: new Map() });
const node = (n: object) => ({ ...n, metadata: none(), extra: none() });

// Per-neuron LIF parameters, as Sinabs writes thresholds (and other tools time constants).
const TAU = [0.002, 0.01, 0.05];
const THRESHOLD = [0.5, 1, 1.25];
const V_LEAK = [0, 0.2, 0];
const DT = 1e-3;
const STEPS = 60;

/** Input [3] -> Affine (identity, bias 0) -> LIF with per-neuron tau, threshold and leak -> Output. */
async function perNeuronNir(): Promise<Uint8Array> {
  const graph = {
    kind: 'NIRGraph' as const,
    nodes: new Map([
      ['input', node({ kind: 'Input', params: { shape: nirArray([1], [3], '<q') } })],
      ['fc', node({ kind: 'Affine', params: { weight: nirArray([3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]), bias: nirArray([3], [0, 0, 0]) } })],
      ['lif', node({ kind: 'LIF', params: { tau: nirArray([3], TAU), r: nirArray([3], [1, 1, 1]), v_leak: nirArray([3], V_LEAK), v_threshold: nirArray([3], THRESHOLD), v_reset: nirArray([3], [0, 0, 0]) } })],
      ['output', node({ kind: 'Output', params: { shape: nirArray([1], [3], '<q') } })],
    ]),
    edges: [['input', 'fc'], ['fc', 'lif'], ['lif', 'output']] as [string, string][],
    metadata: none(),
    extra: none(),
  };
  return writeNir(graph as Parameters<typeof writeNir>[0]);
}

const drive = (k: number, i: number) => 1.2 + 0.8 * Math.sin(k / 5 + i);

/**
 * NIR's LIF stepped exactly with the input held over each step (float64, written here):
 * v <- v_inf + (v - v_inf) exp(-dt / tau) with v_inf = v_leak + r x; spike when v > threshold,
 * then v = v_reset. Returns the membrane before the reset and the spikes, [step][neuron].
 */
function exactLif(): { v: number[][]; spikes: number[][] } {
  const v = V_LEAK.slice();
  const vs: number[][] = [];
  const spikes: number[][] = [];
  for (let k = 0; k < STEPS; k++) {
    const row: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < 3; i++) {
      const inf = V_LEAK[i]! + drive(k, i);
      v[i] = inf + (v[i]! - inf) * Math.exp(-DT / TAU[i]!);
      row.push(v[i]!);
      s.push(v[i]! > THRESHOLD[i]! ? 1 : 0);
      if (v[i]! > THRESHOLD[i]!) v[i] = 0;
    }
    vs.push(row);
    spikes.push(s);
  }
  return { v: vs, spikes };
}

describe('per-neuron parameter arrays through snnc import, trace and export', () => {
  it('imports per-neuron tau/threshold/v_leak as per_neuron tensors, traces each neuron with its own values, exports the arrays back', async () => {
    const dir = tempFiles({});
    writeFileSync(path.join(dir, 'pn.nir'), await perNeuronNir());
    const imp = await snnc(['import', 'pn.nir', '--steps', String(STEPS)], dir);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    const snn = readFileSync(path.join(dir, 'pn.snn'), 'utf8');
    expect(snn).toContain('neuron lif = NirLIF(tau: per_neuron, r: 1, v_leak: per_neuron, threshold: per_neuron, reset: 0, dt: 1ms)');
    const w = decodeSafetensors(readFileSync(path.join(dir, 'pn.safetensors')));
    expect(w.tensors.filter((t) => t.name.startsWith('neuron_')).map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['neuron_0/tau', [3], Array.from(Float32Array.from(TAU))],
      ['neuron_0/v_leak', [3], Array.from(Float32Array.from(V_LEAK))],
      ['neuron_0/threshold', [3], Array.from(Float32Array.from(THRESHOLD))],
    ]);

    // snnc trace of the whole model: every neuron as the exact solution with its own values.
    writeFileSync(path.join(dir, 'in.csv'), Array.from({ length: STEPS }, (_, k) => [0, 1, 2].map((i) => drive(k, i)).join(',')).join('\n') + '\n');
    const tr = await snnc(['trace', 'pn.snn', '--input', 'in.csv', '--state', '--backend', 'cpu', '--out', 't.csv'], dir);
    expect(tr.code).toBe(0);
    const [head, ...rows] = readFileSync(path.join(dir, 't.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    const exact = exactLif();
    const fired = exact.spikes.flat().reduce((a, b) => a + b, 0);
    expect(fired).toBeGreaterThan(5);
    for (let i = 0; i < 3; i++) {
      const sc = cols.indexOf(`neuron_0.spike[${i}]`);
      const vc = cols.indexOf(`neuron_0.v[${i}]`);
      expect(sc, head).toBeGreaterThan(0);
      expect(rows.map((r) => Number(r.split(',')[sc])), `spikes of neuron ${i}`).toEqual(exact.spikes.map((s) => s[i]));
      rows.forEach((r, k) => expect(Number(r.split(',')[vc])).toBeCloseTo(exact.v[k]![i]!, 4));
    }

    // snnc export: the arrays come back with their shape and values.
    const ex = await snnc(['export', 'pn.snn', '-o', 'back.nir'], dir);
    expect(ex.code).toBe(0);
    const back = (await readNir(readFileSync(path.join(dir, 'back.nir')), 'back.nir')).graph;
    const lif = [...back.nodes.values()].find((n) => n.kind === 'LIF');
    expect(lif?.kind).toBe('LIF');
    if (lif?.kind !== 'LIF') return;
    const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));
    expect([lif.params.tau.shape, Array.from(lif.params.tau.data)]).toEqual([[3], f32(TAU)]);
    expect([lif.params.v_threshold.shape, Array.from(lif.params.v_threshold.data)]).toEqual([[3], f32(THRESHOLD)]);
    expect([lif.params.v_leak.shape, Array.from(lif.params.v_leak.data)]).toEqual([[3], f32(V_LEAK)]);
    expect(Array.from(lif.params.r.data)).toEqual([1, 1, 1]);

    // --neuron cannot trace it alone: its values live in the weights file.
    const alone = await snnc(['trace', 'pn.snn', '--neuron', 'lif', '--input', '1', '--steps', '3', '--out', 'n.csv'], dir);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('--neuron: `lif` takes `tau`, `v_leak`, `threshold` per neuron from a weights file');
  });

  it('a weights file without the per-neuron tensor, or of the wrong shape, is SNN7007 naming the tensor', async () => {
    const dir = tempFiles({});
    writeFileSync(path.join(dir, 'pn.nir'), await perNeuronNir());
    expect((await snnc(['import', 'pn.nir', '--steps', '4'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'in.csv'), '1,1,1\n'.repeat(4));
    const file = decodeSafetensors(readFileSync(path.join(dir, 'pn.safetensors')));
    const trace = async (tensors: typeof file.tensors) => {
      writeFileSync(path.join(dir, 'pn.safetensors'), encodeSafetensors(tensors));
      return snnc(['trace', 'pn.snn', '--input', 'in.csv', '--backend', 'cpu', '--out', 't.csv'], dir);
    };
    const missing = await trace(file.tensors.filter((t) => t.name !== 'neuron_0/tau'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error SNN7007');
    expect(missing.stderr).toContain('no tensor named `neuron_0/tau`');
    const wrong = await trace(file.tensors.map((t) => (t.name === 'neuron_0/tau' ? { name: t.name, shape: [1], data: Float32Array.from([0.01]) } : t)));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('`neuron_0/tau` has shape [1] but the model needs [3]');
  });
});
