import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { makeModel } from '../../../model/__tests__/models.js';
import { experiment } from '../../../train/__tests__/experiments.js';
import type { LoadedBackend } from '../../backend/index.js';
import { planReplicas } from './start.js';

const wasm: LoadedBackend = { name: 'wasm', detail: 'wasm (SIMD, 1 thread)' };
const tensorflow: LoadedBackend = { name: 'tensorflow', detail: 'tensorflow' };
const exp = experiment(makeModel([1, 4, 4], 2, [{ kind: 'flatten' }, { kind: 'dense', units: 3 }, { kind: 'neuron' }]), { batch: 8 });

describe('planReplicas', () => {
  it('splits wasm training over the requested workers, one per core by default, never more than the batch', () => {
    expect(planReplicas(3, wasm, exp)).toEqual({ replicas: 3 });
    expect(planReplicas(undefined, wasm, exp).replicas).toBe(Math.min(os.availableParallelism(), 8));
    expect(planReplicas(64, wasm, exp)).toEqual({ replicas: 8 });
    expect(planReplicas(1, wasm, exp)).toEqual({ replicas: 1 });
  });

  it('keeps other backends, rate regularisation and sequence data on one replica, saying why when workers were asked for', () => {
    expect(planReplicas(undefined, tensorflow, exp)).toEqual({ replicas: 1 });
    expect(planReplicas(2, tensorflow, exp).reason).toMatch(/tensorflow backend trains on one replica/);
    const reg = { ...exp, rateReg: { target: 0.1, weight: 1 } };
    expect(planReplicas(2, wasm, reg)).toMatchObject({ replicas: 1, reason: expect.stringMatching(/rate regularisation/) });
  });
});
