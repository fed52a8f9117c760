import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SnncError, type OptimizerKind } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import type { EpochMetrics, TrainerSnapshot, TrainerState } from '../../train/index.js';
import { resolveSwapped, swapDirectory, writeFileSynced } from './fs-atomic.js';
import { readWeights, writeWeights } from './weights-file.js';

/** `best`: the epoch with the highest test accuracy so far; `last`: the latest state. */
export type CheckpointKind = 'best' | 'last';

/** checkpoint.json: what the checkpoint is, beside the trainer state. */
export interface CheckpointInfo {
  format: 'snnc-checkpoint';
  version: 1;
  kind: CheckpointKind;
  experiment: string;
  backend: string;
  savedAt: string;
  /** Metrics of the last finished epoch, or null when saved before the first one finished. */
  metrics: EpochMetrics | null;
  optimizer: { kind: OptimizerKind; steps: Record<string, number> };
  state: TrainerState;
}

export interface LoadedCheckpoint {
  dir: string;
  info: CheckpointInfo;
  /** Caller owns these tensors and must dispose them. */
  weights: Record<string, tf.Tensor>;
  optimizerSlots: Record<string, tf.Tensor>;
  snapshot: TrainerSnapshot;
}

/**
 * Writes `runDir/<kind>/` atomically: everything goes to `<kind>.tmp/` first (each file
 * flushed), which then replaces the old directory by renames, so a crash or Ctrl-C mid-write
 * leaves the previous checkpoint intact. Contents:
 *   weights.json + weights.bin      the network's tensors (tfjs weights format)
 *   optimizer.json + optimizer.bin  the optimizer's slot tensors (same format)
 *   checkpoint.json                 kind, epoch, metrics, RNG states, optimizer step counts
 */
export async function saveCheckpoint(
  runDir: string,
  kind: CheckpointKind,
  snap: TrainerSnapshot,
  meta: { experiment: string; backend: string },
): Promise<string> {
  const dir = path.join(runDir, kind);
  const staged = `${dir}.tmp`;
  try {
    await rm(staged, { recursive: true, force: true });
    await mkdir(staged, { recursive: true });
    await writeWeights(staged, 'weights', snap.weights);
    await writeWeights(staged, 'optimizer', snap.optimizer.slots);
    const info: CheckpointInfo = {
      format: 'snnc-checkpoint',
      version: 1,
      kind,
      experiment: meta.experiment,
      backend: meta.backend,
      savedAt: new Date().toISOString(),
      metrics: snap.state.history.at(-1) ?? null,
      optimizer: { kind: snap.optimizer.kind, steps: snap.optimizer.steps },
      state: snap.state,
    };
    await writeFileSynced(path.join(staged, 'checkpoint.json'), JSON.stringify(info, null, 1) + '\n');
    await swapDirectory(staged, dir);
  } catch (e) {
    if (e instanceof SnncError) throw e;
    throw new SnncError('SNN7011', { path: dir, reason: (e as Error).message }, { cause: e });
  }
  return dir;
}

/**
 * Reads a checkpoint directory (or, if only that is left, the `.old` copy from an interrupted
 * swap). Any missing or damaged part is SnncError SNN7007.
 */
export async function loadCheckpoint(dirArg: string): Promise<LoadedCheckpoint> {
  const dir = await resolveSwapped(dirArg);
  if (dir === null) throw new SnncError('SNN7007', { path: dirArg, reason: 'no such directory' });
  let info: CheckpointInfo;
  const text = readRegularFile(path.join(dir, 'checkpoint.json'), 'json');
  if (!text.ok) throw new SnncError('SNN7007', { path: dirArg, reason: `cannot read checkpoint.json: ${text.reason}` });
  try {
    info = JSON.parse(text.bytes.toString('utf8')) as CheckpointInfo;
  } catch (e) {
    throw new SnncError('SNN7007', { path: dirArg, reason: `checkpoint.json is not JSON (${(e as Error).message})` }, { cause: e });
  }
  if (info === null || typeof info !== 'object') throw new SnncError('SNN7007', { path: dirArg, reason: 'checkpoint.json is not an snnc checkpoint (version 1)' });
  if (info.format !== 'snnc-checkpoint' || info.version !== 1) {
    throw new SnncError('SNN7007', { path: dirArg, reason: 'checkpoint.json is not an snnc checkpoint (version 1)' });
  }
  const weights = await readWeights(dir, 'weights', dirArg);
  let optimizerSlots: Record<string, tf.Tensor>;
  try {
    optimizerSlots = await readWeights(dir, 'optimizer', dirArg);
  } catch (e) {
    tf.dispose(weights);
    throw e;
  }
  return {
    dir,
    info,
    weights,
    optimizerSlots,
    snapshot: { state: info.state, weights, optimizer: { kind: info.optimizer.kind, steps: info.optimizer.steps, slots: optimizerSlots } },
  };
}

/** Frees the tensors of a loaded checkpoint. */
export function disposeCheckpoint(c: LoadedCheckpoint): void {
  tf.dispose(c.weights);
  tf.dispose(c.optimizerSlots);
}
