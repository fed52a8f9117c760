import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

const BASE = 'model mlp(input: [784], steps: 4, hidden: 100, out: 10) { dense(hidden) -> LIF -> dense(out) -> LIF }\nexperiment e { model: mlp }\n';

describe('sweeps', () => {
  it('expands a grid with the last axis fastest', () => {
    const r = compileText(`${BASE}sweep s from e { model.hidden: [10, 20]  optimizer.lr: [0.1, 0.01] }`);
    expect(codes(r)).toEqual([]);
    const s = r.ir!.sweeps[0]!;
    expect(s.base).toBe('e');
    expect(s.axes.map((a) => [a.path, a.values])).toEqual([
      ['model.hidden', [10, 20]],
      ['optimizer.lr', [0.1, 0.01]],
    ]);
    expect(s.points.map((p) => p.id)).toEqual(['model.hidden=10,optimizer.lr=0.1', 'model.hidden=10,optimizer.lr=0.01', 'model.hidden=20,optimizer.lr=0.1', 'model.hidden=20,optimizer.lr=0.01']);
    expect(s.points[3]!.values).toEqual({ 'model.hidden': 20, 'optimizer.lr': 0.01 });
  });

  it('re-instantiates the model per point, so shapes follow the parameters', () => {
    const r = compileText(`${BASE}sweep s from e { model.hidden: [10, 30]  model.steps: [2] }`);
    const pts = r.ir!.sweeps[0]!.points;
    expect(pts.map((p) => p.experiment.model.layers[0]!.outShape)).toEqual([[10], [30]]);
    expect(pts.map((p) => p.experiment.model.layers[2]!.inShape)).toEqual([[10], [30]]);
    expect(pts.map((p) => p.experiment.model.steps)).toEqual([2, 2]);
  });

  it('sweeps words and booleans', () => {
    const r = compileText(`${BASE}experiment g from e { optimizer: sgd(momentum: 0.9) }\nsweep s from g { loss: [mse, cross_entropy]  optimizer.nesterov: [true, false] }`);
    expect(codes(r)).toEqual([]);
    const pts = r.ir!.sweeps[0]!.points;
    expect(pts.map((p) => [p.experiment.loss, p.experiment.optimizer.kind === 'sgd' && p.experiment.optimizer.nesterov])).toEqual([
      ['mse', true],
      ['mse', false],
      ['cross_entropy', true],
      ['cross_entropy', false],
    ]);
  });

  it('reports a failing point on the axis value, once', () => {
    const r = compileText(`${BASE}sweep s from e { target: [onehot, binary]  batch: [1, 2] }`);
    expect(codes(r)).toEqual(['SNN6005 sweep point target=binary,batch=1: model `mlp` outputs [10] but target `binary` needs [4]']);
    expect(r.diagnostics[0]!.range.column).toBe(35);
  });

  it('rejects unknown paths and duplicate axes', () => {
    expect(codes(compileText(`${BASE}sweep s from e { optimiser.lr: [1] }`))).toEqual(['SNN6003 cannot sweep `optimiser.lr`: experiments have no field `optimiser`']);
    expect(codes(compileText(`${BASE}sweep s from e { batch: [1]  batch: [2] }`))).toEqual(['SNN2005 `batch` is given twice']);
    expect(codes(compileText(`${BASE}sweep s from e { batch: 3 }`))).toEqual(['SNN3001 `batch` expects a list of values `[a, b, ...]` but got 3']);
  });

  it('needs at least one axis', () => {
    expect(codes(compileText(`${BASE}sweep s from e { }`))).toEqual(['SNN6003 cannot sweep `s`: the sweep has no axes; add one such as `batch: [32, 64]`']);
  });

  it('stays quiet when the base experiment already has errors', () => {
    const r = compileText(`${BASE}experiment bad from e { batch: 0 }\nsweep s from bad { seed: [1, 2] }`);
    expect(codes(r)).toEqual(['SNN3002 `batch` must be an integer >= 1, got 0']);
  });

  it('sweeps experiments defined in an imported file', () => {
    const r = compileText('use "base.snn"\nsweep s from e { seed: [1, 2, 3] }', { 'base.snn': BASE });
    expect(codes(r)).toEqual([]);
    expect(r.ir!.sweeps[0]!.points.map((p) => p.experiment.seed)).toEqual([1, 2, 3]);
    expect(r.ir!.experiments).toEqual([]);
  });
});
