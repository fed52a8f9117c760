import * as tf from '@tensorflow/tfjs-core';
import { MODEL_INPUT, Random, SnncError, assertNever, modelOutputLayer, type Layer, type Model } from '@snnc/ir';
import { registerFusedNeuronKernels } from '../kernels/fused_neuron.js';
import { assertGradientsRegistered } from '../kernels/gradients.js';
import { decode } from './decoder.js';
import { encode, encodeSequence } from './encoder.js';
import { planGraph, resolvedInputs, type GraphNode } from './graph-plan.js';
import { runPlan, type RunHooks } from './graph-run.js';
import { buildAdd } from './layers/add.js';
import { buildAvgPool } from './layers/avgpool.js';
import { buildBatchNorm } from './layers/batchnorm.js';
import { buildConcat } from './layers/concat.js';
import { buildConv1d } from './layers/conv1d.js';
import { buildConv2d } from './layers/conv2d.js';
import { buildDense } from './layers/dense.js';
import { buildDropout } from './layers/dropout.js';
import { buildFlatten } from './layers/flatten.js';
import { buildIand } from './layers/iand.js';
import { buildLayerNorm } from './layers/layernorm.js';
import { buildMaxPool } from './layers/maxpool.js';
import { buildNeuron, repeatSteps, type NeuronImpl } from './layers/neuron.js';
import { buildScale } from './layers/scale.js';
import { buildSumPool } from './layers/sumpool.js';
import { toRuntimeShape } from './layout.js';
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
  const impl = opts.neuronImpl ?? 'auto';
  const rng = new Random(opts.seed);
  const inputsOf = resolvedInputs(model);
  const nodes: GraphNode[] = [];
  const built = new Map<string, { trainable: boolean }>();
  // conv2d skips dL/dx when nothing upstream learns (the first conv sees the encoded input);
  // an upstream node not built yet (a recurrent edge) counts as learning, which is always correct.
  const upstreamTrainable = (index: number): boolean => {
    const seen = new Set<string>();
    const stack = [...inputsOf[index]!];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === MODEL_INPUT || seen.has(id)) continue;
      seen.add(id);
      const b = built.get(id);
      if (b === undefined || b.trainable) return true;
      const j = model.layers.findIndex((l) => l.id === id);
      stack.push(...inputsOf[j]!);
    }
    return false;
  };
  model.layers.forEach((layer, index) => {
    const layerRng = rng.fork();
    let op: GraphNode['op'];
    switch (layer.kind) {
      case 'conv2d':
        op = { kind: 'layer', runtime: buildConv2d(layer, layerRng, upstreamTrainable(index)) };
        break;
      case 'conv1d':
        op = { kind: 'layer', runtime: buildConv1d(layer, layerRng) };
        break;
      case 'dense':
        op = { kind: 'layer', runtime: buildDense(layer, layerRng) };
        break;
      case 'batchnorm':
        op = { kind: 'layer', runtime: buildBatchNorm(layer) };
        break;
      case 'layernorm':
        op = { kind: 'layer', runtime: buildLayerNorm(layer) };
        break;
      case 'maxpool':
        op = { kind: 'layer', runtime: buildMaxPool(layer) };
        break;
      case 'avgpool':
        op = { kind: 'layer', runtime: buildAvgPool(layer) };
        break;
      case 'sumpool':
        op = { kind: 'layer', runtime: buildSumPool(layer) };
        break;
      case 'scale':
        op = { kind: 'layer', runtime: buildScale(layer) };
        break;
      case 'flatten':
        op = { kind: 'layer', runtime: buildFlatten(layer) };
        break;
      case 'dropout':
        op = { kind: 'layer', runtime: buildDropout(layer) };
        break;
      case 'neuron':
        op = { kind: 'neuron', runtime: buildNeuron(layer, impl) };
        break;
      case 'add':
        op = { kind: 'merge', runtime: buildAdd(layer) };
        break;
      case 'concat':
        op = { kind: 'merge', runtime: buildConcat(layer) };
        break;
      case 'iand':
        op = { kind: 'merge', runtime: buildIand(layer) };
        break;
      case 'delay':
        op = { kind: 'delay', layer };
        break;
      default:
        return assertNever(layer);
    }
    built.set(layer.id, { trainable: (op.kind === 'layer' || op.kind === 'neuron') && op.runtime.trainable.length > 0 });
    nodes.push({ layer, inputs: inputsOf[index]!, op });
  });
  const plan = planGraph(model, nodes, { stepwise: opts.stepwise ?? false });
  const runtimes = nodes.flatMap((n) => (n.op.kind === 'layer' || n.op.kind === 'neuron' ? [n.op.runtime] : []));

  const trainable = runtimes.flatMap((r) => r.trainable) as tf.Variable[];
  const variables = new Map<string, tf.Variable>();
  for (const r of runtimes) {
    for (const [local, v] of Object.entries(r.weights)) variables.set(`${r.id}/${local}`, v);
  }
  applyWeightInit(model, Object.fromEntries(variables));
  const inputShape = toRuntimeShape(model.input);
  const T = model.steps;
  const output = modelOutputLayer(model);
  let disposed = false;

  /** The forward pass inside one tidy scope; `hooks` see nodes and neuron layers as they run. */
  const run = (x: tf.Tensor, fopts: ForwardOptions, extra?: Pick<RunHooks, 'neuron'> & { membranes?: 'all' }): tf.Tensor => {
    if (disposed) throw new Error(`network ${model.name}: used after dispose()`);
    const sample = x.shape.slice(1);
    if (x.rank !== inputShape.length + 1 || sample.some((d, i) => d !== inputShape[i])) {
      throw new Error(`network ${model.name}: expected input [${fopts.timeMajor ? 'T*B' : 'B'}, ${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    if (fopts.timeMajor && x.shape[0]! % T !== 0) {
      throw new Error(`network ${model.name}: a time-major input needs T*B rows with T=${T}, got [${x.shape.join(', ')}]`);
    }
    if (fopts.training) assertGradientsRegistered();
    const B = fopts.timeMajor ? x.shape[0]! / T : x.shape[0]!;
    return tf.tidy(() => {
      const x32 = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const enc = fopts.timeMajor ? encodeSequence(model.encoder, x32, fopts.rng) : encode(model.encoder, x32, T, fopts.rng);
      const wantOutMembrane = model.decoder.kind === 'membrane' && output.kind === 'neuron';
      const membranes = new Set<string>(extra?.membranes === 'all' ? model.layers.filter((l) => l.kind === 'neuron').map((l) => l.id) : []);
      if (wantOutMembrane) membranes.add(output.id);
      const probe = fopts.probe;
      const hooks: RunHooks = { membranes };
      if (probe) hooks.layer = (layer, input, out, folded) => probe.layer(layer, input, out, folded);
      if (extra?.neuron) hooks.neuron = extra.neuron;
      const r = runPlan(plan, { t: enc.x, folded: enc.folded }, { training: fopts.training, rng: fopts.rng, steps: T, batch: B }, hooks);
      const out = r.values.get(plan.outputId)!;
      // A model without neurons (the compiler rejects it, SNN4005) can end static.
      const h = out.folded ? out.t : repeatSteps(out.t, T);
      return decode(model.decoder, h, T, wantOutMembrane ? r.membranes.get(output.id) : undefined);
    });
  };

  const forward = (x: tf.Tensor, fopts: ForwardOptions): tf.Tensor => run(x, fopts);

  const trace = async (x: tf.Tensor, traceRng: Random, topts: { timeMajor?: boolean; state?: boolean } = {}): Promise<LayerTrace[]> => {
    const rows = topts.timeMajor ? T : 1;
    if (x.shape[0] !== rows) throw new Error(`network ${model.name}: a trace takes one sample [${rows}, ...], got [${x.shape.join(', ')}]`);
    // forward's tidy frees every intermediate, so the recorded tensors are kept past it and
    // disposed here once read back.
    const recorded: { layer: Layer; spikes: tf.Tensor; membrane: tf.Tensor | undefined }[] = [];
    try {
      const fopts: ForwardOptions = { training: false, rng: traceRng };
      if (topts.timeMajor) fopts.timeMajor = true;
      const extra: Pick<RunHooks, 'neuron'> & { membranes?: 'all' } = {
        neuron: (layer, spikes, membrane) => recorded.push({ layer, spikes: tf.keep(spikes), membrane: membrane && topts.state ? tf.keep(membrane) : undefined }),
      };
      if (topts.state) extra.membranes = 'all';
      run(x, fopts, extra).dispose();
      const layers: LayerTrace[] = [];
      for (const r of recorded) {
        // B = 1, so the leading T*B axis is T.
        if (r.spikes.shape[0] !== T) throw new Error(`network ${model.name}: expected ${T} steps from ${r.layer.id}, got [${r.spikes.shape.join(', ')}]`);
        const values = await r.spikes.data();
        const spikes = new Uint8Array(values.length);
        for (let k = 0; k < values.length; k++) spikes[k] = values[k]! > 0.5 ? 1 : 0;
        const entry: LayerTrace = { layerId: r.layer.id, shape: r.spikes.shape.slice(1), steps: T, spikes };
        if (r.layer.name !== undefined) entry.name = r.layer.name;
        if (r.membrane) entry.membrane = Float32Array.from(await r.membrane.data());
        layers.push(entry);
      }
      // Execution order can differ from layer order in a graph; traces list layers as the IR does.
      const order = new Map(model.layers.map((l, i) => [l.id, i]));
      return layers.sort((a, b) => order.get(a.layerId)! - order.get(b.layerId)!);
    } finally {
      for (const r of recorded) tf.dispose([r.spikes, ...(r.membrane ? [r.membrane] : [])]);
    }
  };

  const spikeTrace = async (x: tf.Tensor, traceRng: Random): Promise<LayerSpikes[]> =>
    (await trace(x, traceRng)).map((l) => ({ layerId: l.layerId, ...(l.name !== undefined ? { name: l.name } : {}), shape: l.shape, steps: l.steps, spikes: l.spikes }));

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
    trace,
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const v of variables.values()) v.dispose();
    },
  };
}
