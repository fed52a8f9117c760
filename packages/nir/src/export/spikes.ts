import { layerInputs, MODEL_INPUT, type Model } from '@snnc/ir';

/**
 * Whether node `id` of the model outputs only 0 and 1 (spikes) at inference: a spiking neuron,
 * a spike-encoded input, or a layer that passes spikes on unchanged (max pooling, flatten,
 * dropout, delay, concat, IAND). Max pooling and IAND of spikes have exact NIR forms (a sum
 * and a Threshold), which other values do not. A node reached again around a loop counts as
 * not spiking, so a loop never makes itself qualify.
 */
export function isSpiking(model: Model, id: string, seen: Set<string> = new Set()): boolean {
  if (id === MODEL_INPUT) return model.encoder.kind !== 'direct';
  if (seen.has(id)) return false;
  seen.add(id);
  const index = model.layers.findIndex((l) => l.id === id);
  const l = model.layers[index];
  if (!l) return false;
  switch (l.kind) {
    case 'neuron':
      return l.neuron.kind !== 'equations' || l.neuron.spike !== null;
    case 'maxpool':
    case 'flatten':
    case 'dropout':
    case 'delay':
    case 'concat':
    case 'iand':
      return layerInputs(model, index).every((src) => isSpiking(model, src, seen));
    case 'conv2d':
    case 'conv1d':
    case 'dense':
    case 'batchnorm':
    case 'avgpool':
    case 'sumpool':
    case 'scale':
    case 'layernorm':
    case 'add':
      return false;
    default: {
      const never: never = l;
      throw new Error(`isSpiking: unknown layer ${JSON.stringify(never)}`);
    }
  }
}
