import type { Experiment, Sweep, SweepValue } from '@snnc/ir';

/** A tiny, complete experiment IR (what the compiler would emit for a 2-layer dense SNN). */
export function tinyExperiment(name = 'tiny'): Experiment {
  const neuron = {
    kind: 'lif' as const,
    name: 'lif',
    tau: 2,
    decayInput: true,
    threshold: 1,
    reset: 'hard' as const,
    resetValue: 0,
    detachReset: false,
    surrogate: { kind: 'atan' as const, alpha: 2 },
  };
  return {
    name,
    model: {
      name: 'mlp',
      params: { hidden: 16 },
      input: [1, 28, 28],
      steps: 2,
      encoder: { kind: 'direct' },
      layers: [
        { id: 'flatten_0', kind: 'flatten', inShape: [1, 28, 28], outShape: [784] },
        { id: 'dense_1', kind: 'dense', units: 16, bias: true, inShape: [784], outShape: [16] },
        { id: 'neuron_2', kind: 'neuron', neuron, inShape: [16], outShape: [16] },
        { id: 'dense_3', kind: 'dense', units: 10, bias: true, inShape: [16], outShape: [10] },
        { id: 'neuron_4', kind: 'neuron', neuron, inShape: [10], outShape: [10] },
      ],
      decoder: { kind: 'rate' },
      outputShape: [10],
    },
    data: { kind: 'mnist' },
    normalize: { kind: 'unit' },
    target: 'onehot',
    loss: 'mse',
    optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    schedule: { kind: 'constant' },
    batch: 32,
    epochs: 2,
    seed: 1,
  };
}

type Setter = (e: Experiment, v: SweepValue) => void;

const SETTERS: Record<string, Setter> = {
  batch: (e, v) => (e.batch = v as number),
  'optimizer.lr': (e, v) => (e.optimizer.lr = v as number),
  target: (e, v) => (e.target = v as Experiment['target']),
  'model.hidden': (e, v) => (e.model.params['hidden'] = v as number),
  seed: (e, v) => (e.seed = v as number),
};

/** A grid sweep over the tiny experiment, expanded the way the compiler expands one. */
export function tinySweep(name: string, axes: Record<string, SweepValue[]>, base: Experiment = tinyExperiment()): Sweep {
  const entries = Object.entries(axes);
  let combos: Record<string, SweepValue>[] = [{}];
  for (const [path, values] of entries) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  return {
    name,
    base: base.name,
    axes: entries.map(([path, values]) => ({ path, values })),
    points: combos.map((values) => {
      const experiment = structuredClone(base);
      experiment.name = `${name}`;
      for (const [p, v] of Object.entries(values)) SETTERS[p]!(experiment, v);
      return { id: Object.entries(values).map(([p, v]) => `${p}=${String(v)}`).join(','), values, experiment };
    }),
  };
}
