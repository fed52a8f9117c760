import { describe, expect, it } from 'vitest';
import { activities, sampleEnsemble } from './build.js';
import { ensemble } from './ir-builders.js';
import { lstsqL2, rowRanges } from './solver.js';
import { lstsqL2Cg, subsetPreconditioner } from './solver-cg.js';

describe('LstsqL2 by conjugate gradients', () => {
  it('reaches the Cholesky decoders (1-D, Nengo eval points, two targets)', () => {
    const ens = sampleEnsemble(ensemble('a', 300, { seed: 3 }), 0, 'nengo');
    const n = ens.n;
    const m = ens.nEvalPoints;
    const at = activities(ens);
    const y = new Float64Array(m * 2);
    for (let p = 0; p < m; p++) {
      y[2 * p] = ens.evalPoints[p]!;
      y[2 * p + 1] = ens.evalPoints[p]! ** 2;
    }
    const direct = lstsqL2(at, n, m, y, 2, 0.1);
    let maxA = 0;
    for (const v of at) maxA = Math.max(maxA, v);
    const { lo, hi } = rowRanges(at, n, m);
    const cg = lstsqL2Cg(at, n, m, lo, hi, y, 2, m * (0.1 * maxA) ** 2, { tol: 1e-10 });
    expect(cg.residual).toBeLessThan(1e-10);
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < n * 2; i++) {
      diff += (cg.decoders[i]! - direct.decoders[i]!) ** 2;
      norm += direct.decoders[i]! ** 2;
    }
    expect(Math.sqrt(diff / norm)).toBeLessThan(1e-6);
    // a warm start from the direct solution is already converged
    const warm = lstsqL2Cg(at, n, m, lo, hi, y, 2, m * (0.1 * maxA) ** 2, { tol: 1e-6, initial: direct.decoders });
    expect(warm.iterations).toBeLessThanOrEqual(1);
  });

  it('with the subset preconditioner it converges in a few iterations to the same decoders', () => {
    const ens = sampleEnsemble(ensemble('a', 400, { seed: 5 }), 0, 'nengo');
    const n = ens.n;
    const m = ens.nEvalPoints;
    const at = activities(ens);
    const y = Float64Array.from(ens.evalPoints, (x) => Math.sin(3 * x));
    let maxA = 0;
    for (const v of at) maxA = Math.max(maxA, v);
    const lambda = m * (0.1 * maxA) ** 2;
    const { lo, hi } = rowRanges(at, n, m);
    const plain = lstsqL2Cg(at, n, m, lo, hi, y, 1, lambda, { tol: 1e-9 });
    const pre = lstsqL2Cg(at, n, m, lo, hi, y, 1, lambda, { tol: 1e-9, precondition: subsetPreconditioner(at, n, m, lo, hi, 1, lambda, 4) });
    expect(pre.iterations).toBeLessThan(plain.iterations / 3);
    const direct = lstsqL2(at, n, m, y, 1, 0.1);
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      diff += (pre.decoders[i]! - direct.decoders[i]!) ** 2;
      norm += direct.decoders[i]! ** 2;
    }
    expect(Math.sqrt(diff / norm)).toBeLessThan(1e-5);
  });
});
