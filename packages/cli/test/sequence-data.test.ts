import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeSafetensors } from '@snnc/runtime';
import { encodeNmnist } from '@snnc/runtime/node';
import { describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

/** Four samples in the Spiking Heidelberg Digits layout (h5py-written, see tools/fixtures). */
const SHD_TINY = path.join(repoRoot, 'packages/runtime/src/node/train/__fixtures__/shd_tiny.h5');

describe('snnc run on sequence data', () => {
  it('trains an SHD model from an HDF5 file named in data: (paths relative to the .snn)', async () => {
    const dir = tempFiles({
      'shd.snn': 'model rec(input: [700], steps: 14) { dense(16) -> LIF -> dense(classes) -> LIF }\nexperiment e { model: rec  data: shd(train: "data/shd_tiny.h5", test: "data/shd_tiny.h5", steps: 14)  batch: 2  epochs: 1 }\n',
    });
    const data = path.join(dir, 'data');
    mkdirSync(data);
    copyFileSync(SHD_TINY, path.join(data, 'shd_tiny.h5'));
    const r = await snnc(['run', 'shd.snn', '--backend', 'cpu', '--runs-dir', path.join(dir, 'runs')], dir);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`data: SHD (${path.join(data, 'shd_tiny.h5')}, ${path.join(data, 'shd_tiny.h5')}), 14 steps over 1.4 s: 4 training / 4 test samples`);
    expect(r.stdout + r.stderr).toMatch(/epoch=0, train_loss=[0-9.]+, train_acc=[0-9.]+, test_loss=/);
    // snnc eval takes a .safetensors weights file as its checkpoint (as snnc import writes).
    const zeros = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    const weights = [
      { name: 'dense_0/kernel', ...zeros([700, 16]) },
      { name: 'dense_0/bias', ...zeros([16]) },
      { name: 'dense_1/kernel', ...zeros([16, 20]) },
      { name: 'dense_1/bias', ...zeros([20]) },
    ];
    writeFileSync(path.join(dir, 'w.safetensors'), encodeSafetensors(weights));
    const e = await snnc(['eval', 'shd.snn', '--checkpoint', 'w.safetensors', '--backend', 'cpu'], dir);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('(weights file)');
    // All-zero weights never fire: every output ties, and the loss is the onehot target's mean square.
    expect(e.stdout).toContain('test_loss=0.0500, test_acc=');
  });

  it('refuses a damaged SHD file, naming it, with exit 1 and no stack trace', async () => {
    const dir = tempFiles({
      'shd.snn': 'model rec(input: [700], steps: 14) { dense(16) -> LIF -> dense(classes) -> LIF }\nexperiment e { model: rec  data: shd(train: "bad.h5", test: "bad.h5", steps: 14) }\n',
    });
    writeFileSync(path.join(dir, 'bad.h5'), 'not an HDF5 file');
    const r = await snnc(['run', 'shd.snn', '--backend', 'cpu', '--runs-dir', path.join(dir, 'runs')], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error SNN7450: \`${path.join(dir, 'bad.h5')}\` is not a valid Spiking Heidelberg Digits (HDF5) file: it is not an HDF5 file`);
    expect(r.stderr).not.toMatch(/at .*\.[jt]s:\d+/);
  });

  it('trains a convolutional model on N-MNIST event folders (frames [2, 34, 34])', async () => {
    const dir = tempFiles({
      'nmnist.snn': 'model ev(input: [2, 34, 34], steps: 3) { conv2d(2, kernel: 3, stride: 2) -> LIF -> flatten -> dense(classes) -> LIF }\nexperiment e { model: ev  data: nmnist(train: "N/Train", test: "N/Test", steps: 3, duration: 30ms)  batch: 2  epochs: 1 }\n',
    });
    for (const split of ['Train', 'Test']) {
      for (const digit of [1, 7]) {
        mkdirSync(path.join(dir, 'N', split, String(digit)), { recursive: true });
        const n = 20;
        const ev = {
          x: Uint8Array.from({ length: n }, (_, i) => (i * 5 + digit) % 34),
          y: Uint8Array.from({ length: n }, (_, i) => (i * 3) % 34),
          polarity: Uint8Array.from({ length: n }, (_, i) => i % 2),
          time: Uint32Array.from({ length: n }, (_, i) => i * 1400),
        };
        writeFileSync(path.join(dir, 'N', split, String(digit), '00001.bin'), encodeNmnist(ev));
      }
    }
    const r = await snnc(['run', 'nmnist.snn', '--backend', 'cpu', '--runs-dir', path.join(dir, 'runs')], dir);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`data: N-MNIST (${path.join(dir, 'N', 'Train')}, ${path.join(dir, 'N', 'Test')}), 3 frames over 0.03 s: 2 training / 2 test samples`);
    expect(r.stdout + r.stderr).toMatch(/epoch=0, train_loss=/);
  });
});
