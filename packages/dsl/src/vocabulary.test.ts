import { describe, expect, it } from 'vitest';
import { codes, compileText } from './test-util.js';
import { BUILTIN_FUNCTIONS } from '@snnc/ir';
import { VOCABULARY } from './vocabulary.js';

/** Every word in the vocabulary is accepted by the compiler where it belongs. */
describe('VOCABULARY', () => {
  const MODEL = 'model m(input: [1, 8, 8], steps: 2) { flatten -> dense(outputs) -> LIF }\n';

  it('neuron kinds and surrogates', () => {
    for (const k of VOCABULARY.neuronKinds) for (const s of VOCABULARY.surrogates) expect(codes(compileText(`neuron a = ${k}(surrogate: ${s})`)), `${k} ${s}`).toEqual([]);
  });

  it('layers, encoders and decoders', () => {
    const layer: Record<string, string> = { conv2d: 'conv2d(2, kernel: 3)', dense: 'flatten -> dense(4)', maxpool: 'maxpool(2)', avgpool: 'avgpool(2)', batchnorm: 'batchnorm', flatten: 'flatten', dropout: 'dropout(0.5)', sumpool: 'sumpool(2)', scale: 'scale(2)', layernorm: 'layernorm', delay: 'delay(2)', conv1d: 'flatten -> dense(8) -> delay -> LIF' };
    expect(Object.keys(layer).sort()).toEqual([...VOCABULARY.layers].sort());
    for (const l of VOCABULARY.layers) expect(codes(compileText(`model m(input: [1, 8, 8], steps: 2) { ${layer[l]} -> LIF }`)), l).toEqual([]);
    for (const e of VOCABULARY.encoders) for (const d of VOCABULARY.decoders) expect(codes(compileText(`model m(input: [4], steps: 2) { encode ${e}  dense(2) -> LIF  decode ${d} }`)), `${e} ${d}`).toEqual([]);
  });

  it('experiment choices', () => {
    const fields: [string, readonly string[]][] = [
      ['target', VOCABULARY.targets],
      ['loss', VOCABULARY.losses],
      ['optimizer', VOCABULARY.optimizers],
      ['schedule', VOCABULARY.schedules],
    ];
    for (const [field, words] of fields) for (const w of words) expect(codes(compileText(`${MODEL}experiment e { model: m  data: mnist  ${field}: ${w} }`.replace('[1, 8, 8]', '[784]'))), `${field} ${w}`).toEqual([]);
  });

  it('ensemble kinds, signals, attributes, functions and units', () => {
    for (const k of VOCABULARY.ensembleKinds) expect(codes(compileText(`network n { ensemble a = ${k}(n: 10)  probe a.spikes  run 1s }`)), k).toEqual([]);
    expect(codes(compileText('network n { input a = piecewise({0: 1})  input b = white_noise(std: 1)  ensemble c = LIF(n: 5)  connect a -> c  probe c.voltage  probe c.neurons  run 1s }'))).toEqual([]);
    // every function with as many arguments as it needs: `t`, then 1s
    for (const f of VOCABULARY.functions) {
      const arity: number = BUILTIN_FUNCTIONS[f as keyof typeof BUILTIN_FUNCTIONS];
      const args = ['t', ...Array<string>(Math.max(Math.abs(arity), 2) - 1).fill('1')].slice(0, arity > 0 ? arity : 2);
      expect(codes(compileText(`network n { input a = ${f}(${args.join(', ')})  run 1s }`)), f).toEqual([]);
    }
    // The same 20 ms time constant and 100-200 Hz rates in every unit.
    const time: Record<string, string> = { s: '0.02s', ms: '20ms', us: '20000us' };
    const rate: Record<string, string> = { Hz: '[100Hz, 200Hz]', kHz: '[0.1kHz, 0.2kHz]' };
    expect([...Object.keys(time), ...Object.keys(rate)].sort()).toEqual([...VOCABULARY.units].sort());
    for (const [u, v] of Object.entries(time)) expect(compileText(`network n { ensemble a = LIF(n: 5, tau_rc: ${v})  run 1s }`).ir!.networks[0]!.ensembles[0]!.neuron, u).toMatchObject({ tauRc: 0.02 });
    for (const [u, v] of Object.entries(rate)) expect(compileText(`network n { ensemble a = LIF(n: 5, max_rates: ${v})  run 1s }`).ir!.networks[0]!.ensembles[0]!.maxRates, u).toEqual([100, 200]);
  });
});
