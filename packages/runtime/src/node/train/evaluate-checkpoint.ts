import path from 'node:path';
import { SnncError, type Experiment } from '@snnc/ir';
import pc from 'picocolors';
import { buildNetwork } from '../../model/index.js';
import { ActivityCollector, evaluateNetwork, formatActivityTable, type ActivitySummary } from '../../train/index.js';
import { loadBackend, type BackendRequest } from '../backend/index.js';
import { disposeCheckpoint, loadCheckpoint } from './checkpoint.js';
import { loadTrainingData } from './training-data.js';
import { exists } from './fs-atomic.js';
import { isWeightsFile, loadWeightsFile } from './safetensors-file.js';
import { plainProgress, ttyProgress } from './progress.js';

/** What `snnc eval` passes in. */
export interface EvalOptions {
  experiment: Experiment;
  /** A checkpoint directory (`runs/x/<id>/best`), a run directory (its `best/` is used), or a `.safetensors` weights file. */
  checkpoint: string;
  backend: BackendRequest;
  /** Evaluate on the first N test samples only. */
  testLimit?: number;
  /** The `.snn` file (IDX data paths are resolved against its directory; default: cwd). */
  specFile?: string;
  out: NodeJS.WritableStream;
  tty?: boolean;
  signal?: AbortSignal;
  /** Also count spikes, SynOps and MACs and print the per-layer activity and energy table. */
  activity?: boolean;
}

/** Test loss and accuracy of a saved checkpoint, printed as `test_loss=..., test_acc=...`. */
export async function evaluateCheckpoint(opts: EvalOptions): Promise<{ loss: number; accuracy: number; activity?: ActivitySummary }> {
  const c = opts.tty ? pc : pc.createColors(false);
  let dir = path.resolve(opts.checkpoint);
  const weightsFile = isWeightsFile(dir);
  if (!weightsFile && !(await exists(path.join(dir, 'checkpoint.json'))) && (await exists(path.join(dir, 'best')))) dir = path.join(dir, 'best');
  const backend = await loadBackend(opts.backend);
  opts.out.write(`${c.bold('backend')}: ${backend.detail}\n`);
  // A .safetensors file (snnc import writes one) holds weights only, no training state.
  const ckpt = weightsFile ? { weights: loadWeightsFile(dir), info: undefined } : await loadCheckpoint(dir);
  const network = buildNetwork(opts.experiment.model, { seed: opts.experiment.seed });
  const activity = opts.activity ? new ActivityCollector(opts.experiment.model, { synops: true, data: opts.experiment.data }) : undefined;
  try {
    try {
      network.loadWeights(ckpt.weights);
    } finally {
      if (ckpt.info === undefined) for (const t of Object.values(ckpt.weights)) t.dispose();
      else disposeCheckpoint(ckpt);
    }
    const base = opts.specFile ? path.dirname(path.resolve(opts.specFile)) : process.cwd();
    const { test } = await loadTrainingData(opts.experiment.data, base, { train: 1, test: opts.testLimit });
    const info = ckpt.info;
    const saved = info?.metrics;
    opts.out.write(
      `${c.bold('checkpoint')}: ${path.relative(process.cwd(), dir) || '.'} (${info ? `${info.kind}, ${info.state.history.length} epoch(s)` : 'weights file'}` +
        `${saved ? `, test_acc=${saved.test_acc.toFixed(4)} when saved` : ''})\n`,
    );
    const progress = opts.tty ? ttyProgress(opts.out, true) : plainProgress(opts.out);
    const r = await evaluateNetwork({
      experiment: opts.experiment,
      network,
      data: test,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onPhase: (p, e, n, s) => progress.phase(p, e, n, s),
      onBatch: (p) => progress.batch(p),
      ...(activity ? { activity } : {}),
    });
    progress.stop();
    if (r === 'aborted') throw new SnncError('SNN9002', { message: 'evaluation interrupted' });
    opts.out.write(`test_loss=${r.loss.toFixed(4)}, test_acc=${r.accuracy.toFixed(4)} (${r.samples} samples)\n`);
    if (r.activity) opts.out.write(`\n${formatActivityTable(r.activity)}\n`);
    return { loss: r.loss, accuracy: r.accuracy, ...(r.activity ? { activity: r.activity } : {}) };
  } finally {
    activity?.dispose();
    network.dispose();
  }
}
