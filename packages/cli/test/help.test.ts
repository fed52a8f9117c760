import { describe, expect, it } from 'vitest';
import { snnc } from './helpers.js';

describe('snnc help', () => {
  it('prints the parameters of a callable from the parameter table', async () => {
    const r = await snnc(['help', 'conv2d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^conv2d \(layer\): 2-D convolution/);
    // kernel has no default: the compiler requires it (the old editor catalog said 3).
    expect(r.stdout).toMatch(/\n {2}kernel +required +N or \[rows, columns\], integers >= 1 \(pixels\)/);
    expect(r.stdout).toMatch(/\n {2}stride +1 /);
  });

  it('shows defaults the compiler fills in, such as sgd lr', async () => {
    const r = await snnc(['help', 'sgd']);
    expect(r.stdout).toMatch(/\n {2}lr \(positional\) +1e-3 +number > 0/);
  });

  it('lists every meaning of a word (LIF is a trained neuron and an NEF neuron type)', async () => {
    const r = await snnc(['help', 'LIF']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LIF (trained neuron)');
    expect(r.stdout).toContain('LIF (NEF neuron type)');
    expect(r.stdout).toMatch(/tau_rc +20ms/);
  });

  it('describes standard-library neurons from their .snn definitions', async () => {
    const r = await snnc(['help', 'Izhikevich']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Izhikevich \(trained neuron\): Izhikevich \(2003\)/);
    expect(r.stdout).toMatch(/\n {2}v_peak +30 /);
    expect((await snnc(['help', 'neuron'])).stdout).toContain('  AdEx ');
  });

  it('lists all callables, or those of one kind', async () => {
    const all = await snnc(['help', 'callables']);
    expect(all.code).toBe(0);
    for (const w of ['layer:', 'optimizer:', 'NEF neuron type:', '  dense', '  white_noise', '  cross_entropy']) expect(all.stdout).toContain(w);
    const opt = await snnc(['help', 'optimizer']);
    expect(opt.stdout).toMatch(/^optimizer:\n {2}adam /);
    expect(opt.stdout).not.toContain('dense');
  });

  it('explains experiment fields, network settings and connection options', async () => {
    const r = await snnc(['help', 'batch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('batch (experiment fields): batch: samples per training step (integer >= 1; default 64)\n');
    expect((await snnc(['help', 'transform'])).stdout).toMatch(/^transform \(NEF connection options\): transform: .*default 1\)\n$/);
    expect((await snnc(['help', 'dt'])).stdout).toMatch(/^dt \(NEF network settings\): dt: simulation step .*unit: seconds; default 1ms\)\n$/);
  });

  it('still prints command usage, and rejects unknown names with a suggestion', async () => {
    expect((await snnc(['help', 'fmt'])).stdout).toContain('--check');
    const r = await snnc(['help', 'conv2e']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command or callable 'conv2e'; did you mean `conv2d`?");
  });
});
