import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readNir } from '@snnc/nir';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

// The imported model under the experiment of examples/mnist.snn (same data, normalisation, target).
const ROUND_TRIP = `use "back.snn"

experiment mnist {
  model: back
  data: mnist
  normalize: unit
  target: onehot
  loss: cross_entropy
  optimizer: adam(lr: 0.005)
  batch: 64
  epochs: 1
  seed: 1
}
`;

const dir = tempFiles({ 'rt.snn': ROUND_TRIP });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accuracy = (stdout: string): number => {
  const m = /test_acc=(\d\.\d+) \(300 samples\)/.exec(stdout);
  if (!m) throw new Error(`no test accuracy in:\n${stdout}`);
  return Number(m[1]);
};

describe('.snn -> .nir -> .snn of examples/mnist.snn', () => {
  it('a briefly trained checkpoint exported, imported and evaluated gives the same test accuracy', async () => {
    copyFileSync(path.join(repoRoot, 'examples', 'mnist.snn'), path.join(dir, 'mnist.snn'));
    // 40 batches: enough for the network to fire and do better than chance.
    const run = await snnc(['run', 'mnist.snn', '--backend', 'wasm', '--train-limit', '2560', '--test-limit', '300', '--runs-dir', 'runs'], dir);
    expect(run.code).toBe(0);
    const runDir = path.join('runs', 'mnist', readdirSync(path.join(dir, 'runs', 'mnist'))[0]!);
    const before = await snnc(['eval', 'mnist.snn', '--checkpoint', runDir, '--backend', 'wasm', '--test-limit', '300'], dir);
    expect(before.code).toBe(0);
    const acc = accuracy(before.stdout);
    expect(acc).toBeGreaterThan(0.3);

    const exported = await snnc(['export', 'mnist.snn', '--checkpoint', runDir, '-o', 'mnist.nir'], dir);
    expect(exported.code).toBe(0);
    const nir = await readNir(readFileSync(path.join(dir, 'mnist.nir')), 'mnist.nir');
    // Batch norm folded away; max pooling of membrane inputs written as AvgPool2d (and restored by import).
    expect([...nir.graph.nodes.values()].map((n) => n.kind).sort()).toEqual(['Affine', 'Affine', 'AvgPool2d', 'AvgPool2d', 'Conv2d', 'Conv2d', 'Flatten', 'Input', 'LIF', 'LIF', 'LIF', 'LIF', 'Output']);

    const imported = await snnc(['import', 'mnist.nir', '-o', 'back.snn'], dir);
    expect(imported.code).toBe(0);
    const source = readFileSync(path.join(dir, 'back.snn'), 'utf8');
    expect(source).toContain('maxpool(2, stride: 2)');
    expect(source).toContain('decode membrane');
    // No --steps: the steps the export recorded in the file's metadata.
    expect(source).toMatch(/model back\(input: \[1, 28, 28\], steps: 2\)/);

    const after = await snnc(['eval', 'rt.snn', '--backend', 'wasm', '--test-limit', '300'], dir);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('weights: back.safetensors');
    expect(Math.abs(accuracy(after.stdout) - acc)).toBeLessThanOrEqual(0.001);
  }, 300_000);
});
