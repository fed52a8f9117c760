import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { loadBackend } from '../backend/index.js';
import { readIdx } from './idx.js';
import { readWeights, writeWeights } from './weights-file.js';

/** Files a careless user or an attacker can name as data or put in a checkpoint. */
const root = mkdtempSync(path.join(tmpdir(), 'snnc-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await loadBackend('cpu');
});

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    if (isSnncError(e)) return { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('IDX paths that are not data files', () => {
  it('refuses /dev/zero without reading it', async () => {
    const f = await failure(readIdx('/dev/zero', 'training images', 'image', [3]));
    expect(f.code).toBe('SNN7001');
    expect(f.message).toContain('it is a device, not a regular file');
  });

  it('refuses a FIFO instead of hanging', async () => {
    const fifo = path.join(root, 'images.fifo');
    execFileSync('mkfifo', [fifo]);
    const f = await failure(readIdx(fifo, 'training images', 'image', [3]));
    expect(f).toMatchObject({ code: 'SNN7001', message: expect.stringContaining('a pipe') });
  });

  it('says to decompress a gzip file', async () => {
    const gz = path.join(root, 'train-images-idx3-ubyte.gz');
    const idx = Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2]), Buffer.alloc(4)]);
    writeFileSync(gz, gzipSync(idx));
    const f = await failure(readIdx(gz, 'training images', 'image', [3]));
    expect(f.code).toBe('SNN7010');
    expect(f.hint).toMatch(/^gzip: decompress it/);
  });
});

describe('checkpoint manifests that point outside their directory', () => {
  async function checkpointWith(manifest: unknown): Promise<string> {
    const dir = mkdtempSync(path.join(root, 'ck-'));
    await writeWeights(dir, 'weights', { w: tf.tensor1d([1, 2]) });
    if (manifest !== undefined) writeFileSync(path.join(dir, 'weights.json'), JSON.stringify(manifest));
    return dir;
  }

  it('reads a well-formed one', async () => {
    const dir = await checkpointWith(undefined);
    const w = await readWeights(dir, 'weights', dir);
    expect(Array.from(w['w']!.dataSync())).toEqual([1, 2]);
  });

  it.each([
    ['a relative escape', '../../../../etc/passwd', /outside the checkpoint directory/],
    ['an absolute device', '/dev/zero', /outside the checkpoint directory/],
  ])('refuses %s', async (_what, p, reason) => {
    const dir = await checkpointWith([{ paths: [p], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }]);
    const f = await failure(readWeights(dir, 'weights', dir));
    expect(f.code).toBe('SNN7007');
    expect(f.message).toMatch(reason);
  });

  it('refuses a link inside the directory to a device', async () => {
    const dir = await checkpointWith([{ paths: ['zero.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }]);
    symlinkSync('/dev/zero', path.join(dir, 'zero.bin'));
    const f = await failure(readWeights(dir, 'weights', dir));
    expect(f).toMatchObject({ code: 'SNN7007', message: expect.stringContaining('not a regular file') });
  });

  it('refuses a manifest with impossible shapes', async () => {
    const dir = await checkpointWith([{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [-1, 'x'], dtype: 'float32' }] }]);
    const f = await failure(readWeights(dir, 'weights', dir));
    expect(f).toMatchObject({ code: 'SNN7007', message: expect.stringContaining('not a tfjs weights manifest') });
    expect(readFileSync(path.join(dir, 'weights.bin')).length).toBe(8);
  });
});
