import * as tf from '@tensorflow/tfjs-core';
import { Random, SnncError, assertNever, type Layer, type Model } from '@snnc/ir';
import { registerFusedNeuronKernels } from '../kernels/fused_neuron.js';
import { assertGradientsRegistered } from '../kernels/gradients.js';
import type { ForwardContext, LayerRuntime } from './context.js';
import { decode } from './decoder.js';
import { encode } from './encoder.js';
import { buildAvgPool } from './layers/avgpool.js';
import { buildBatchNorm } from './layers/batchnorm.js';
import { buildConv2d } from './layers/conv2d.js';
import { buildDense } from './layers/dense.js';
import { buildDropout } from './layers/dropout.js';
import { buildFlatten } from './layers/flatten.js';
import { buildMaxPool } from './layers/maxpool.js';
import { buildNeuron, repeatSteps, type NeuronImpl, type NeuronRuntime } from './layers/neuron.js';
import { toRuntimeShape } from './layout.js';

/** The model of one experiment, built on the active tfjs backend (the runtime seam). */
export interface SnnNetwork {
  readonly model: Model;
  /** Trainable variables, stable order (layer order; kernel before bias, gamma before beta). */
  readonly trainable: tf.Variable[];
  /** Every persistent tensor by a stable name (`conv2d_0/kernel`, `batchnorm_1/moving_mean`, ...). */
  namedWeights(): Record<string, tf.Tensor>;
  /** Assigns by name; throws SnncError SNN7007 on a missing name or a shape mismatch. */
  loadWeights(weights: Record<string, tf.Tensor>): void;
  /**
   * x: [B, H, W, C] (or [B, N]) float32, one static sample per row (encoders make the T steps).
   * Returns the decoded output [B, K]. training: batch statistics + dropout + running-stat
   * updates. Caller owns the result (call inside tf.tidy or dispose).
   */
  forward(x: tf.Tensor, opts: { training: boolean; rng: Random }): tf.Tensor;
  /**
   * The spikes of every neuron layer for ONE sample x: [1, H, W, C] (or [1, N]) in eval mode,
   * read back to the host; nothing stays allocated on the backend. `rng` drives stochastic
   * encoders only (pass a fork, so the caller's training stream is not consumed). Variables
   * and running statistics are left untouched, so a trace never changes training results.
   */
  spikeTrace(x: tf.Tensor, rng: Random): Promise<LayerSpikes[]>;
  dispose(): void;
}

/** One neuron layer's spikes for one sample, in layer order. */
export interface LayerSpikes {
  /** The neuron layer's id (`neuron_0`, ...). */
  layerId: string;
  /** The per-step shape of the layer's output, NHWC without the batch axis ([H, W, C] or [N]). */
  shape: number[];
  /** Time steps T. */
  steps: number;
  /** 0/1 per step and unit, time-major: row t holds the prod(shape) units of step t (row-major NHWC). */
  spikes: Uint8Array;
}

export interface BuildOptions {
  /** Seeds the weight initialisation (each layer draws from its own fork, in layer order). */
  seed: number;
  /** Neuron time-loop implementation; `auto` picks the fastest measured per backend. */
  neuronImpl?: NeuronImpl;
}

type Built = { layer: Layer; runtime: LayerRuntime; neuron: NeuronRuntime | null };

/**
 * Builds `model` on the active backend: PyTorch-like initialisation seeded from `seed`,
 * NHWC activations, T folded into the batch (time-major) for stateless layers.
 */
export function buildNetwork(model: Model, opts: BuildOptions): SnnNetwork {
  registerFusedNeuronKernels();
  const impl = opts.neuronImpl ?? 'auto';
  const rng = new Random(opts.seed);
  const built: Built[] = [];
  let upstreamTrainable = false;
  for (const layer of model.layers) {
    const layerRng = rng.fork();
    let runtime: LayerRuntime;
    let neuron: NeuronRuntime | null = null;
    switch (layer.kind) {
      case 'conv2d':
        runtime = buildConv2d(layer, layerRng, upstreamTrainable);
        break;
      case 'dense':
        runtime = buildDense(layer, layerRng);
        break;
      case 'batchnorm':
        runtime = buildBatchNorm(layer);
        break;
      case 'maxpool':
        runtime = buildMaxPool(layer);
        break;
      case 'avgpool':
        runtime = buildAvgPool(layer);
        break;
      case 'flatten':
        runtime = buildFlatten(layer);
        break;
      case 'dropout':
        runtime = buildDropout(layer);
        break;
      case 'neuron':
        neuron = buildNeuron(layer, impl);
        runtime = neuron;
        break;
      default:
        return assertNever(layer);
    }
    if (runtime.trainable.length > 0) upstreamTrainable = true;
    built.push({ layer, runtime, neuron });
  }

  const trainable = built.flatMap((b) => b.runtime.trainable) as tf.Variable[];
  const variables = new Map<string, tf.Variable>();
  for (const b of built) {
    for (const [local, v] of Object.entries(b.runtime.weights)) variables.set(`${b.runtime.id}/${local}`, v);
  }
  const inputShape = toRuntimeShape(model.input);
  const T = model.steps;
  const lastIsNeuron = built.length > 0 && built[built.length - 1]!.neuron !== null;
  let disposed = false;

  /** The forward pass; `onSpikes` sees each neuron layer's [T*B, ...] spikes inside the tidy scope. */
  const run = (x: tf.Tensor, fopts: { training: boolean; rng: Random }, onSpikes?: (layerId: string, spikes: tf.Tensor) => void): tf.Tensor => {
    if (disposed) throw new Error(`network ${model.name}: used after dispose()`);
    const sample = x.shape.slice(1);
    if (x.rank !== inputShape.length + 1 || sample.some((d, i) => d !== inputShape[i])) {
      throw new Error(`network ${model.name}: expected input [B, ${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    if (fopts.training) assertGradientsRegistered();
    const B = x.shape[0]!;
    return tf.tidy(() => {
      const enc = encode(model.encoder, x.dtype === 'float32' ? x : tf.cast(x, 'float32'), T, fopts.rng);
      let h = enc.x;
      let ctx: ForwardContext = { training: fopts.training, rng: fopts.rng, steps: T, batch: B, folded: enc.folded };
      let membrane: tf.Tensor | undefined;
      built.forEach((b, i) => {
        if (b.neuron !== null) {
          // Direct encoding: everything so far ran once on [B, ...]; the neuron layer reads
          // that static frame at every step and returns the [T*B, ...] sequence.
          const wantMembrane = model.decoder.kind === 'membrane' && i === built.length - 1;
          const r = b.neuron.run(h, ctx, wantMembrane);
          h = r.spikes;
          membrane = r.membrane;
          onSpikes?.(b.runtime.id, h);
          ctx = { ...ctx, folded: true };
        } else {
          h = b.runtime.apply(h, ctx);
        }
      });
      if (!ctx.folded) h = repeatSteps(h, T); // a model without neurons (the compiler rejects it, SNN4005)
      return decode(model.decoder, h, T, lastIsNeuron ? membrane : undefined);
    });
  };

  const forward = (x: tf.Tensor, fopts: { training: boolean; rng: Random }): tf.Tensor => run(x, fopts);

  const spikeTrace = async (x: tf.Tensor, traceRng: Random): Promise<LayerSpikes[]> => {
    if (x.shape[0] !== 1) throw new Error(`network ${model.name}: spikeTrace expects one sample [1, ...], got [${x.shape.join(', ')}]`);
    const ids: string[] = [];
    // forward's tidy frees every intermediate, so the recorded spikes are kept past it and
    // disposed here once read back.
    const recorded: tf.Tensor[] = [];
    try {
      run(x, { training: false, rng: traceRng }, (id, spikes) => {
        ids.push(id);
        recorded.push(tf.keep(spikes));
      }).dispose();
      const layers: LayerSpikes[] = [];
      for (let i = 0; i < ids.length; i++) {
        const t = recorded[i]!;
        // B = 1, so the leading T*B axis is T.
        if (t.shape[0] !== T) throw new Error(`network ${model.name}: expected ${T} steps from ${ids[i]!}, got [${t.shape.join(', ')}]`);
        const values = await t.data();
        const spikes = new Uint8Array(values.length);
        for (let k = 0; k < values.length; k++) spikes[k] = values[k]! > 0.5 ? 1 : 0;
        layers.push({ layerId: ids[i]!, shape: t.shape.slice(1), steps: T, spikes });
      }
      return layers;
    } finally {
      tf.dispose(recorded);
    }
  };

  return {
    model,
    trainable,
    namedWeights: () => Object.fromEntries(variables),
    loadWeights(weights: Record<string, tf.Tensor>): void {
      const where = `weights for model \`${model.name}\``;
      for (const [name, v] of variables) {
        const w = weights[name];
        if (w === undefined) throw new SnncError('SNN7007', { path: where, reason: `no tensor named \`${name}\`` });
        if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
          throw new SnncError('SNN7007', {
            path: where,
            reason: `\`${name}\` has shape [${w.shape.join(', ')}] but the model needs [${v.shape.join(', ')}]`,
          });
        }
        if (w.dtype !== 'float32') {
          throw new SnncError('SNN7007', { path: where, reason: `\`${name}\` is ${w.dtype}, expected float32` });
        }
      }
      // All names checked first, so a bad checkpoint leaves the network unchanged.
      for (const [name, v] of variables) v.assign(weights[name]!);
    },
    forward,
    spikeTrace,
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const v of variables.values()) v.dispose();
    },
  };
}
