import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '@snnc/runtime/node';
import { snnc, tempFiles } from './helpers.js';

const SPEC = `neuron lif = LIF(tau: 2.0)
model m(input: [1, 28, 28], steps: 2) {
  flatten -> dense(10) -> lif
}
experiment tiny { model: m  data: mnist  target: onehot  loss: mse  optimizer: adam(lr: 0.01)  batch: 25  epochs: 1  seed: 3 }
`;
const dir = tempFiles({ 'tiny.snn': SPEC });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every backend that loads on this machine; a replay must reproduce each exactly. */
const backends: string[] = [];
for (const b of ['cpu', 'wasm', 'tensorflow'] as const) {
  try {
    await loadBackend(b);
    backends.push(b);
  } catch {
    console.log(`replay test: backend ${b} does not load here, skipped`);
  }
}
await loadBackend('cpu');

function onlyRun(runs: string): string {
  const exp = path.join(dir, runs, 'tiny');
  return path.relative(dir, path.join(exp, readdirSync(exp)[0]!));
}

describe.each(backends)('snnc run --replay on %s', (backend) => {
  it('reproduces a `snnc run` exactly, on the backend and threads it recorded', async () => {
    const runs = `runs-${backend}`;
    const first = await snnc(['run', 'tiny.snn', '--backend', backend, '--train-limit', '100', '--test-limit', '50', '--runs-dir', runs], dir);
    expect(first.code).toBe(0);
    const run = onlyRun(runs);
    const r = await snnc(['run', '--replay', run], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^replay matches .*: every recorded number is identical/);
    expect(r.code).toBe(0);
  }, 180_000);
});

describe('snnc run --replay, when things differ or fail', () => {
  it('names a changed spec.snn and the real cause of a failed replay', async () => {
    const runs = 'runs-diff';
    expect((await snnc(['run', 'tiny.snn', '--backend', 'cpu', '--train-limit', '50', '--test-limit', '25', '--runs-dir', runs], dir)).code).toBe(0);
    const run = onlyRun(runs);
    writeFileSync(path.join(dir, run, 'spec.snn'), `${SPEC}// edited afterwards\n`);
    // a comment changes nothing that trains
    const edited = await snnc(['run', '--replay', run], dir);
    expect(edited.stdout).toContain('replay matches');
    expect(edited.code).toBe(0);
    writeFileSync(path.join(dir, run, 'spec.snn'), SPEC.replace('seed: 3', 'seed: 4'));
    const changed = await snnc(['run', '--replay', run], dir);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('spec.snn (edited after the run?) compiles to another experiment than the one the run trained');

    // The run's data is gone: the replay fails, and says why instead of listing missing epochs.
    const idx = tempFiles({ 'idx.snn': SPEC.replace('data: mnist', 'data: idx(train_images: "a.idx", train_labels: "b.idx", test_images: "c.idx", test_labels: "d.idx", classes: 10)') });
    for (const f of ['a.idx', 'c.idx']) writeFileSync(path.join(idx, f), Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 50, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.alloc(50 * 784, 7)]));
    for (const f of ['b.idx', 'd.idx']) writeFileSync(path.join(idx, f), Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0, 50]), Buffer.alloc(50, 3)]));
    const ok = await snnc(['run', 'idx.snn', '--backend', 'cpu', '--runs-dir', 'r'], idx);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    rmSync(path.join(idx, 'a.idx'));
    const gone = await snnc(['run', '--replay', path.relative(idx, path.join(idx, 'r', 'tiny', readdirSync(path.join(idx, 'r', 'tiny'))[0]!))], idx);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/error: the replay of .* failed: SNN7001: cannot read training images `.*a\.idx`: no such file/);
    rmSync(idx, { recursive: true, force: true });
  }, 180_000);
});
