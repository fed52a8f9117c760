import type { BuiltinNeuron, Layer, Model, NeuronDef, Surrogate } from '@snnc/ir';

/** Hand-built IR for tests (the runtime never depends on the compiler). */
export function lifDef(over: Partial<Extract<NeuronDef, { kind: 'lif' }>> = {}): NeuronDef {
  return {
    kind: 'lif',
    name: 'lif',
    tau: 2,
    decayInput: true,
    threshold: 1,
    reset: 'hard',
    resetValue: 0,
    detachReset: false,
    surrogate: { kind: 'atan', alpha: 2 },
    ...over,
  };
}

export function neuronDef(kind: BuiltinNeuron['kind'], over: Record<string, unknown> = {}): NeuronDef {
  const base = {
    name: kind,
    threshold: 1,
    reset: 'hard' as const,
    resetValue: 0,
    detachReset: false,
    surrogate: { kind: 'atan', alpha: 2 } as Surrogate,
  };
  switch (kind) {
    case 'if':
      return { ...base, kind, ...over } as NeuronDef;
    case 'lif':
    case 'plif':
      return { ...base, kind, tau: 2, decayInput: true, ...over } as NeuronDef;
    case 'alif':
      return { ...base, kind, tau: 2, decayInput: true, tauAdapt: 20, beta: 0.2, ...over } as NeuronDef;
  }
}

type Spec =
  | { kind: 'conv2d'; filters: number; kernel?: number; padding?: number; stride?: number }
  | { kind: 'dense'; units: number }
  | { kind: 'batchnorm' }
  | { kind: 'maxpool'; size: number }
  | { kind: 'avgpool'; size: number }
  | { kind: 'flatten' }
  | { kind: 'dropout'; rate: number }
  | { kind: 'neuron'; neuron?: NeuronDef };

/** Infers shapes (channels first) and ids like the compiler does. */
export function makeModel(
  input: number[],
  steps: number,
  specs: Spec[],
  extra: Partial<Pick<Model, 'encoder' | 'decoder'>> = {},
): Model {
  const counts: Record<string, number> = {};
  let shape = [...input];
  const layers: Layer[] = specs.map((s) => {
    const id = `${s.kind}_${(counts[s.kind] = (counts[s.kind] ?? -1) + 1)}`;
    const inShape = [...shape];
    let layer: Layer;
    switch (s.kind) {
      case 'conv2d': {
        const k = s.kernel ?? 3;
        const p = s.padding ?? 0;
        const st = s.stride ?? 1;
        const [, h, w] = inShape as [number, number, number];
        shape = [s.filters, Math.floor((h + 2 * p - k) / st) + 1, Math.floor((w + 2 * p - k) / st) + 1];
        layer = { kind: 'conv2d', id, inShape, outShape: shape, filters: s.filters, kernel: [k, k], stride: [st, st], padding: [p, p], bias: true };
        break;
      }
      case 'dense':
        shape = [s.units];
        layer = { kind: 'dense', id, inShape, outShape: shape, units: s.units, bias: true };
        break;
      case 'batchnorm':
        layer = { kind: 'batchnorm', id, inShape, outShape: shape, eps: 1e-5, momentum: 0.1 };
        break;
      case 'maxpool':
      case 'avgpool': {
        const [c, h, w] = inShape as [number, number, number];
        shape = [c, Math.floor(h / s.size), Math.floor(w / s.size)];
        layer = { kind: s.kind, id, inShape, outShape: shape, size: [s.size, s.size], stride: [s.size, s.size] };
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        layer = { kind: 'flatten', id, inShape, outShape: shape };
        break;
      case 'dropout':
        layer = { kind: 'dropout', id, inShape, outShape: shape, rate: s.rate };
        break;
      case 'neuron':
        layer = { kind: 'neuron', id, inShape, outShape: shape, neuron: s.neuron ?? lifDef() };
        break;
    }
    return layer;
  });
  return {
    name: 'test',
    params: {},
    input,
    steps,
    encoder: extra.encoder ?? { kind: 'direct' },
    layers,
    decoder: extra.decoder ?? { kind: 'rate' },
    outputShape: shape,
  };
}

/** The report's network (RESULTS.md): conv C/4, C/2, C; fc F; 10 outputs; LIF everywhere. */
export function reportModel(conv = 128, fc = 64, steps = 4, neuron: NeuronDef = lifDef()): Model {
  const block = (f: number): Spec[] => [
    { kind: 'conv2d', filters: f, kernel: 3, padding: 1 },
    { kind: 'batchnorm' },
    { kind: 'neuron', neuron },
    { kind: 'maxpool', size: 2 },
  ];
  return makeModel([1, 28, 28], steps, [
    ...block(conv / 4),
    ...block(conv / 2),
    ...block(conv),
    { kind: 'flatten' },
    { kind: 'dense', units: fc },
    { kind: 'neuron', neuron },
    { kind: 'dense', units: 10 },
    { kind: 'neuron', neuron },
  ]);
}
