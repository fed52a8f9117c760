import { describe, expect, test } from 'vitest';
import { analyze } from './analysis.js';
import { complete, definition, enclosingCall, hover, wordAt } from './assist.js';

const SRC = `neuron lif = LIF(tau: 2.0)

model csnn(input: [1, 28, 28], steps: 4, fc: 64) {
  encode direct
  conv2d(8, kernel: 3, padding: 1) -> lif -> maxpool(2)
  flatten -> dense(fc) -> lif -> dense(10) -> lif
  decode rate
}

experiment base {
  model: csnn  data: mnist  optimizer: adam(lr: 0.01)  batch: 64  epochs: 1  seed: 1
}
experiment wide from base { model: csnn(fc: 256) }

network mul {
  input a = 0.5
  ensemble ab = LIF(n: 100, dims: 2)
  connect a -> ab[0]
  probe ab
  run 1s
}
`;

const a = analyze(SRC, 'm.snn', 1, () => undefined);
const at = (needle: string, delta = 0) => SRC.indexOf(needle) + delta;

describe('assist', () => {
  test('the example compiles, so shapes come from the IR', () => {
    expect(a.diagnostics).toEqual([]);
    expect(a.program).toBeDefined();
    expect(a.targets).toEqual([
      { kind: 'network', name: 'mul' },
      { kind: 'experiment', name: 'base' },
      { kind: 'experiment', name: 'wide' },
    ]);
  });

  test('hover on a layer shows its input and output shape', () => {
    const h = hover(SRC, at('conv2d', 2), a)!;
    expect(h.contents[0]).toContain('[1, 28, 28] → **[8, 28, 28]**');
    expect(h.contents.join('\n')).toContain('2-D convolution');
    expect(SRC.slice(h.start, h.end)).toBe('conv2d');
  });

  test('a layer whose shape depends on a model parameter shows every instance', () => {
    const h = hover(SRC, at('dense(fc)', 1), a)!;
    expect(h.contents[0]).toContain('[1568] → **[64]**');
    expect(h.contents[0]).toContain('in `csnn(fc: 256)`: [1568] → **[256]**');
  });

  test('hover on a parameter name gives its doc and unit', () => {
    const h = hover(SRC, at('tau:', 1), a)!;
    expect(h.contents.join('')).toContain('membrane time constant');
    expect(h.contents.join('')).toContain('unit: time steps');
  });

  test('LIF inside a network is documented as an NEF neuron type', () => {
    expect(hover(SRC, at('LIF(n:', 1), a)!.contents.join('')).toContain('NEF ensemble of spiking LIF neurons');
    expect(hover(SRC, at('LIF(tau', 1), a)!.contents.join('')).toContain('trained neuron');
  });

  test('hover on a keyword and on a user name', () => {
    expect(hover(SRC, at('ensemble ab', 1), a)!.contents.join('')).toContain('population of NEF neurons');
    expect(hover(SRC, at('a -> ab', 0), a)!.contents.join('')).toContain('input a');
  });

  test('go to definition: neurons, models, experiments and network locals', () => {
    const def = (needle: string, delta: number) => definition(SRC, at(needle, delta), a);
    expect(def('-> lif ->', 4)).toMatchObject({ line: 1, column: 8 });
    expect(def('model: csnn', 8)).toMatchObject({ line: 3, column: 7 });
    expect(def('from base', 6)).toMatchObject({ line: 10, column: 12 });
    expect(def('a -> ab[0]', 6)).toMatchObject({ line: 17, column: 12 });
    expect(def('conv2d', 1)).toBeUndefined();
  });

  test('completion inside a call offers its parameters first', () => {
    const text = 'neuron x = LIF(ta';
    const items = complete(text, text.length, analyze(text, 'x.snn', 1, () => undefined));
    expect(items[0]).toMatchObject({ label: 'tau', kind: 'property', insertText: 'tau: ' });
    expect(items.map((i) => i.label)).toContain('surrogate');
  });

  test('completion in a network offers NEF types and its own names, not layers', () => {
    const offset = at('  probe ab');
    const labels = complete(SRC, offset, a).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['LIFRate', 'piecewise', 'ab', 'a', 'connect']));
    expect(labels).not.toContain('conv2d');
  });

  test('completion in an experiment offers its fields', () => {
    const labels = complete(SRC, at('  model: csnn  data'), a).filter((i) => i.kind === 'field').map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['model', 'data', 'normalize', 'target', 'loss', 'optimizer', 'schedule', 'batch', 'epochs', 'seed']));
  });

  test('experiment fields init, energy and regularize complete their kinds and hover their parameters', () => {
    const text = 'model m(input: [4], steps: 2) { dense(2) -> LIF }\nexperiment e {\n  model: m\n  energy: horowitz45_';
    const labels = complete(text, text.length, analyze(text, 'x.snn', 1, () => undefined)).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['horowitz45_fp32', 'horowitz45_int8', 'custom', 'kaiming', 'firing_rate']));
    const used = 'model m(input: [4], steps: 2) { dense(2) -> LIF }\nexperiment e { model: m  regularize: firing_rate(weight: 0.1) }\n';
    const h = hover(used, used.indexOf('weight') + 1, analyze(used, 'x.snn', 1, () => undefined));
    expect(h!.contents.join('')).toContain('weight');
  });

  test('a neuron defined in the file completes and hovers its own parameters', () => {
    const def = 'neuron Leaky(tau: 10ms, gain: 2) { // a test neuron\n  state v = 0\n  dv/dt = (gain * x - v) / tau\n  spike when v >= 1 { v = 0 }\n}\n';
    const text = `${def}model m(input: [4], steps: 2) {\n  dense(2) -> Leaky(ga`;
    const items = complete(text, text.length, analyze(text, 'x.snn', 1, () => undefined));
    expect(items.filter((i) => i.kind === 'property').map((i) => i.label)).toEqual(['tau', 'gain', 'dt', 'surrogate', 'detach_reset']);
    const used = `${def}model m(input: [4], steps: 2) {\n  dense(2) -> Leaky(gain: 3)\n}\n`;
    const h = hover(used, used.indexOf('gain: 3') + 1, analyze(used, 'x.snn', 1, () => undefined));
    expect(h!.contents.join('')).toContain('Leaky · `gain`: parameter of `Leaky`');
    // The standard library's neurons are always there.
    expect(complete('neuron a = Izhikevich(', 22, undefined).filter((i) => i.kind === 'property').map((i) => i.label)).toContain('v_peak');
  });

  test('completion and hover inside connect and probe options use the statement, not the endpoint', () => {
    const text = 'network n {\n  ensemble a = LIF(n: 10)\n  connect a -> a (syn';
    const items = complete(text, text.length, analyze(text, 'x.snn', 1, () => undefined));
    expect(items[0]).toMatchObject({ label: 'function', kind: 'property' });
    expect(items.filter((i) => i.kind === 'property').map((i) => i.label)).toEqual(expect.arrayContaining(['function', 'transform', 'synapse']));
    const probe = 'network n {\n  ensemble a = LIF(n: 10)\n  probe a (synapse: 10ms)\n  run 1s\n}\n';
    const h = hover(probe, probe.indexOf('synapse') + 1, analyze(probe, 'x.snn', 1, () => undefined))!;
    expect(h.contents.join('')).toContain('probe · `synapse`: lowpass filter on the recorded value');
  });

  test('enclosingCall and wordAt', () => {
    expect(enclosingCall('conv2d(8, kernel: [3, 3], pa', 28)).toMatchObject({ callee: 'conv2d', argName: true });
    expect(enclosingCall('conv2d(8, kernel: 3', 19)).toMatchObject({ callee: 'conv2d', argName: false });
    expect(enclosingCall('dense(10) -> ', 13)).toBeUndefined();
    expect(wordAt('a -> abc', 6)).toEqual({ word: 'abc', start: 5, end: 8 });
    expect(wordAt('x = 5ms', 5)).toBeUndefined();
  });

  test('with errors, the compiler still gives output shapes and the symbol table', () => {
    const broken = SRC.replace('batch: 64', 'batch: 64 bogus: 1');
    const b = analyze(broken, 'm.snn', 2, () => undefined);
    expect(b.program).toBeUndefined();
    expect(b.diagnostics.length).toBeGreaterThan(0);
    expect(hover(broken, broken.indexOf('maxpool') + 1, b)!.contents[0]).toContain('output **[8, 14, 14]**');
    expect(definition(broken, broken.indexOf('-> lif') + 4, b)).toMatchObject({ line: 1 });
  });
});
