import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

const MODEL = 'model mlp(input: [784], steps: 4, hidden: 100, out: 10) { dense(hidden) -> LIF -> dense(out) -> LIF }\n';

describe('experiments', () => {
  it('fills PyTorch-style defaults', () => {
    const r = compileText(`${MODEL}experiment e { model: mlp }`);
    const { model, range, ...rest } = r.ir!.experiments[0]!;
    expect(model.name).toBe('mlp');
    expect(range).toBeDefined();
    expect(rest).toEqual({
      name: 'e',
      data: { kind: 'mnist' },
      normalize: { kind: 'unit' },
      target: 'onehot',
      loss: 'mse',
      optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
      schedule: { kind: 'constant' },
      batch: 64,
      epochs: 1,
      seed: 0,
    });
  });

  it('gives adamw its own weight decay default and sgd its defaults', () => {
    const r = compileText(`${MODEL}experiment a { model: mlp  optimizer: adamw }\nexperiment s { model: mlp  optimizer: sgd(0.1) }`);
    expect(r.ir!.experiments[0]!.optimizer).toMatchObject({ kind: 'adamw', weightDecay: 0.01 });
    expect(r.ir!.experiments[1]!.optimizer).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 });
  });

  it('inherits fields and merges model parameters with the base', () => {
    const r = compileText(`${MODEL}experiment a { model: mlp(hidden: 50)  batch: 8  optimizer: sgd(lr: 0.5, momentum: 0.9) }\nexperiment b from a { model: mlp(steps: 2)  optimizer.lr: 0.1 }`);
    expect(codes(r)).toEqual([]);
    const b = r.ir!.experiments[1]!;
    expect(b.model.params).toEqual({ hidden: 50, out: 10 });
    expect(b.model.steps).toBe(2);
    expect(b.batch).toBe(8);
    expect(b.optimizer).toMatchObject({ kind: 'sgd', lr: 0.1, momentum: 0.9 });
  });

  it('resolves idx paths against the file that names them', () => {
    const lib = `${MODEL}experiment base { model: mlp  data: idx(train_images: "../data/a", train_labels: "b", test_images: "/abs/c", test_labels: "./d/e", classes: 10) }`;
    const r = compileText('use "lib/exp.snn"\nexperiment x from base { batch: 2 }', { 'dir/lib/exp.snn': lib }, 'dir/main.snn');
    expect(codes(r)).toEqual([]);
    expect(r.ir!.experiments[0]!.data).toEqual({ kind: 'idx', trainImages: 'dir/data/a', trainLabels: 'dir/lib/b', testImages: '/abs/c', testLabels: 'dir/lib/d/e', classes: 10 });
  });

  it('checks the output width against the target code', () => {
    expect(codes(compileText(`${MODEL}experiment e { model: mlp  target: gray }`))).toEqual(['SNN4003 model `mlp` outputs [10] but target `gray` needs [4]']);
    expect(codes(compileText(`${MODEL}experiment e { model: mlp(out: 4)  target: gray }`))).toEqual([]);
    const idx = 'data: idx(train_images: "a", train_labels: "b", test_images: "c", test_labels: "d", classes: 3)';
    expect(codes(compileText(`${MODEL}experiment e { model: mlp(out: 2)  target: binary  ${idx} }`))).toEqual([]);
  });

  it('notes which experiment a shape error from its parameters comes from', () => {
    const r = compileText('model c(input: [1, 28, 28], steps: 1, k: 3) { conv2d(1, kernel: k) -> LIF -> flatten -> dense(10) -> LIF }\nexperiment e { model: c(k: 40) }');
    expect(codes(r)).toEqual(['SNN4002 conv2d(1) turns [1, 28, 28] into an empty shape [1, 0, 0]']);
    expect(r.diagnostics[0]!.related?.[0]?.message).toBe('with the parameters given by experiment `e`');
  });

  it('reports unknown model parameters with a suggestion', () => {
    const r = compileText(`${MODEL}experiment e { model: mlp(hiden: 3) }`);
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([['SNN2003', 'did you mean `hidden`?']]);
  });

  it('rejects unknown fields and sub-fields', () => {
    expect(codes(compileText(`${MODEL}experiment e { model: mlp  batch.size: 3 }`))).toEqual(['SNN6001 experiment has no field `batch.size`']);
    expect(codes(compileText(`${MODEL}experiment e { model: mlp  optimizer.momentum: 0.9 }`))).toEqual(['SNN2003 optimizer `adam` has no parameter `momentum`']);
  });
});

describe('classes and outputs', () => {
  const M = 'model m(input: [784], steps: 2, out: outputs) { dense(out) -> LIF }\n';

  it('lets a model size its output from the target code and the data', () => {
    const idx = 'data: idx(train_images: "a", train_labels: "b", test_images: "c", test_labels: "d", classes: 5)';
    const r = compileText(`${M}experiment a { model: m }\nexperiment b { model: m  target: gray }\nexperiment c { model: m  ${idx} }\nexperiment d { model: m  ${idx}  target: binary }`);
    expect(codes(r)).toEqual([]);
    expect(r.ir!.experiments.map((e) => e.model.outputShape)).toEqual([[10], [4], [5], [3]]);
    expect(r.ir!.experiments[1]!.model.params).toEqual({ out: 4 });
  });

  it('uses MNIST one-hot defaults for a model on its own', () => {
    const r = compileText(M);
    expect(r.ir!.models[0]!.outputShape).toEqual([10]);
    expect(r.ir!.models[0]!.params).toEqual({ out: 10 });
  });

  it('lets a declared parameter of the same name win', () => {
    const r = compileText('model m(input: [784], steps: 2, outputs: 3) { dense(outputs) -> LIF }');
    expect(r.ir!.models[0]!.outputShape).toEqual([3]);
  });
});
