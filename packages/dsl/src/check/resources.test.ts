import { describe, expect, it } from 'vitest';
import { compile } from '../compile.js';
import { compileText, modelWith } from '../test-util.js';
import { fmtBytes, modelMemory, networkMemory } from './resources.js';

const EXP = 'experiment e { model: m  data: mnist  target: onehot  loss: mse  optimizer: adam(lr: 0.01)  batch: 64  epochs: 1 }\n';
const GiB = 2 ** 30;

function located(text: string): string[] {
  return compileText(text).diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code}`);
}

describe('memory estimates at check time', () => {
  it('refuses a dense layer of 10^9 units at the layer, before allocating anything', () => {
    const text = `neuron lif = LIF(tau: 2.0)\n${modelWith('flatten -> dense(1000000000) -> lif -> dense(10) -> lif')}${EXP}`;
    const r = compile(text, { file: 'main.snn' });
    const d = r.diagnostics.filter((x) => x.code === 'SNN4400');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.range.line).toBe(3);
    expect(d[0]!.message).toMatch(/^experiment `e` \(batch 64, 4 steps\) needs about [\d.]+ TiB of memory, more than the 8\.00 GiB available \(the most, .* for `dense_0` \(7\.85e11 parameters/);
    expect(r.ir).toBeUndefined();
  });

  it('refuses conv2d(1000000), steps: 1e9 and a huge batch', () => {
    expect(located(`neuron lif = LIF(tau: 2.0)\n${modelWith('conv2d(1000000, kernel: 3, padding: 1) -> lif -> flatten -> dense(10) -> lif')}${EXP}`).filter((s) => s.startsWith('3:'))).toContain('3:45 SNN4400');
    const steps = located(`neuron lif = LIF(tau: 2.0)\n${modelWith('flatten -> dense(10) -> lif', 'input: [1, 28, 28], steps: 1000000000')}${EXP}`);
    expect(steps.some((s) => s.endsWith('SNN4400'))).toBe(true);
    const batch = located(`neuron lif = LIF(tau: 2.0)\n${modelWith('flatten -> dense(10) -> lif')}${EXP.replace('batch: 64', 'batch: 100000000')}`);
    expect(batch.some((s) => s.endsWith('SNN4400'))).toBe(true);
  });

  it('warns above a quarter of the budget and is silent on a normal model', () => {
    const text = `neuron lif = LIF(tau: 2.0)\n${modelWith('flatten -> dense(4096) -> lif -> dense(10) -> lif')}${EXP}`;
    expect(located(text)).toEqual([]);
    const small = compile(text, { file: 'main.snn', memoryBytes: 200 * 2 ** 20 });
    expect(small.diagnostics.map((d) => d.code)).toContain('SNN4401');
    expect(small.ir).toBeDefined();
  });

  it('refuses LIF(n: 1e8), dims: 1e9 and run 1e9s at what needs the memory', () => {
    const big = located('network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 100000000)\n  connect a -> ens\n  probe ens\n  run 1s\n}\n');
    expect(big).toContain('3:3 SNN5400');
    const dims = located('network n {\n  ensemble y = LIF(n: 100, dims: 1000000000)\n  run 1s\n}\n');
    expect(dims).toContain('2:3 SNN5400');
    const long = located('network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 100)\n  connect a -> ens\n  probe ens\n  run 1000000000s\n}\n');
    expect(long.some((s) => s.endsWith('SNN5400'))).toBe(true);
  });

  it('refuses a transform too large to write out, without building it', () => {
    const t0 = Date.now();
    const r = located('network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 100000000)\n  connect a -> ens.neurons (transform: -2)\n  run 1s\n}\n');
    expect(r).toContain('4:40 SNN5402');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('counts parameters and activations of a small model exactly', () => {
    const r = compile(`neuron lif = LIF(tau: 2.0)\n${modelWith('flatten -> dense(10) -> lif', 'input: [1, 28, 28], steps: 3')}${EXP}`, { file: 'main.snn' });
    const e = r.ir!.experiments[0]!;
    const est = modelMemory(e.model, 2);
    // 2 x 3 samples: input 784 values each; flatten keeps 784 x2; dense (784*10+10) params x4
    // copies and 10 outputs x2; lif 10 x3; all float32
    expect(est.bytes).toBe(4 * (6 * 784 + 6 * 784 * 2 + 7850 * 4 + 6 * 10 * 2 + 6 * 10 * 3));
  });

  it('estimates a network from its IR', () => {
    const r = compile('network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 10)\n  connect a -> ens\n  probe ens\n  run 1s\n}\n', { file: 'main.snn' });
    const est = networkMemory(r.ir!.networks[0]!);
    expect(est.parts.map((p) => p.what)).toEqual(['the time axis (1,000 steps of 1 ms)', 'ensemble `ens` (10 neurons, 1 dimensions)', 'connection `a -> ens`', 'probe `ens` (1,000 steps x 1 values)']);
  });

  it('prints sizes in binary units', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(1.5 * GiB)).toBe('1.50 GiB');
  });
});
