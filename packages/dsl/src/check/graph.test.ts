import { describe, expect, it } from 'vitest';
import { layerInputs, modelOutputId, recurrentGroups, type Model } from '@snnc/ir';
import { codes, compileText } from '../test-util.js';

function model(text: string): Model {
  const r = compileText(text);
  expect(codes(r)).toEqual([]);
  return r.ir!.models[0]!;
}

const SEW = `
block sew(c) {
  h = conv2d(c, kernel: 3, padding: 1) -> batchnorm -> LIF
  conv2d(c, kernel: 3, padding: 1) -> batchnorm -> LIF
  add(x)
}
model res(input: [1, 8, 8], steps: 2) {
  conv2d(4, kernel: 3, padding: 1) -> LIF
  sew(4) -> sew(4)
  flatten -> dense(10) -> LIF
}
`;

describe('graph models', () => {
  it('inlines a block twice; the residual add reads the block input and its last layer', () => {
    const m = model(SEW);
    const adds = m.layers.filter((l) => l.kind === 'add');
    expect(adds.map((l) => l.id)).toEqual(['add_0', 'add_1']);
    const i0 = m.layers.indexOf(adds[0]!);
    // add(x) inside a chain: the chain's value first, then the block input (neuron_0).
    expect(layerInputs(m, i0)).toEqual(['neuron_2', 'neuron_0']);
    expect(layerInputs(m, m.layers.indexOf(adds[1]!))).toEqual(['neuron_4', 'add_0']);
    expect(adds[1]!.outShape).toEqual([4, 8, 8]);
    expect(m.outputShape).toEqual([10]);
    expect(m.output).toBeUndefined();
    expect(recurrentGroups(m)).toEqual([]);
  });

  it('keeps a plain chain free of edges (the IR of version 1)', () => {
    const m = model('model m(input: [4], steps: 2) {\n  dense(3) -> LIF\n}\n');
    expect(m.layers.every((l) => l.inputs === undefined && l.name === undefined)).toBe(true);
  });

  it('builds an RLeaky-style recurrent layer with a delay, in execution order', () => {
    const m = model(`
model rnn(input: [28], steps: 28) {
  h = dense(64) -> add(r) -> LIF
  r = h -> delay(1) -> dense(64, bias: false)
  h -> dense(10) -> LIF
}
`);
    // The delay reads the later neuron_0; everything else reads earlier layers.
    expect(m.layers.map((l) => l.id)).toEqual(['dense_0', 'delay_0', 'dense_1', 'add_0', 'neuron_0', 'dense_2', 'neuron_1']);
    expect(m.layers.find((l) => l.id === 'neuron_0')!.name).toBe('h');
    expect(m.layers.find((l) => l.id === 'add_0')!.inputs).toEqual(['dense_0', 'dense_1']);
    expect(recurrentGroups(m)).toEqual([['delay_0', 'dense_1', 'add_0', 'neuron_0']]);
    expect(modelOutputId(m)).toBe('neuron_1');
  });

  it('concat widens channels; iand takes two; new layers infer shapes', () => {
    const m = model(`
model m(input: [2, 16], steps: 2) {
  a = conv1d(4, kernel: 3, padding: 1) -> LIF
  b = x -> conv1d(6, kernel: 3, padding: 1) -> LIF
  concat(a, b) -> scale(0.5) -> layernorm -> conv1d(5, kernel: 4, stride: 2) -> LIF
  flatten -> dense(10) -> LIF
}
`);
    const byId = new Map(m.layers.map((l) => [l.id, l]));
    expect(byId.get('concat_0')!.outShape).toEqual([10, 16]);
    expect(byId.get('conv1d_2')!.outShape).toEqual([5, 7]);
    const s = model(`
model s(input: [2, 8, 8], steps: 2) {
  a = LIF
  b = x -> LIF
  iand(a, b) -> sumpool(2) -> flatten -> dense(3) -> LIF
}
`);
    expect(s.layers.find((l) => l.kind === 'sumpool')!.outShape).toEqual([2, 4, 4]);
  });

  it('reports located shape mismatches across branches', () => {
    const r = compileText(`
model m(input: [1, 8, 8], steps: 2) {
  a = conv2d(4, kernel: 3, padding: 1) -> LIF
  b = x -> conv2d(4, kernel: 3) -> LIF
  add(a, b) -> flatten -> dense(10) -> LIF
}
`);
    expect(codes(r)).toEqual(['SNN4200 `add` needs inputs of one shape but `a` (`LIF`) gives [4, 8, 8] and `b` (`LIF`) gives [4, 6, 6]']);
    expect(r.diagnostics[0]!.range.line).toBe(5);
  });

  it('reports a loop without a delay, unknown names, misuse of merges and blocks', () => {
    const loop = compileText('model m(input: [4], steps: 2) {\n  h = dense(4) -> add(h2) -> LIF\n  h2 = h -> dense(4)\n  h -> LIF\n}\n');
    expect(codes(loop)[0]).toMatch(/^SNN4202 /);
    expect(codes(compileText('model m(input: [4], steps: 2) {\n  dense(4) -> add(nope) -> LIF\n}\n'))).toEqual(['SNN2001 unknown result `nope`']);
    expect(codes(compileText('model m(input: [4], steps: 2) {\n  dense(4) -> LIF -> iand(x, x)\n}\n'))[0]).toMatch(/^SNN3201 /);
    expect(codes(compileText('model m(input: [4], steps: 2) {\n  dense(4) -> LIF -> add(3)\n}\n'))[0]).toMatch(/^SNN3200 /);
    expect(codes(compileText('block b(c) {\n  b(c)\n}\nmodel m(input: [4], steps: 2) {\n  dense(4) -> LIF -> b(2)\n}\n'))[0]).toMatch(/^SNN2200 block `b` uses itself: b -> b/);
    expect(codes(compileText('block b(c) {\n  encode poisson\n  dense(c)\n}\nmodel m(input: [4], steps: 2) {\n  b(2) -> LIF\n}\n'))[0]).toMatch(/^SNN2201 /);
    expect(codes(compileText('block b(c) {\n  dense(c)\n}\nmodel m(input: [4], steps: 2) {\n  b() -> LIF\n}\n'))[0]).toMatch(/^SNN2004 /);
  });

  it('sweeps over a parameter a block reads, one graph per point', () => {
    const r = compileText(`${SEW.replace('sew(4) -> sew(4)', 'sew(c) -> sew(c)').replace('conv2d(4,', 'conv2d(c,').replace('steps: 2)', 'steps: 2, c: 4)')}
experiment base { model: res  data: idx(train_images: "a", train_labels: "b", test_images: "c", test_labels: "d", classes: 10) }
sweep widths from base { model.c: [2, 8] }
`);
    expect(codes(r).filter((c) => c.startsWith('SNN') && !c.includes('warning'))).toEqual([]);
    const points = r.ir!.sweeps[0]!.points;
    expect(points.map((p) => p.experiment.model.layers.find((l) => l.id === 'add_1')!.outShape)).toEqual([
      [2, 8, 8],
      [8, 8, 8],
    ]);
  });

  it('reports a model that only passes its input on, and names that only rename each other', () => {
    expect(codes(compileText('model m(input: [4], steps: 2) {\n  x\n}\n'))).toEqual(['SNN4005 model `m` has no spiking layer']);
    const alias = compileText('model m(input: [4], steps: 2) {\n  dense(4) -> add(a) -> LIF\n  a = b\n  b = a\n}\n');
    expect(codes(alias)[0]).toMatch(/^SNN4202 `a` feed each other|^SNN4202 `b` feed each other/);
  });
});

