/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients by itself; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { assertNever, isSnncError, Random, SnncError, type Experiment } from '@snnc/ir';
import { buildNetwork, encodeSafetensors, formatActivityLine, formatCount, formatEpochLine, formatJoules, makeDataset, registerWebgpuNeuronKernels, rowsAsSequence, toRuntimeShape, Trainer, type Dataset, type SnnNetwork, type TrainingData } from '@snnc/runtime';
import { loadMnistAsset, type MnistSplit } from './mnist-asset.js';
import { startReplicas } from './replicas.js';
import { prepareWasm } from './wasm-setup.js';
import type { BackendRequest, BrowserBackend, TrainRequest, TrainResponse } from './protocol.js';
import type { FileWeights } from '../files/nir.js';
import { normalizedSample } from './trace.js';

/**
 * Trains one experiment with the runtime's browser-safe Trainer on the bundled MNIST subset,
 * off the UI thread, streaming per-batch progress and per-epoch metrics.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: TrainResponse, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

let abort: AbortController | undefined;
let network: SnnNetwork | undefined;
let experimentName = '';

scope.onmessage = (ev: MessageEvent<TrainRequest>) => {
  const m = ev.data;
  switch (m.kind) {
    case 'start':
      abort?.abort();
      void train(m.experiment, m.backend, m.assetUrl, m.weights).catch((e: unknown) => post({ kind: 'error', message: messageOf(e) }));
      return;
    case 'stop':
      abort?.abort();
      return;
    case 'weights':
      void sendWeights();
      return;
    default:
      assertNever(m);
  }
};

/** The GPU adapter WebGPU offers here, or why there is none to train on. */
async function gpuAdapter(allowSoftware: boolean): Promise<{ adapter: GPUAdapter } | { reason: string }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (gpu === undefined) return { reason: 'this browser has no WebGPU (navigator.gpu)' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (adapter === null) return { reason: 'the browser offers no WebGPU adapter' };
  // A fallback adapter is a CPU rasteriser (SwiftShader): slower than wasm, so auto never takes it.
  const info = (adapter as GPUAdapter & { info?: { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean });
  if (!allowSoftware && (info.info?.isFallbackAdapter === true || info.isFallbackAdapter === true)) return { reason: 'only a software WebGPU adapter' };
  return { adapter };
}

/**
 * Starts the backend the page asked for and returns it: `auto` takes WebGPU on a hardware GPU
 * adapter, else wasm; a backend asked for by name never silently falls back to another.
 */
async function useBackend(req: BackendRequest): Promise<BrowserBackend> {
  let b: BrowserBackend;
  if (req === 'auto') b = 'reason' in (await gpuAdapter(false)) ? 'wasm' : 'webgpu';
  else b = req;
  if (tf.getBackend() === b) return b;
  if (b === 'webgpu') {
    const found = await gpuAdapter(true);
    if ('reason' in found) throw new SnncError('SNN7006', { backend: b, reason: found.reason });
    // Loaded only when chosen: the backend is large, and registers itself when imported.
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (b === 'wasm') prepareWasm();
  let ok = false;
  try {
    ok = await tf.setBackend(b);
  } catch (e) {
    throw new SnncError('SNN7006', { backend: b, reason: e instanceof Error ? e.message : String(e) });
  }
  if (!ok) throw new SnncError('SNN7006', { backend: b, reason: 'tfjs could not initialise it in this browser' });
  await tf.ready();
  if (b === 'webgpu') registerWebgpuNeuronKernels();
  return b;
}

let mnist: Promise<{ train: Dataset; test: Dataset }> | undefined;

function toDataset(s: MnistSplit, rows: number, cols: number): Dataset {
  return makeDataset({ images: s.images, labels: Int32Array.from(s.labels), count: s.count, height: rows, width: cols, channels: 1, classes: 10 });
}

/**
 * Puts a file's weights into `net`; loadWeights refuses a missing, unknown or misshapen tensor
 * (the model was edited after the file was opened), and the run stops with its message.
 */
function loadFileWeights(net: SnnNetwork, w: FileWeights): void {
  const tensors = Object.fromEntries(w.tensors.map((t) => [t.name, tf.tensor(t.data, t.shape, 'float32')]));
  try {
    net.loadWeights(tensors);
  } catch (e) {
    throw new Error(`the weights from ${w.source} do not fit model \`${net.model.name}\`: ${messageOf(e)}`);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

async function train(experiment: Experiment, request: BackendRequest, assetUrl: string, weights: FileWeights | undefined): Promise<void> {
  const controller = new AbortController();
  abort = controller;
  const rows = experiment.data.kind === 'sequential_mnist';
  if (experiment.data.kind !== 'mnist' && !rows) {
    throw new Error(`the editor trains on its bundled MNIST subset only (images, or row by row with \`sequential_mnist\`); experiment \`${experiment.name}\` reads ${experiment.data.kind} data (run it with \`snnc run\`)`);
  }
  post({ kind: 'status', message: request === 'auto' ? 'starting a backend (WebGPU on a GPU, else wasm)' : `starting the ${request} backend` });
  const backend = await useBackend(request);
  post({ kind: 'status', message: 'loading the MNIST subset' });
  mnist ??= loadMnistAsset(assetUrl).then((m) => ({ train: toDataset(m.train, m.rows, m.cols), test: toDataset(m.test, m.rows, m.cols) }));
  const images = await mnist;
  // sequential_mnist: the same images, one row per step.
  const data: { train: TrainingData; test: TrainingData } = rows ? { train: rowsAsSequence(images.train), test: rowsAsSequence(images.test) } : images;
  network?.dispose();
  const net = buildNetwork(experiment.model, { seed: experiment.seed });
  network = net;
  experimentName = experiment.name;
  if (weights) loadFileWeights(net, weights);
  // wasm computes on one thread per instance: replica workers put the other cores to work.
  // Replicas draw their own initial weights, so a run from a file's weights trains in one worker (as `snnc run`).
  const parallel = weights ? { group: undefined, workers: 1 } : await startReplicas(experiment, data.train.classes, backend);
  let trainer: Trainer;
  try {
    trainer = new Trainer({ experiment, network: net, train: data.train, test: data.test, ...(parallel.group ? { replicas: parallel.group } : {}) });
  } catch (e) {
    await parallel.group?.close();
    throw e;
  }
  const params = net.trainable.reduce((n, v) => n + v.size, 0);
  post({ kind: 'ready', backend, workers: parallel.workers, trainCount: data.train.count, testCount: data.test.count, batchesPerEpoch: trainer.batchesPerEpoch, epochs: experiment.epochs, params });
  // What the file's network does before any training step changes it.
  if (weights) await sendTrace(experiment, net, images.test, 'file', rows);
  try {
    const outcome = await trainer.run({
      signal: controller.signal,
      callbacks: {
        onBatch: (p) => {
          if (p.phase === 'train') post({ kind: 'batch', progress: p, step: p.epoch * trainer.batchesPerEpoch + p.batch });
        },
        onWarning: (w) => post({ kind: 'warning', message: `warning ${w.code}: ${w.message}\n  hint: ${w.hint}` }),
        onEpoch: async (metrics) => {
          const a = metrics.activity;
          const line = a ? `${formatEpochLine(metrics)}\n${formatActivityLine(a)}` : formatEpochLine(metrics);
          const detail = a && `${formatCount(a.total.synops)} SynOps + ${formatCount(a.total.macs)} MACs per test sample (${a.table.name}); as an ANN ${formatJoules(a.total.ann_energy_j)}`;
          post({ kind: 'epoch', metrics, line, ...(a && detail ? { energy: { text: formatJoules(a.total.energy_j), detail } } : {}) });
          await sendTrace(experiment, net, images.test, metrics.epoch, rows);
        },
      },
    });
    // A completed run's last epoch already sent its trace.
    if (outcome.status === 'aborted') await sendTrace(experiment, net, images.test, null, rows);
    post({ kind: 'done', status: outcome.status });
  } finally {
    trainer.dispose();
    await parallel.group?.close();
  }
}

/** The test sample whose spikes the Training tab draws: the same one after every epoch. */
const TRACE_SAMPLE = 0;

/**
 * Runs the fixed test sample through `net` in eval mode and posts every neuron layer's
 * spikes. The trace draws its encoder randomness from its own seeded stream, so it neither
 * consumes the Trainer's stream nor changes any weight or running statistic.
 */
async function sendTrace(experiment: Experiment, net: SnnNetwork, test: Dataset, epoch: number | 'file' | null, rows: boolean): Promise<void> {
  const shape = toRuntimeShape(experiment.model.input);
  // Row by row, the image's T rows are the T steps of one time-major sequence.
  const steps = rows ? experiment.model.steps : 1;
  const size = steps * shape.reduce((a, b) => a * b, 1);
  const values = normalizedSample(test.images, size, TRACE_SAMPLE, experiment.normalize);
  const x = tf.tensor(values, [steps, ...shape], 'float32');
  try {
    const layers = (await net.trace(x, new Random(experiment.seed), { timeMajor: rows })).map(({ membrane: _, ...l }) => l);
    post({ kind: 'trace', epoch, sample: TRACE_SAMPLE, label: test.labels[TRACE_SAMPLE]!, layers }, layers.map((l) => l.spikes.buffer));
  } finally {
    x.dispose();
  }
}

async function sendWeights(): Promise<void> {
  if (!network) {
    post({ kind: 'error', message: 'nothing trained yet: press Run on an experiment first' });
    return;
  }
  const tensors = [];
  for (const [name, t] of Object.entries(network.namedWeights())) {
    tensors.push({ name, shape: t.shape, data: (await t.data()) as Float32Array });
  }
  const bytes = encodeSafetensors(tensors, { model: network.model.name, experiment: experimentName, producer: 'snnc editor' });
  post({ kind: 'weights', bytes, name: `${experimentName || network.model.name}.safetensors` }, [bytes.buffer]);
}

function messageOf(e: unknown): string {
  if (isSnncError(e)) return `${e.code}: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
