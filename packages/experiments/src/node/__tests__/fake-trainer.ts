/**
 * A stand-in for the runtime's trainer in orchestration tests: same signature, deterministic
 * numbers from the spec and seed, a configurable time per epoch, and the runtime's failure
 * for a missing IDX file. Tests only; never shipped (excluded from the build).
 */
import { writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { Random, SnncError } from '@snnc/ir';
import { canonicalJson } from '../../canonical.js';
import type { TrainJob, TrainResult } from '../trainer.js';

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function train(job: TrainJob): Promise<TrainResult> {
  const e = job.experiment;
  if (e.data.kind === 'idx') {
    throw new SnncError('SNN7001', { what: 'training images', path: e.data.trainImages, reason: 'no such file' });
  }
  const epochMs = Number(process.env['FAKE_EPOCH_MS'] ?? '50');
  const rng = new Random(hashString(canonicalJson({ e, l: job.limits }, ['range'])) ^ e.seed);
  const images = job.limits.trainLimit ?? 60000;
  let best = 0;
  for (let epoch = 0; epoch < e.epochs; epoch++) {
    await sleep(epochMs);
    const testAcc = Math.min(0.99, 0.5 + 0.1 * epoch + 0.3 * rng.random());
    best = Math.max(best, testAcc);
    const row = {
      epoch,
      train_loss: 0.1 / (epoch + 1) + 0.01 * rng.random(),
      train_acc: Math.min(0.99, testAcc + 0.01),
      test_loss: 0.1 / (epoch + 1),
      test_acc: testAcc,
      max_test_acc: best,
      total_time: epochMs / 1000,
      images_per_s: images / (epochMs / 1000),
    };
    appendFileSync(path.join(job.runDir, 'metrics.jsonl'), `${JSON.stringify(row)}\n`);
  }
  writeFileSync(path.join(job.runDir, 'summary.json'), JSON.stringify({ max_test_acc: best, epochs: e.epochs, backend: 'fake' }));
  return { backend: { name: job.backend === 'auto' ? 'cpu' : job.backend, detail: `fake trainer, ${job.threads} thread(s)` } };
}
