import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../backend/index.js';
import type { SourceRange } from '@snnc/ir';
import { experiment, mlpModel } from '../../train/__tests__/experiments.js';
import type { EpochMetrics } from '../../train/index.js';
import { runExperiment, type RunSummary } from './run-experiment.js';

const root = mkdtempSync(path.join(tmpdir(), 'snnc-activity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await loadBackend('cpu');
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const SPEC = 'model mlp(input: [1, 28, 28], steps: 2) {\n  flatten -> dense(16) -> LIF -> dense(10) -> LIF\n}\n';

describe('activity in a run directory', () => {
  it('writes per-layer rates, SynOps, MACs and energy to metrics.jsonl and summary.json, and warns about a silent output', async () => {
    const model = mlpModel(16, 2);
    // the output layer points at line 2 of the spec; gain 0 keeps every neuron silent
    const range: SourceRange = { file: path.join(root, 'mlp.snn'), start: 60, end: 63, line: 2, column: 41, endLine: 2, endColumn: 44 };
    const layers = model.layers.map((l) => (l.id === 'neuron_1' ? { ...l, range } : l));
    const exp = experiment({ ...model, layers, init: { scheme: 'pytorch', gain: 0 } }, { name: 'silent', batch: 20 });
    const out = new Capture();
    const s: RunSummary = await runExperiment({ experiment: exp, specFile: path.join(root, 'mlp.snn'), specSource: SPEC, runsDir: root, backend: 'cpu', overrides: { trainLimit: 60, testLimit: 40 }, out, tty: false });
    expect(out.text).toMatch(/mlp\.snn:2:41: warning SNN7250: layer `neuron_1` \(lif, the output layer\) stayed silent over epoch 0, batches 1-1/);
    expect(out.text).toContain('2 |   flatten -> dense(16) -> LIF -> dense(10) -> LIF');
    expect(out.text).toMatch(/^activity: fr n0=0\.000 n1=0\.000; /m);
    const m = JSON.parse(readFileSync(path.join(s.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]!) as EpochMetrics;
    expect(m.activity!.layers.map((l) => [l.name, l.firing_rate])).toEqual([
      ['flatten_0', null],
      ['dense_0', null],
      ['neuron_0', 0],
      ['dense_1', null],
      ['neuron_1', 0],
    ]);
    const summary = JSON.parse(readFileSync(path.join(s.runDir, 'summary.json'), 'utf8')) as RunSummary;
    const a = summary.activity!;
    expect(a.table).toEqual({ name: 'horowitz45_fp32', macPj: 4.6, acPj: 0.9 });
    expect(a.total.macs).toBe(784 * 16);
    expect(a.total.synops).toBe(0);
    expect(a.total.energy_j).toBeCloseTo((a.total.synops * 0.9 + a.total.macs * 4.6) * 1e-12, 18);
  });
});
