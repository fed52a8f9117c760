import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Program } from '@snnc/ir';
import { compile, format } from '@snnc/dsl';
import { exampleFiles, readRepoFile } from './examples.js';

function compileExample(file: string) {
  return compile(readRepoFile(file)!, { file, readFile: readRepoFile });
}

function strip(ir: Program | undefined): string {
  return JSON.stringify(ir, (k, v: unknown) => (k === 'range' ? undefined : v));
}

describe('examples', () => {
  const files = exampleFiles();

  it('finds the examples', () => {
    expect(files).toEqual(expect.arrayContaining(['examples/report/network.snn', 'examples/report/sweeps.snn', 'examples/neurons.snn', 'examples/encoders.snn', 'examples/nef/memory.snn', 'examples/nef/multiply.snn']));
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  for (const file of files) {
    it(`${file} compiles without errors or warnings and is formatter-stable`, () => {
      const r = compileExample(file);
      expect(r.diagnostics.map((d) => formatDiagnostic(d, r.sources.get(d.range.file)))).toEqual([]);
      expect(r.ir).toBeDefined();
      const text = readRepoFile(file)!;
      const f = format(text, { file });
      expect(f.text).toBeDefined();
      expect(format(f.text!, { file }).text).toBe(f.text);
      const again = compile(f.text!, { file, readFile: readRepoFile });
      expect(strip(again.ir)).toBe(strip(r.ir));
    });
  }

  it('report/network.snn is the report configuration 128-64-64-0.01', () => {
    const e = compileExample('examples/report/network.snn').ir!.experiments[0]!;
    const convs = e.model.layers.filter((l) => l.kind === 'conv2d');
    expect(convs.map((l) => (l.kind === 'conv2d' ? l.filters : 0))).toEqual([32, 64, 128]);
    expect(e.model.layers.find((l) => l.kind === 'dense')).toMatchObject({ units: 64 });
    expect(e.model.steps).toBe(4);
    expect(e.model.encoder).toEqual({ kind: 'direct' });
    expect(e.model.decoder).toEqual({ kind: 'rate' });
    expect(e.model.outputShape).toEqual([10]);
    const neuron = e.model.layers.find((l) => l.kind === 'neuron');
    expect(neuron).toMatchObject({ neuron: { kind: 'lif', tau: 2, threshold: 1, reset: 'hard', resetValue: 0, surrogate: { kind: 'atan', alpha: 2 } } });
    expect(e).toMatchObject({ target: 'onehot', loss: 'mse', optimizer: { kind: 'adam', lr: 0.01 }, batch: 64, epochs: 3 });
  });

  it('report/sweeps.snn sweeps batch, learning rate, widths and target codes', () => {
    const ir = compileExample('examples/report/sweeps.snn').ir!;
    const points = Object.fromEntries(ir.sweeps.map((s) => [s.name, s.points.map((p) => p.id)]));
    expect(points).toEqual({
      batch_size: ['batch=16', 'batch=64', 'batch=128'],
      learning_rate: ['optimizer.lr=0.001', 'optimizer.lr=0.01', 'optimizer.lr=0.1'],
      conv_width: ['model.conv=32', 'model.conv=64', 'model.conv=128'],
      fc_width: ['model.fc=32', 'model.fc=64', 'model.fc=256'],
      codes_onehot: ['target=onehot', 'target=inverse_onehot'],
      codes_bits: ['target=binary', 'target=gray'],
    });
    const codes = ir.sweeps.filter((s) => s.name.startsWith('codes_')).flatMap((s) => s.points);
    expect(codes.map((p) => p.experiment.model.outputShape)).toEqual([[10], [10], [4], [4]]);
    expect(codes.map((p) => p.experiment.model.params.out)).toEqual([10, 10, 4, 4]);
    const conv = ir.sweeps.find((s) => s.name === 'conv_width')!;
    expect(conv.points.map((p) => p.experiment.model.layers.find((l) => l.kind === 'flatten')!.outShape)).toEqual([[288], [576], [1152]]);
  });

  it('every NEF probe with a known ideal has an expectation', () => {
    for (const file of exampleFiles().filter((f) => f.startsWith('examples/nef/'))) {
      const ir = compileExample(file).ir!;
      const expected = ir.networks.flatMap((n) => n.probes.filter((p) => p.expect !== null));
      if (!file.endsWith('oscillator.snn') && !file.endsWith('controlled_integrator.snn')) expect(expected.length, file).toBeGreaterThan(0);
    }
  });
});
