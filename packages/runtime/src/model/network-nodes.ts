import { MODEL_INPUT, Random, assertNever, type Layer, type Model } from '@snnc/ir';
import { resolvedInputs, type GraphNode } from './graph-plan.js';
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
import { buildNeuron, type NeuronImpl } from './layers/neuron.js';
import { buildScale } from './layers/scale.js';
import { buildSumPool } from './layers/sumpool.js';

/**
 * Builds every layer's runtime (creating its variables) in layer order. Each layer draws its
 * initialisation from its own fork of the `seed` stream, forked in layer order, so a layer's
 * weights do not move when a later layer changes.
 */
export function buildNodes(model: Model, seed: number, impl: NeuronImpl): GraphNode[] {
  const rng = new Random(seed);
  const inputsOf = resolvedInputs(model);
  const nodes: GraphNode[] = [];
  const learns = new Map<string, boolean>();
  model.layers.forEach((layer, index) => {
    const layerRng = rng.fork();
    const op = buildOp(layer, layerRng, impl, () => upstreamLearns(model, inputsOf, learns, index));
    learns.set(layer.id, (op.kind === 'layer' || op.kind === 'neuron') && op.runtime.trainable.length > 0);
    nodes.push({ layer, inputs: inputsOf[index]!, op });
  });
  return nodes;
}

/**
 * Whether anything upstream of layer `index` has trainable variables. conv2d skips dL/dx when
 * nothing upstream learns (the first conv sees the encoded input); an upstream node not built
 * yet (a recurrent edge) counts as learning, which is always correct.
 */
function upstreamLearns(model: Model, inputsOf: readonly (readonly string[])[], learns: ReadonlyMap<string, boolean>, index: number): boolean {
  const seen = new Set<string>();
  const stack = [...inputsOf[index]!];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === MODEL_INPUT || seen.has(id)) continue;
    seen.add(id);
    const l = learns.get(id);
    if (l === undefined || l) return true;
    const j = model.layers.findIndex((x) => x.id === id);
    stack.push(...inputsOf[j]!);
  }
  return false;
}

/** One layer's runtime; `upstream` is asked only by the layers that use it (conv2d). */
function buildOp(layer: Layer, rng: Random, impl: NeuronImpl, upstream: () => boolean): GraphNode['op'] {
  switch (layer.kind) {
    case 'conv2d':
      return { kind: 'layer', runtime: buildConv2d(layer, rng, upstream()) };
    case 'conv1d':
      return { kind: 'layer', runtime: buildConv1d(layer, rng) };
    case 'dense':
      return { kind: 'layer', runtime: buildDense(layer, rng) };
    case 'batchnorm':
      return { kind: 'layer', runtime: buildBatchNorm(layer) };
    case 'layernorm':
      return { kind: 'layer', runtime: buildLayerNorm(layer) };
    case 'maxpool':
      return { kind: 'layer', runtime: buildMaxPool(layer) };
    case 'avgpool':
      return { kind: 'layer', runtime: buildAvgPool(layer) };
    case 'sumpool':
      return { kind: 'layer', runtime: buildSumPool(layer) };
    case 'scale':
      return { kind: 'layer', runtime: buildScale(layer) };
    case 'flatten':
      return { kind: 'layer', runtime: buildFlatten(layer) };
    case 'dropout':
      return { kind: 'layer', runtime: buildDropout(layer) };
    case 'neuron':
      return { kind: 'neuron', runtime: buildNeuron(layer, impl) };
    case 'add':
      return { kind: 'merge', runtime: buildAdd(layer) };
    case 'concat':
      return { kind: 'merge', runtime: buildConcat(layer) };
    case 'iand':
      return { kind: 'merge', runtime: buildIand(layer) };
    case 'delay':
      return { kind: 'delay', layer };
    default:
      return assertNever(layer);
  }
}
