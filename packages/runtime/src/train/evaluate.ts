import * as tf from '@tensorflow/tfjs-core';
import { energyTableOf, Random, type Experiment } from '@snnc/ir';
import { normalizeTable, testBatchCount } from '../data/index.js';
import type { SnnNetwork } from '../model/index.js';
import { countCorrect, encodeBatch, targetCodec } from './codes/index.js';
import { fitData, inputTensor, testBatchOf, type TrainingData } from './data-source.js';
import { summarizeActivity, type ActivityCollector, type ActivitySummary } from './activity/index.js';
import { makeLoss } from './losses.js';
import type { BatchProgress } from './metrics.js';

export interface EvaluateOptions {
  experiment: Experiment;
  network: SnnNetwork;
  data: TrainingData;
  /** Stochastic encoders' generator; default: a fresh one from the experiment's seed. */
  rng?: Random;
  /** Epoch number reported in progress (default 0). */
  epoch?: number;
  signal?: AbortSignal;
  onBatch?: (p: BatchProgress) => void;
  onPhase?: (phase: 'test', epoch: number, batches: number, startBatch: number) => void;
  /** Counts spikes, SynOps and MACs of every batch (the caller reads and disposes it). */
  activity?: ActivityCollector;
}

export interface Evaluation {
  /** Mean loss over every sample (batch means weighted by batch size). */
  loss: number;
  accuracy: number;
  samples: number;
  /** With `activity`: per-layer activity and energy per sample over this data set. */
  activity?: ActivitySummary;
}

/** The generator evaluations draw from when none is given: derived from the seed only. */
export function evaluationRng(seed: number): Random {
  const root = new Random(seed);
  root.fork(); // the training shuffle stream
  root.fork(); // the training forward stream
  return root.fork();
}

const now = () => globalThis.performance.now() / 1000;

/**
 * Loss and accuracy of `network` on `data` in eval mode (running batch-norm statistics, no
 * dropout), in batches of the experiment's size, the last one holding the remainder.
 * Returns 'aborted' when the signal fires between two batches.
 */
export async function evaluateNetwork(opts: EvaluateOptions): Promise<Evaluation | 'aborted'> {
  const { experiment, network, data } = opts;
  const codec = targetCodec(experiment.target, data.classes);
  const layout = fitData(experiment, data);
  const loss = makeLoss(experiment.loss, codec, experiment.model.decoder.kind);
  const table = normalizeTable(experiment.normalize);
  const rng = opts.rng ?? evaluationRng(experiment.seed);
  const B = experiment.batch;
  const batches = testBatchCount(data.count, B);
  const epoch = opts.epoch ?? 0;
  opts.onPhase?.('test', epoch, batches, 0);
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  const t0 = now();
  for (let i = 0; i < batches; i++) {
    if (opts.signal?.aborted) return 'aborted';
    const host = testBatchOf(data, i, B, table);
    const kept = tf.tidy(() => {
      const x = inputTensor(layout, host);
      const y = tf.tensor2d(encodeBatch(codec, host.labels), [host.size, codec.outputs]);
      const out = network.forward(x, { training: false, rng, timeMajor: layout.timeMajor, ...(opts.activity ? { probe: opts.activity } : {}) }) as tf.Tensor2D;
      return { loss: loss(out, y), out };
    });
    // Asynchronous reads: the webgpu backend cannot read synchronously in Node.
    let r: { loss: number; outputs: Float32Array | Int32Array | Uint8Array };
    try {
      r = { loss: (await kept.loss.data())[0]!, outputs: await kept.out.data() };
    } catch (e) {
      opts.activity?.dropBatch();
      throw e;
    } finally {
      tf.dispose([kept.loss, kept.out]);
    }
    opts.activity?.endBatch(host.size);
    lossSum += r.loss * host.size;
    correct += countCorrect(codec, r.outputs, host.labels);
    seen += host.size;
    if (opts.onBatch) {
      const mem = tf.memory();
      opts.onBatch({ phase: 'test', epoch, batch: i + 1, batches, loss: lossSum / seen, accuracy: correct / seen, seconds: now() - t0, lr: 0, numTensors: mem.numTensors, numBytes: mem.numBytes });
    }
    await tf.nextFrame();
  }
  const result: Evaluation = { loss: lossSum / seen, accuracy: correct / seen, samples: seen };
  if (opts.activity) result.activity = summarizeActivity(experiment.model, opts.activity.plans, await opts.activity.read(), energyTableOf(experiment));
  return result;
}
