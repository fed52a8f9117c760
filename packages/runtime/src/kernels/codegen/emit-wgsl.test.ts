import { builtinAsEquations, liftConstants, neuronKernelPlan, type BuiltinNeuron, type EquationNeuron, type LiftedPlan, type NeuronDef } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { neuronDef } from '../../model/__tests__/models.js';
import { emitWgslBackward, emitWgslForward, parsePlanKey, wgslForwardOutputs, type WgslRun } from './emit-wgsl.js';

/** The emitted WGSL as text (no GPU needed); webgpu/neuron_webgpu.test.ts runs it. */

function lifted(def: NeuronDef): LiftedPlan {
  const r = neuronKernelPlan(def.kind === 'equations' ? def : builtinAsEquations(def as BuiltinNeuron));
  if (!r.ok) throw new Error(r.reason);
  return liftConstants(r.plan);
}

const run = (l: LiftedPlan, over: Partial<WgslRun> = {}): WgslRun => ({ steps: 4, n: 10, refractorySteps: 0, alpha: 2, constants: l.constants, ...over });

const li: EquationNeuron = {
  kind: 'equations',
  name: 'LI',
  definition: 'LI',
  params: { tau: 0.01 },
  input: 'x',
  state: [{ name: 'v', init: { kind: 'num', value: 0 } }],
  scheme: 'exact',
  dt: 1e-3,
  equations: [{ target: 'v', form: 'ode', rhs: { kind: 'binary', op: '/', left: { kind: 'binary', op: '-', left: { kind: 'var', name: 'x' }, right: { kind: 'var', name: 'v' } }, right: { kind: 'var', name: 'tau' } } }],
  spike: null,
  reset: [],
  refractory: null,
  surrogate: { kind: 'atan', alpha: 2 },
  detachReset: false,
};

describe('WGSL emitted from a neuron kernel plan', () => {
  it('passes the constants as uniforms: another tau reuses the program, only the values change', () => {
    const a = lifted(neuronDef('lif', { tau: 2 }));
    const b = lifted(neuronDef('lif', { tau: 3.5, threshold: 0.8 }));
    expect(b.key).toBe(a.key);
    const fa = emitWgslForward(a.key, 0, false);
    const fb = emitWgslForward(b.key, 0, false);
    expect(fb).toBe(fa);
    expect(fa.code).not.toMatch(/0\.5|1\.0f|0\.8/); // 1/tau and the threshold are uniforms c<K>
    expect(fa.code).toMatch(/uniforms\.c\d/);
    const va = fa.uniformValues(run(a)).map((u) => u.data[0]);
    const vb = fa.uniformValues(run(b)).map((u) => u.data[0]);
    expect(va.slice(0, 2)).toEqual([4, 10]);
    expect(va.slice(2)).toEqual(a.constants);
    expect(vb.slice(2)).toEqual(b.constants);
  });

  it('keys the shader by plan hash, output, static input and (backward) surrogate', () => {
    const l = lifted(neuronDef('if'));
    const hash = parsePlanKey(l.key).hash;
    expect(wgslForwardOutputs(l.key)).toBe(2);
    const keys = [emitWgslForward(l.key, 0, false), emitWgslForward(l.key, 1, false), emitWgslForward(l.key, 0, true)].map((p) => p.shaderKey);
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(k).toContain(hash);
    expect(emitWgslBackward(l.key, false, 'atan').shaderKey).not.toBe(emitWgslBackward(l.key, false, 'sigmoid').shaderKey);
    expect(emitWgslBackward(l.key, true, 'atan').code).toContain('result[index] = gx;');
    expect(() => emitWgslForward(l.key, 2, false)).toThrow(/no forward output/);
  });

  it('binds only the inputs the code reads (an unused binding would fail the whole dispatch)', () => {
    const nonSpiking = lifted(li);
    const back = emitWgslBackward(nonSpiking.key, false, 'atan');
    expect(back.inputs).toEqual(['dy']); // linear: no y, h or x
    expect(back.variableNames).toEqual(['dy']);
    expect(back.uniforms).not.toContain('alpha');
    const alif = lifted(neuronDef('alif'));
    const b2 = emitWgslBackward(alif.key, false, 'atan');
    expect(b2.inputs[0]).toBe('dy');
    expect(b2.inputs).toContain('h0');
    for (const name of b2.variableNames) expect(b2.code).toContain(`${name}[`);
    expect(emitWgslForward(alif.key, 0, false).inputs).toEqual(['x']);
  });

  it('checks the constants and the refractory period against the plan', () => {
    const l = lifted(neuronDef('lif'));
    const f = emitWgslForward(l.key, 0, false);
    expect(() => f.uniformValues(run(l, { constants: l.constants.slice(1) }))).toThrow(/constants/);
    expect(() => f.uniformValues(run(l, { refractorySteps: 2 }))).toThrow(/refractory/);
  });

  it('rejects a key that is not a lifted plan', () => {
    expect(() => parsePlanKey('{"state":[]}')).toThrow(/not a lifted neuron kernel plan/);
  });
});
