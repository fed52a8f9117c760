import type * as tf from '@tensorflow/tfjs-core';
import type { Layer, Model, Random } from '@snnc/ir';
import { registerArgmaxMaxPoolKernels } from '../kernels/argmax_maxpool.js';
import { registerWasmSharedIdentity } from '../kernels/wasm_identity.js';
import { registerFusedNeuronKernels } from '../kernels/fused_neuron.js';
import { planGraph } from './graph-plan.js';
import type { NeuronImpl } from './layers/neuron.js';
import { makeForward } from './network-forward.js';
import { buildNodes } from './network-nodes.js';
import { traceForward } from './network-trace.js';
import { collectWeights, loadNamedWeights } from './network-weights.js';
import { applyWeightInit } from './weight-init.js';

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
  forward(x: tf.Tensor, opts: ForwardOptions): tf.Tensor;
  /**
   * The spikes of every neuron layer for ONE sample x: [1, H, W, C] (or [1, N]) in eval mode,
   * read back to the host; nothing stays allocated on the backend. `rng` drives stochastic
   * encoders only (pass a fork, so the caller's training stream is not consumed). Variables
   * and running statistics are left untouched, so a trace never changes training results.
   */
  spikeTrace(x: tf.Tensor, rng: Random): Promise<LayerSpikes[]>;
  /**
   * Like spikeTrace, with the neurons' membrane potentials (H before firing) when `state`;
   * `timeMajor`: x is one sequence [T, ...] (one row per step) instead of one static sample.
   */
  trace(x: tf.Tensor, rng: Random, opts?: { timeMajor?: boolean; state?: boolean }): Promise<LayerTrace[]>;
  dispose(): void;
}

/** One neuron layer's spikes for one sample, in layer order. */
export interface LayerSpikes {
  /** The neuron layer's id (`neuron_0`, ...). */
  layerId: string;
  /** The source's name for the layer (`h = ... -> lif`), when it has one. */
  name?: string;
  /** The per-step shape of the layer's output, NHWC without the batch axis ([H, W, C] or [N]). */
  shape: number[];
  /** Time steps T. */
  steps: number;
  /** 0/1 per step and unit, time-major: row t holds the prod(shape) units of step t (row-major NHWC). */
  spikes: Uint8Array;
}

/**
 * Sees every executed layer inside the forward pass's tidy scope (activity and SynOps counting,
 * firing-rate regularisation). Tensors are freed when forward returns unless the probe keeps
 * what it derives from them (tf.keep); in training they carry gradients.
 */
export interface LayerProbe {
  /**
   * `folded`: the input's rows are T*B (time-major); false in a direct encoder's static prefix,
   * where they are the B samples once. A neuron layer's output always has T*B rows.
   */
  layer(layer: Layer, input: tf.Tensor, output: tf.Tensor, folded: boolean): void;
}

export interface ForwardOptions {
  training: boolean;
  rng: Random;
  probe?: LayerProbe;
  /**
   * x is [T*B, ...] time-major (sequence data: row t*B + b is step t of sample b) instead of
   * [B, ...] static samples. `direct` passes it on; `poisson` draws spikes per step.
   */
  timeMajor?: boolean;
}

/** One neuron layer's trace for one sample (see SnnNetwork.trace). */
export interface LayerTrace extends LayerSpikes {
  /** H before firing per step and unit, laid out as `spikes`; only when asked for. */
  membrane?: Float32Array;
}

export interface BuildOptions {
  /** Seeds the weight initialisation (each layer draws from its own fork, in layer order). */
  seed: number;
  /** Neuron time-loop implementation; `auto` picks the fastest measured per backend. */
  neuronImpl?: NeuronImpl;
  /** Run every node step by step, as inside a recurrent loop (slower; a reference for tests). */
  stepwise?: boolean;
}

/**
 * Builds `model` on the active backend: PyTorch-like initialisation seeded from `seed`,
 * NHWC activations, T folded into the batch (time-major) for stateless layers. A graph
 * model runs its feed-forward nodes once over all T steps and its recurrent loops (the
 * groups of `recurrentGroups`) step by step.
 */
export function buildNetwork(model: Model, opts: BuildOptions): SnnNetwork {
  registerFusedNeuronKernels();
  registerArgmaxMaxPoolKernels();
  registerWasmSharedIdentity();
  const nodes = buildNodes(model, opts.seed, opts.neuronImpl ?? 'auto');
  const plan = planGraph(model, nodes, { stepwise: opts.stepwise ?? false });
  const { trainable, variables } = collectWeights(nodes);
  applyWeightInit(model, Object.fromEntries(variables));
  let disposed = false;
  const run = makeForward(model, plan, () => disposed);
  const trace: SnnNetwork['trace'] = (x, traceRng, topts) => traceForward(model, run, x, traceRng, topts);
  return {
    model,
    trainable,
    namedWeights: () => Object.fromEntries(variables),
    loadWeights: (weights) => loadNamedWeights(model, variables, weights),
    forward: (x, fopts) => run(x, fopts),
    spikeTrace: async (x, traceRng) =>
      (await trace(x, traceRng)).map((l) => ({ layerId: l.layerId, ...(l.name !== undefined ? { name: l.name } : {}), shape: l.shape, steps: l.steps, spikes: l.spikes })),
    trace,
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const v of variables.values()) v.dispose();
    },
  };
}
