import { assertNever, type DataSpec, type Layer, type Model } from '@snnc/ir';
import { axisFanout, convConnections, convFanoutMap } from './fanout.js';

/** Whether a layer's input is spikes (0/1 events) or real values, which decides AC vs MAC. */
export type ValueKind = 'spikes' | 'analog';

/** What counting does with one layer, decided from the IR alone. */
export type LayerRole =
  /** Spiking neurons: spikes, firing rate, state updates (one per neuron per step). */
  | { role: 'neuron'; neurons: number; neuron: string }
  /** Weights: SynOps when fed spikes, MACs when fed real values. */
  | { role: 'synaptic'; input: ValueKind; connections: number; fanout: SynapticFanout }
  /** Batch norm: one MAC per element (scale and shift; foldable into the conv before it). */
  | { role: 'affine'; elementsPerRow: number }
  /** Pooling, flatten, dropout: no arithmetic counted (comparisons and copies). */
  | { role: 'free' };

/** Fan-out of one input spike: a constant (dense) or a per-pixel map times the filters (conv). */
/**
 * Fan-out of one input spike: a constant (dense), or per input position (`map` over the
 * spatial axes `spatial`, [H, W] or [L]) times the filters (conv), whatever the channel.
 */
export type SynapticFanout = { kind: 'dense'; units: number } | { kind: 'conv'; map: Float32Array; spatial: number[]; filters: number };

export interface LayerPlan {
  layer: Layer;
  role: LayerRole;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Every layer's counting role in execution order. The value kind flows from the encoder
 * (direct: analog; poisson, latency: spikes) along the graph's edges: neurons emit spikes;
 * max pooling, flatten, dropout (its 1/(1-p) scaling keeps zeros zero), scale, delay, concat
 * and iand of spikes stay spikes; everything else makes real values (an average or a sum of
 * spikes is not a spike).
 */
export function planActivity(model: Model, data?: DataSpec): LayerPlan[] {
  const input: ValueKind = model.encoder.kind !== 'direct' || (data !== undefined && dataIsEvents(data)) ? 'spikes' : 'analog';
  const kinds = new Map<string, ValueKind>([['input', input]]);
  const inputsOf = (layer: Layer, i: number): string[] => layer.inputs ?? [i === 0 ? 'input' : model.layers[i - 1]!.id];
  // A delay may read a later node (a cycle): a second pass settles it, since only neurons
  // turn real values into spikes and nothing turns spikes back without an edge we already saw.
  for (let pass = 0; pass < 2; pass++) {
    model.layers.forEach((layer, i) => kinds.set(layer.id, outputKind(layer, inputsOf(layer, i).map((id) => kinds.get(id) ?? 'spikes'))));
  }
  return model.layers.map((layer, i) => ({ layer, role: roleOf(layer, kinds.get(inputsOf(layer, i)[0]!) ?? 'spikes') }));
}

/**
 * Event-camera and spiking-audio data (N-MNIST, SHD) arrive as spike counts per time bin, so
 * even `encode direct` feeds the first layer events: each non-zero bin counts as one spike.
 */
export function dataIsEvents(data: DataSpec): boolean {
  switch (data.kind) {
    case 'shd':
    case 'nmnist':
      return true;
    case 'mnist':
    case 'idx':
    case 'sequential_mnist':
      return false;
    default:
      return assertNever(data);
  }
}

function roleOf(layer: Layer, input: ValueKind): LayerRole {
  switch (layer.kind) {
    case 'neuron':
      return { role: 'neuron', neurons: size(layer.outShape), neuron: layer.neuron.name };
    case 'dense':
      return { role: 'synaptic', input, connections: size(layer.inShape) * layer.units, fanout: { kind: 'dense', units: layer.units } };
    case 'conv2d': {
      const map = convFanoutMap(layer);
      return { role: 'synaptic', input, connections: convConnections(layer), fanout: { kind: 'conv', map, spatial: layer.inShape.slice(1), filters: layer.filters } };
    }
    case 'conv1d': {
      const [cin, length] = layer.inShape as [number, number];
      const fan = axisFanout(length, layer.kernel, layer.stride, layer.padding, layer.outShape[1]!);
      const connections = fan.reduce((a, b) => a + b, 0) * cin * layer.filters;
      return { role: 'synaptic', input, connections, fanout: { kind: 'conv', map: Float32Array.from(fan), spatial: [length], filters: layer.filters } };
    }
    case 'batchnorm':
    case 'layernorm':
      return { role: 'affine', elementsPerRow: size(layer.inShape) };
    case 'scale':
      // A scaled spike is still an event (fold the factor into the next weights); real values pay a multiply.
      return input === 'analog' ? { role: 'affine', elementsPerRow: size(layer.inShape) } : { role: 'free' };
    case 'maxpool':
    case 'avgpool':
    case 'sumpool':
    case 'flatten':
    case 'dropout':
    case 'delay':
    case 'add':
    case 'concat':
    case 'iand':
      return { role: 'free' };
    default:
      return assertNever(layer);
  }
}

function outputKind(layer: Layer, inputs: ValueKind[]): ValueKind {
  const allSpikes = inputs.every((k) => k === 'spikes') ? 'spikes' : 'analog';
  switch (layer.kind) {
    case 'neuron':
      return 'spikes';
    case 'maxpool':
    case 'flatten':
    case 'dropout':
    case 'scale':
    case 'delay':
    case 'concat':
    case 'iand':
      return allSpikes;
    case 'dense':
    case 'conv2d':
    case 'conv1d':
    case 'batchnorm':
    case 'layernorm':
    case 'avgpool':
    case 'sumpool':
    case 'add':
      return 'analog';
    default:
      return assertNever(layer);
  }
}

/** A neuron layer's short label for compact lines: its source name in a graph model, else `n<i>`. */
export function shortLabel(layer: { id: string; name?: string }): string {
  return layer.name ?? layer.id.replace(/^neuron_/, 'n');
}
