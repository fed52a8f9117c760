import { describe, expect, it } from 'vitest';
import type { Layer } from '@snnc/ir';
import { codes, compileText, modelWith } from '../test-util.js';

function layers(chain: string, header?: string): Layer[] {
  const r = compileText(modelWith(chain, header));
  expect(codes(r)).toEqual([]);
  return r.ir!.models[0]!.layers;
}

describe('shape inference', () => {
  it('follows conv2d and pooling arithmetic (floor((in + 2p - k) / s) + 1)', () => {
    const ls = layers('conv2d(6, kernel: 5) -> LIF -> maxpool(2) -> conv2d(16, kernel: [3, 5], stride: [1, 2], padding: [1, 0]) -> LIF -> avgpool(3, stride: 1) -> LIF');
    expect(ls.map((l) => l.outShape)).toEqual([
      [6, 24, 24],
      [6, 24, 24],
      [6, 12, 12],
      [16, 12, 4],
      [16, 12, 4],
      [16, 10, 2],
      [16, 10, 2],
    ]);
  });

  it('pads `same` convolutions symmetrically', () => {
    const [conv] = layers('conv2d(4, kernel: 5, padding: same) -> LIF');
    expect(conv).toMatchObject({ padding: [2, 2], outShape: [4, 28, 28] });
  });

  it('numbers layers per kind and records in and out shapes', () => {
    const ls = layers('flatten -> dense(10) -> LIF -> dense(5) -> LIF');
    expect(ls.map((l) => l.id)).toEqual(['flatten_0', 'dense_0', 'neuron_0', 'dense_1', 'neuron_1']);
    expect(ls[1]).toMatchObject({ inShape: [784], outShape: [10] });
  });

  it('fills layer defaults (bias, batchnorm, pool stride)', () => {
    const ls = layers('conv2d(2, kernel: 3) -> batchnorm -> LIF -> maxpool(2) -> flatten -> dense(3, bias: false) -> LIF');
    expect(ls[0]).toMatchObject({ stride: [1, 1], padding: [0, 0], bias: true });
    expect(ls[1]).toMatchObject({ eps: 1e-5, momentum: 0.1 });
    expect(ls[3]).toMatchObject({ size: [2, 2], stride: [2, 2] });
    expect(ls[5]).toMatchObject({ bias: false });
  });

  it('names both shapes when a layer does not fit', () => {
    const r = compileText(modelWith('flatten -> maxpool(2) -> LIF'));
    expect(codes(r)).toEqual(['SNN4001 maxpool(2) expects an image [C, H, W] but flatten gives [784]']);
  });

  it('reports the first layer that collapses the image', () => {
    const r = compileText(modelWith('conv2d(1, kernel: 29) -> LIF'));
    expect(codes(r)).toEqual(['SNN4002 conv2d(1) turns [1, 28, 28] into an empty shape [1, 0, 0]']);
  });

  it('exposes per-layer shapes with ranges for editor hovers', () => {
    const r = compileText(modelWith('flatten -> dense(10) -> LIF'));
    expect(r.layerShapes.map((s) => [s.label, s.shape, s.range.line, s.range.column])).toEqual([
      ['flatten', [784], 2, 3],
      ['dense(10)', [10], 2, 14],
      ['LIF', [10], 2, 27],
    ]);
  });

  it('evaluates layer arguments over the model parameters', () => {
    const r = compileText(modelWith('flatten -> dense(fc * 2) -> LIF', 'input: [4], steps: 2, fc: 8'));
    expect(r.ir!.models[0]!.layers[1]).toMatchObject({ units: 16 });
    expect(r.ir!.models[0]!.params).toEqual({ fc: 8 });
  });

  it('needs input and steps', () => {
    const r = compileText('model m(steps: 2) { dense(1) -> LIF }');
    expect(codes(r)).toEqual(['SNN2004 model `m` needs `input`']);
  });

  it('fills encoder and decoder defaults', () => {
    const r = compileText(modelWith('flatten -> dense(2) -> LIF\n  encode latency'));
    const m = r.ir!.models[0]!;
    expect(m.encoder).toEqual({ kind: 'latency', mode: 'linear', tau: 1, threshold: 0.01 });
    expect(m.decoder).toEqual({ kind: 'rate' });
  });
});
