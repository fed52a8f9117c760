import { describe, expect, it } from 'vitest';
import { IR_VERSION, type Ensemble, type Experiment, type Layer, type Model, type Network, type NeuronDef, type Program } from './ir.js';
import { checkDataFit, IR_RANGES, rangeText, targetWidth, validateExperiment, validateIR, validateModel, validateNetwork } from './validate.js';

const codes = (errs: { code: string; message: string }[]) => errs.map((e) => `${e.code} ${e.message}`);

function ensemble(name: string, extra: Partial<Ensemble> = {}): Ensemble {
  return {
    name,
    neuron: { kind: 'lif', tauRc: 0.02, tauRef: 0.002, minVoltage: 0 },
    n: 10,
    dims: 1,
    radius: 1,
    maxRates: [200, 400],
    intercepts: [-1, 0.9],
    encoders: { kind: 'hypersphere' },
    seed: null,
    ...extra,
  };
}

function network(extra: Partial<Network> = {}): Network {
  const ep = (name: string, kind: 'input' | 'ensemble') => ({ name, kind, slice: null, dims: 1 });
  return {
    name: 'n',
    dt: 0.001,
    runTime: 0.1,
    seed: null,
    inputs: [{ name: 'u', dims: 1, sizeIn: 0, signal: { kind: 'constant', value: [0.5] } }],
    ensembles: [ensemble('a')],
    connections: [{ id: 'conn_0', pre: ep('u', 'input'), post: ep('a', 'ensemble'), function: null, transform: [[1]], synapse: { kind: 'lowpass', tau: 0.005 }, learning: null }],
    probes: [{ name: 'a', target: ep('a', 'ensemble'), attr: 'decoded', synapse: null, expect: null }],
    ...extra,
  };
}

const lif: NeuronDef = { kind: 'lif', name: 'lif', tau: 2, decayInput: true, threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate: { kind: 'atan', alpha: 2 } };

function model(extra: Partial<Model> = {}): Model {
  const layers: Layer[] = [
    { kind: 'flatten', id: 'flatten_0', inShape: [1, 28, 28], outShape: [784] },
    { kind: 'dense', id: 'dense_0', units: 10, bias: true, inShape: [784], outShape: [10] },
    { kind: 'neuron', id: 'neuron_0', neuron: lif, inShape: [10], outShape: [10] },
  ];
  return { name: 'm', params: {}, input: [1, 28, 28], steps: 4, encoder: { kind: 'direct' }, layers, decoder: { kind: 'rate' }, outputShape: [10], ...extra };
}

function experiment(extra: Partial<Experiment> = {}): Experiment {
  return {
    name: 'e',
    model: model(),
    data: { kind: 'mnist' },
    normalize: { kind: 'unit' },
    target: 'onehot',
    loss: 'mse',
    optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    schedule: { kind: 'constant' },
    batch: 64,
    epochs: 1,
    seed: 0,
    ...extra,
  };
}

describe('validateNetwork', () => {
  it('accepts a well-formed network', () => {
    expect(codes(validateNetwork(network()))).toEqual([]);
  });

  it('rejects max_rates at 1/tau_ref, as the compiler does (not only above it)', () => {
    const at = network({ ensembles: [ensemble('a', { maxRates: [200, 500] })] });
    expect(codes(validateNetwork(at))).toEqual(['SNN3002 `max_rates` must be below 1 / tau_ref = 500 Hz, got 500 Hz']);
    expect(codes(validateNetwork(network({ ensembles: [ensemble('a', { maxRates: [200, 499] })] })))).toEqual([]);
    const relu = ensemble('a', { neuron: { kind: 'relu', amplitude: 1 }, maxRates: [200, 5000] });
    expect(codes(validateNetwork(network({ ensembles: [relu] })))).toEqual([]);
  });

  it('reports every problem, each with the compiler’s code', () => {
    const net = network({
      dt: 0,
      ensembles: [ensemble('a', { intercepts: [0.5, -0.5] }), ensemble('u')],
      probes: [{ name: 'p', target: { name: 'nope', kind: 'ensemble', slice: null, dims: 1 }, attr: 'decoded', synapse: { kind: 'linear_filter', num: [1, 0, 0], den: [1, 1] }, expect: null }],
    });
    expect(validateNetwork(net).map((e) => e.code)).toEqual(['SNN3002', 'SNN3002', 'SNN2002', 'SNN5302', 'SNN2001']);
  });

  it('checks endpoints, slices, transforms and instant self-loops', () => {
    const ep = { name: 'a', kind: 'ensemble' as const, slice: [3], dims: 1 };
    expect(validateNetwork(network({ connections: [{ ...network().connections[0]!, post: ep }] })).map((e) => e.code)).toEqual(['SNN5002']);
    expect(validateNetwork(network({ connections: [{ ...network().connections[0]!, transform: [[1, 2]] }] })).map((e) => e.message)).toEqual(['transform is 1x2 but the connection needs 1x1']);
    const self = { name: 'a', kind: 'ensemble' as const, slice: null, dims: 1 };
    expect(validateNetwork(network({ connections: [{ ...network().connections[0]!, pre: self, post: self, synapse: null }] })).map((e) => e.code)).toEqual(['SNN5004']);
  });
});

describe('validateNetwork: learning', () => {
  const ens = (name: string) => ({ name, kind: 'ensemble' as const, slice: null, dims: 1 });
  const learned = { ...network().connections[0]!, id: 'c', pre: ens('a'), post: ens('b'), learning: { kind: 'pes' as const, learningRate: 1e-4, preSynapse: { kind: 'lowpass' as const, tau: 0.005 } } };

  it('takes an error of the post’s width for PES (none is allowed, as in Nengo: the rule then does not learn)', () => {
    const net = network({ ensembles: [ensemble('a'), ensemble('b')], connections: [learned] });
    expect(codes(validateNetwork(net))).toEqual([]);
    const error = { ...network().connections[0]!, id: 'e', pre: ens('a'), post: { name: 'c', kind: 'learning' as const, slice: null, dims: 1 } };
    expect(codes(validateNetwork({ ...net, connections: [learned, error] }))).toEqual([]);
  });

  it('bounds weight probes and checks rule synapses', () => {
    const big = { ...learned, learning: { kind: 'bcm' as const, learningRate: 1e-9, preSynapse: null, postSynapse: null, thetaSynapse: { kind: 'lowpass' as const, tau: -1 } } };
    const net = network({
      ensembles: [ensemble('a', { n: 50 }), ensemble('b', { n: 50 })],
      connections: [big],
      probes: [{ name: 'w', target: { name: 'c', kind: 'connection', slice: null, dims: 1 }, attr: 'weights', synapse: null, expect: null }],
    });
    expect(validateNetwork(net).map((e) => e.code)).toEqual(['SNN5302', 'SNN5303']);
  });
});

describe('validateModel', () => {
  it('accepts a well-formed chain', () => {
    expect(codes(validateModel(model()))).toEqual([]);
  });

  it('checks neuron ranges from the shared table', () => {
    const bad = model({ layers: model().layers.map((l) => (l.kind === 'neuron' ? { ...l, neuron: { ...lif, tau: 1 } } : l)) });
    expect(codes(validateModel(bad))).toEqual([`SNN3002 \`tau\` must be ${rangeText(IR_RANGES.neuron.tau)}, got 1`]);
  });

  it('checks the shapes along the edges and the layer ids', () => {
    const layers = model().layers;
    const wrong = model({ layers: [layers[0]!, { ...layers[1]!, inShape: [100] }, layers[2]!] });
    expect(codes(validateModel(wrong))).toEqual(['SNN4001 `dense_0` expects [100] but `flatten_0` gives [784]']);
    const dup = model({ layers: [layers[0]!, layers[1]!, { ...layers[2]!, id: 'dense_0' }] });
    expect(validateModel(dup).map((e) => e.code)).toContain('SNN2002');
    const noNeuron = model({ layers: layers.slice(0, 2) });
    expect(validateModel(noNeuron).map((e) => e.code)).toEqual(['SNN4005']);
  });
});

describe('validateIR', () => {
  it('checks named neurons, models, experiments, sweep points and networks together', () => {
    const program: Program = {
      irVersion: IR_VERSION,
      file: 'x.snn',
      imports: [],
      neurons: [{ ...lif, surrogate: { kind: 'atan' as const, alpha: 0 } }],
      models: [model()],
      experiments: [experiment({ batch: 0 })],
      sweeps: [],
      networks: [network({ runTime: 0.0005 })],
    };
    expect(validateIR(program).map((e) => e.message)).toEqual([
      '`atan alpha` must be a number > 0, got 0',
      '`batch` must be an integer >= 1, got 0',
      '`run` must be at least one step (dt = 0.001 s), got 0.0005 s',
    ]);
  });
});

describe('validateExperiment', () => {
  it('accepts a well-formed experiment', () => {
    expect(codes(validateExperiment(experiment()))).toEqual([]);
  });

  it('checks optimizer ranges, nesterov without momentum and the target width', () => {
    const sgd = experiment({ optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: true, weightDecay: 0 }, target: 'binary' });
    expect(validateExperiment(sgd).map((e) => e.code)).toEqual(['SNN3002', 'SNN4003']);
    expect(targetWidth(10, 'binary')).toBe(4);
    expect(targetWidth(10, 'inverse_onehot')).toBe(10);
  });

  it('checks the data fit once image data is read, with a hint for vector models', () => {
    const vector = experiment({ model: { ...model(), input: [100] }, data: { kind: 'idx', trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd', classes: 10 } });
    const errs = checkDataFit(vector, { shape: [1, 28, 28], classes: 10 });
    expect(codes(errs)).toEqual(['SNN4004 model `m` takes [100] but `the IDX data` gives [1, 28, 28]']);
    expect(errs[0]!.hint).toBe('a vector model needs input: [784]');
    expect(checkDataFit({ ...vector, model: { ...model(), input: [784] } }, { shape: [1, 28, 28], classes: 10 })).toEqual([]);
  });
});
