import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

const LEAK = `neuron Leak(tau: 10ms, threshold: 1.0) {
  state v = 0
  dv/dt = (x - v) / tau
  spike when v > threshold { v = 0 }
  integrate exact
}
`;

describe('per_neuron parameters (values from the weights file)', () => {
  it('marks the parameter per neuron and keeps the default for the seeded initialisation', () => {
    const r = compileText(`${LEAK}neuron a = Leak(tau: per_neuron, threshold: per_neuron)\nmodel m(input: [3], steps: 4) {\n  dense(3)\n  a\n}\n`);
    expect(codes(r)).toEqual([]);
    const a = r.ir!.neurons.find((n) => n.name === 'a')!;
    expect(a.kind === 'equations' && [a.perNeuron, a.params]).toEqual([['tau', 'threshold'], { tau: 0.01, threshold: 1 }]);
    const layer = r.ir!.models[0]!.layers[1]!;
    expect(layer.kind === 'neuron' && layer.neuron.kind === 'equations' && layer.neuron.perNeuron).toEqual(['tau', 'threshold']);
  });

  it('scalar parameters are unchanged: no perNeuron field', () => {
    const r = compileText(`${LEAK}neuron a = Leak(tau: 5ms)\n`);
    const a = r.ir!.neurons.find((n) => n.name === 'a')!;
    expect(a.kind === 'equations' && 'perNeuron' in a).toBe(false);
  });

  it('refuses a parameter the refractory period reads, and per_neuron in a NEF ensemble (SNN3600)', () => {
    expect(codes(compileText('neuron a = LIFRefractory(tau_ref: per_neuron)\n'))).toEqual(['SNN3600 `tau_ref` cannot be `per_neuron` here: the refractory period reads it']);
    const net = `network n {\n  dt 0.5ms\n  input a = 0.5\n  ensemble pop = Izhikevich(n: 20, d: per_neuron)\n  connect a -> pop\n  probe pop.voltage\n  run 0.1s\n}\n`;
    expect(codes(compileText(net))).toEqual(['SNN3600 `d` cannot be `per_neuron` here: an ensemble takes one value per parameter']);
  });
});
