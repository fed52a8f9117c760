import * as tf from '@tensorflow/tfjs-core';
import { Random, type Model } from '@snnc/ir';
import { buildNetwork, toRuntimeShape } from '../../model/index.js';
import { loadBackend, type BackendRequest } from '../backend/index.js';
import path from 'node:path';
import { disposeCheckpoint, loadCheckpoint } from '../train/checkpoint.js';
import { exists } from '../train/fs-atomic.js';
import { isWeightsFile, loadWeightsFile } from '../train/safetensors-file.js';

/** One neuron layer of a model trace, units in IR (channels-first) order. */
export interface TracedLayer {
  /** The source's name for the layer (`h = ... -> lif`), else its id (`neuron_0`). */
  name: string;
  layerId: string;
  /** Units per step (the product of the layer's IR shape). */
  units: number;
  /** 0/1 per step and unit, row-major [steps][units]. */
  spikes: Uint8Array;
  /** H before firing, [steps][units]; with `state` only. */
  membrane?: Float32Array;
}

export interface TraceModelOptions {
  model: Model;
  /** Input per step, row-major [steps][units], units in IR (channels-first) order. */
  input: Float32Array;
  steps: number;
  /** A checkpoint directory, a run directory (its `best/`) or a `.safetensors` file, whose weights replace the seeded initialisation. */
  checkpoint?: string;
  /** Seeds the initial weights when there is no checkpoint, and stochastic encoders. */
  seed: number;
  state: boolean;
  backend: BackendRequest;
}

/**
 * Runs `model` (with T = `steps`) on one input sequence in evaluation mode and returns every
 * neuron layer's spikes (and membranes) per step. The input is fed as sequence data (one row
 * per step) through the model's encoder.
 */
export async function traceModel(opts: TraceModelOptions): Promise<{ layers: TracedLayer[]; backend: string }> {
  const backend = await loadBackend(opts.backend);
  const model: Model = { ...opts.model, steps: opts.steps };
  const units = model.input.reduce((a, b) => a * b, 1);
  if (opts.input.length !== opts.steps * units) throw new Error(`traceModel: expected ${opts.steps} x ${units} input values, got ${opts.input.length}`);
  const network = buildNetwork(model, { seed: opts.seed });
  try {
    if (opts.checkpoint !== undefined && isWeightsFile(opts.checkpoint)) {
      // A .safetensors file (snnc import writes one beside the .snn).
      const weights = loadWeightsFile(opts.checkpoint);
      try {
        network.loadWeights(weights);
      } finally {
        tf.dispose(Object.values(weights));
      }
    } else if (opts.checkpoint !== undefined) {
      let dir = opts.checkpoint;
      if (!(await exists(path.join(dir, 'checkpoint.json'))) && (await exists(path.join(dir, 'best')))) dir = path.join(dir, 'best');
      const ckpt = await loadCheckpoint(dir);
      try {
        network.loadWeights(ckpt.weights);
      } finally {
        disposeCheckpoint(ckpt);
      }
    }
    const runtimeShape = toRuntimeShape(model.input);
    const x = tf.tidy(() => tf.tensor(toRuntimeOrder(opts.input, model.input, opts.steps), [opts.steps, ...runtimeShape], 'float32'));
    try {
      const traced = await network.trace(x, new Random(opts.seed), { timeMajor: true, state: opts.state });
      const byId = new Map(model.layers.map((l) => [l.id, l]));
      const layers = traced.map((t): TracedLayer => {
        const irShape = byId.get(t.layerId)!.outShape;
        const perm = irIndexOfRuntime(irShape);
        const n = perm.length;
        const spikes = new Uint8Array(t.spikes.length);
        const membrane = t.membrane ? new Float32Array(t.membrane.length) : undefined;
        for (let s = 0; s < opts.steps; s++) {
          for (let k = 0; k < n; k++) {
            spikes[s * n + perm[k]!] = t.spikes[s * n + k]!;
            if (membrane) membrane[s * n + perm[k]!] = t.membrane![s * n + k]!;
          }
        }
        const layer: TracedLayer = { name: t.name ?? t.layerId, layerId: t.layerId, units: n, spikes };
        if (membrane) layer.membrane = membrane;
        return layer;
      });
      return { layers, backend: backend.detail };
    } finally {
      x.dispose();
    }
  } finally {
    network.dispose();
  }
}

/**
 * For each runtime (channels-last) flat index of one sample of IR shape `shape`, its IR
 * (channels-first) flat index: [C, H, W] is stored [H, W, C], [C, L] as [L, C].
 */
export function irIndexOfRuntime(shape: readonly number[]): Int32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Int32Array(n);
  if (shape.length < 2) {
    for (let k = 0; k < n; k++) out[k] = k;
    return out;
  }
  const c = shape[0]!;
  const spatial = n / c;
  // runtime k = p * C + ch (p: spatial position in row-major order); IR i = ch * spatial + p
  for (let p = 0; p < spatial; p++) for (let ch = 0; ch < c; ch++) out[p * c + ch] = ch * spatial + p;
  return out;
}

/** Rows in IR order -> rows in runtime order (see irIndexOfRuntime). */
function toRuntimeOrder(input: Float32Array, shape: readonly number[], steps: number): Float32Array {
  const perm = irIndexOfRuntime(shape);
  const n = perm.length;
  const out = new Float32Array(input.length);
  for (let s = 0; s < steps; s++) for (let k = 0; k < n; k++) out[s * n + k] = input[s * n + perm[k]!]!;
  return out;
}
