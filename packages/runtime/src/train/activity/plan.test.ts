import { describe, expect, it } from 'vitest';
import { makeModel, neuronDef } from '../../model/__tests__/models.js';
import { planActivity, shortLabel } from './plan.js';

const roles = (p: ReturnType<typeof planActivity>) => p.map((x) => (x.role.role === 'synaptic' ? `${x.layer.id}:${x.role.input}` : `${x.layer.id}:${x.role.role}`));

describe('planActivity', () => {
  const model = makeModel([700], 4, [{ kind: 'dense', units: 8 }, { kind: 'neuron', neuron: neuronDef('lif') }, { kind: 'dropout', rate: 0.2 }, { kind: 'dense', units: 20 }, { kind: 'neuron', neuron: neuronDef('lif') }]);

  it('treats a direct-encoded input as real values, and spike counts of event data as spikes', () => {
    expect(roles(planActivity(model))).toEqual(['dense_0:analog', 'neuron_0:neuron', 'dropout_0:free', 'dense_1:spikes', 'neuron_1:neuron']);
    expect(roles(planActivity(model, { kind: 'mnist' }))[0]).toBe('dense_0:analog');
    expect(roles(planActivity(model, { kind: 'shd', train: 'a', test: 'b', steps: 4, duration: 1, units: 700, classes: 20 }))[0]).toBe('dense_0:spikes');
  });

  it('counts batch norm as MACs and lets max pooling keep spikes but not average pooling', () => {
    const conv = makeModel([1, 8, 8], 2, [
      { kind: 'conv2d', filters: 2, kernel: 3, padding: 1 },
      { kind: 'batchnorm' },
      { kind: 'neuron', neuron: neuronDef('if') },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv2d', filters: 2, kernel: 3, padding: 1 },
      { kind: 'neuron', neuron: neuronDef('if') },
      { kind: 'avgpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 3 },
    ]);
    expect(roles(planActivity(conv))).toEqual([
      'conv2d_0:analog',
      'batchnorm_0:affine',
      'neuron_0:neuron',
      'maxpool_0:free',
      'conv2d_1:spikes',
      'neuron_1:neuron',
      'avgpool_0:free',
      'flatten_0:free',
      'dense_0:analog',
    ]);
  });

  it('labels neuron layers by their source name in a graph model, else n<i>', () => {
    expect(shortLabel({ id: 'neuron_3', name: 'h' })).toBe('h');
    expect(shortLabel({ id: 'neuron_3' })).toBe('n3');
  });
});
