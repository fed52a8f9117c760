import * as tf from '@tensorflow/tfjs-core';
import { Random, type Model } from '@snnc/ir';
import { lifDef, makeModel } from '../../model/__tests__/models.js';
import { buildNetwork } from '../../model/index.js';
import { toRuntimeShape } from '../../model/layout.js';
import { encodeBatch, targetCodec } from '../../train/codes/index.js';
import { makeLoss } from '../../train/losses.js';
import { makeOptimizer, type Param } from '../../train/optim/index.js';
import { readAll } from './webgpu.js';

/**
 * A tiny conv SNN with the report network's layer kinds (conv, batchnorm, LIF, pooling,
 * flatten, dense), small enough for a software GPU driver: [1, 8, 8], T = 3.
 */
export function tinyModel(): Model {
  // A low threshold keeps every layer spiking at these small widths, so each gradient is
  // signal rather than rounding noise.
  const neuron = lifDef({ threshold: 0.3 });
  return makeModel([1, 8, 8], 3, [
    { kind: 'conv2d', filters: 4, kernel: 3, padding: 1 },
    { kind: 'batchnorm' },
    { kind: 'neuron', neuron },
    // avgpool, not maxpool: over binary spikes a 2x2 window often holds several maxima, and
    // cpu and wasm route MaxPoolGrad's gradient to different ones (both valid subgradients),
    // so conv gradients would differ by design rather than by rounding.
    { kind: 'avgpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 16 },
    { kind: 'neuron', neuron },
    { kind: 'dense', units: 10 },
    { kind: 'neuron', neuron },
  ]);
}

/** `count` samples of `features` values in [0, 1) and labels 0..classes-1 in turn, from a seed. */
export function tinyData(count: number, seed: number, features = 64, classes = 10): { x: Float32Array; labels: Int32Array } {
  const rng = new Random(seed);
  const x = Float32Array.from({ length: count * features }, () => rng.uniform(0, 1));
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  return { x, labels };
}

/** What a batch of `model` looks like: the runtime (channels-last) sample shape, its size, the classes. */
function sampleOf(model: Model): { shape: number[]; features: number; classes: number } {
  const shape = toRuntimeShape(model.input);
  return { shape, features: shape.reduce((a, b) => a * b, 1), classes: model.outputShape.reduce((a, b) => a * b, 1) };
}

/** Loss and every gradient by parameter name for one batch, on the active backend. */
export async function lossAndGradients(model: Model, batch: number, seed: number): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
  const net = buildNetwork(model, { seed });
  try {
    const s = sampleOf(model);
    const codec = targetCodec('onehot', s.classes);
    const loss = makeLoss('mse', codec, model.decoder.kind);
    const data = tinyData(batch, seed + 1, s.features, s.classes);
    const names = Object.entries(net.namedWeights()).filter(([, t]) => net.trainable.includes(t as tf.Variable));
    const { value, grads } = tf.tidy(() => {
      const x = tf.tensor(data.x, [batch, ...s.shape]);
      const y = tf.tensor2d(encodeBatch(codec, data.labels), [batch, s.classes]);
      return tf.variableGrads(() => loss(net.forward(x, { training: true, rng: new Random(seed + 2) }) as tf.Tensor2D, y), net.trainable);
    });
    const order = names.map(([n, v]) => [n, grads[(v as tf.Variable).name]!] as const);
    const read = await readAll([value, ...order.map(([, g]) => g)]);
    return { loss: read[0]![0]!, grads: Object.fromEntries(order.map(([n], i) => [n, read[i + 1]!])) };
  } finally {
    net.dispose();
  }
}

/**
 * The mean training loss of a first epoch over `samples` images in batches of `batch`
 * (fixed order), with Adam: the same sequence of steps as the trainer's first epoch, with
 * every read asynchronous so that it runs on webgpu.
 */
export async function firstEpochLoss(model: Model, samples: number, batch: number, seed: number): Promise<{ mean: number; perStep: number[] }> {
  const net = buildNetwork(model, { seed });
  const params: Param[] = Object.entries(net.namedWeights())
    .filter(([, t]) => net.trainable.includes(t as tf.Variable))
    .map(([name, t]) => ({ name, variable: t as tf.Variable }));
  const opt = makeOptimizer({ kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, params);
  const s = sampleOf(model);
  const codec = targetCodec('onehot', s.classes);
  const loss = makeLoss('mse', codec, model.decoder.kind);
  const data = tinyData(samples, seed + 1, s.features, s.classes);
  const rng = new Random(seed + 2);
  const perStep: number[] = [];
  try {
    for (let b = 0; b + batch <= samples; b += batch) {
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor(data.x.subarray(b * s.features, (b + batch) * s.features), [batch, ...s.shape]);
        const y = tf.tensor2d(encodeBatch(codec, data.labels.subarray(b, b + batch)), [batch, s.classes]);
        return tf.variableGrads(() => loss(net.forward(x, { training: true, rng }) as tf.Tensor2D, y), net.trainable);
      });
      opt.apply(params.map((p) => grads[p.variable.name]), 0.01);
      const [v] = await readAll([value]);
      tf.dispose(grads);
      perStep.push(v![0]!);
    }
  } finally {
    opt.dispose();
    net.dispose();
  }
  return { mean: perStep.reduce((a, b) => a + b, 0) / perStep.length, perStep };
}

/** The largest absolute difference between `a` and `ref`, and `ref`'s largest magnitude (to scale a tolerance by). */
export function maxDiff(a: Float32Array, ref: Float32Array): { diff: number; scale: number } {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < ref.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - ref[i]!));
  }
  return { diff, scale };
}
