import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import type { TrainerSnapshot } from '../../train/index.js';
import { loadBackend } from '../backend/index.js';
import { disposeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { resolveSwapped, swapDirectory } from './fs-atomic.js';

const root = mkdtempSync(path.join(tmpdir(), 'snnc-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await loadBackend('cpu');
});

function snapshot(scale: number): TrainerSnapshot {
  return {
    state: {
      version: 1,
      epoch: 2,
      batch: 5,
      step: 42,
      epochShuffle: [1, 2, 3, 4, null],
      shuffleRng: [5, 6, 7, 8, null],
      forwardRng: [9, 10, 11, 12, 0.5],
      running: { lossSum: 1.5, correct: 30, seen: 320, seconds: 3.25 },
      maxTestAcc: 0.5,
      history: [],
    },
    weights: { 'dense_0/kernel': tf.tensor2d([1, 2, 3, 4, 5, 6].map((x) => x * scale), [3, 2]), 'dense_0/bias': tf.tensor1d([0.5, -0.5]) },
    optimizer: { kind: 'adam', steps: { 'dense_0/kernel': 42 }, slots: { 'dense_0/kernel/m': tf.fill([3, 2], 0.25), 'dense_0/kernel/v': tf.fill([3, 2], 0.125) } },
  };
}

async function snncCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isSnncError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('checkpoints', () => {
  it('round-trips weights, optimizer slots and state', async () => {
    const dir = path.join(root, 'rt');
    mkdirSync(dir);
    await saveCheckpoint(dir, 'last', snapshot(1), { experiment: 'e', backend: 'cpu' });
    const c = await loadCheckpoint(path.join(dir, 'last'));
    expect(Array.from(c.weights['dense_0/kernel']!.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.weights['dense_0/kernel']!.shape).toEqual([3, 2]);
    expect(Array.from(c.optimizerSlots['dense_0/kernel/v']!.dataSync())).toEqual(Array(6).fill(0.125));
    expect(c.snapshot.optimizer.steps).toEqual({ 'dense_0/kernel': 42 });
    expect(c.info.state.forwardRng).toEqual([9, 10, 11, 12, 0.5]);
    expect(c.info.state.epochShuffle).toEqual([1, 2, 3, 4, null]);
    expect([c.info.kind, c.info.experiment, c.info.backend]).toEqual(['last', 'e', 'cpu']);
    disposeCheckpoint(c);
  });

  it('replaces an existing checkpoint and leaves no temporary directories', async () => {
    const dir = path.join(root, 'replace');
    mkdirSync(dir);
    await saveCheckpoint(dir, 'best', snapshot(1), { experiment: 'e', backend: 'cpu' });
    await saveCheckpoint(dir, 'best', snapshot(10), { experiment: 'e', backend: 'cpu' });
    const c = await loadCheckpoint(path.join(dir, 'best'));
    expect(c.weights['dense_0/kernel']!.dataSync()[5]).toBe(60);
    disposeCheckpoint(c);
    expect(existsSync(path.join(dir, 'best.tmp'))).toBe(false);
    expect(existsSync(path.join(dir, 'best.old'))).toBe(false);
  });

  it('falls back to the previous checkpoint when a swap was cut between its renames', async () => {
    const dir = path.join(root, 'cut');
    mkdirSync(dir);
    await saveCheckpoint(dir, 'last', snapshot(1), { experiment: 'e', backend: 'cpu' });
    // the state right after `last` was moved aside and before the new one was moved in
    renameSync(path.join(dir, 'last'), path.join(dir, 'last.old'));
    expect(await resolveSwapped(path.join(dir, 'last'))).toBe(path.join(dir, 'last.old'));
    const c = await loadCheckpoint(path.join(dir, 'last'));
    expect(c.weights['dense_0/kernel']!.dataSync()[0]).toBe(1);
    disposeCheckpoint(c);
    // the next save cleans up and completes the swap
    await saveCheckpoint(dir, 'last', snapshot(2), { experiment: 'e', backend: 'cpu' });
    expect(existsSync(path.join(dir, 'last.old'))).toBe(false);
  });

  it('swapDirectory moves a staged directory into place', async () => {
    const a = path.join(root, 'swap-staged');
    const b = path.join(root, 'swap-target');
    mkdirSync(a);
    writeFileSync(path.join(a, 'f'), 'new');
    mkdirSync(b);
    writeFileSync(path.join(b, 'f'), 'old');
    await swapDirectory(a, b);
    expect(readFileSync(path.join(b, 'f'), 'utf8')).toBe('new');
    expect(existsSync(a)).toBe(false);
  });

  it('reports a missing or damaged checkpoint as SNN7007', async () => {
    expect(await snncCode(loadCheckpoint(path.join(root, 'nowhere')))).toMatch(/^SNN7007: .*no such directory/);
    const dir = path.join(root, 'damaged');
    mkdirSync(dir);
    await saveCheckpoint(dir, 'best', snapshot(1), { experiment: 'e', backend: 'cpu' });
    const best = path.join(dir, 'best');
    const bin = readFileSync(path.join(best, 'weights.bin'));
    writeFileSync(path.join(best, 'weights.bin'), bin.subarray(0, 10));
    expect(await snncCode(loadCheckpoint(best))).toMatch(/^SNN7007: .*weights\.bin holds 10 bytes but weights\.json describes 32/);
    writeFileSync(path.join(best, 'checkpoint.json'), '{"format": "other"}');
    expect(await snncCode(loadCheckpoint(best))).toMatch(/not an snnc checkpoint/);
    rmSync(path.join(best, 'checkpoint.json'));
    expect(await snncCode(loadCheckpoint(best))).toMatch(/cannot read checkpoint\.json/);
  });
});
