import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adam, learningRate, makeOptimizer, sgd, type Optimizer, type Param } from './index.js';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const made: Param[] = [];
afterAll(() => made.forEach((p) => p.variable.dispose()));

function param(name: string, values: number[]): Param {
  const p = { name, variable: tf.variable(tf.tensor1d(values), true, `${name}_${made.length}_${Math.random()}`) };
  made.push(p);
  return p;
}

/** Runs `grads.length` updates with the given per-step gradients and returns the values after each. */
function run(opt: Optimizer, p: Param, grads: number[][], lr: number | ((step: number) => number)): number[][] {
  return grads.map((g, step) => {
    const gt = tf.tensor1d(g);
    opt.apply([gt], typeof lr === 'number' ? lr : lr(step));
    gt.dispose();
    return Array.from(p.variable.dataSync());
  });
}

/** torch.optim.Adam / AdamW for one scalar, in float64 (the documented algorithm, amsgrad off). */
function torchAdam(p0: number, grads: number[], lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean): number[] {
  let p = p0;
  let m = 0;
  let v = 0;
  return grads.map((g0, i) => {
    const t = i + 1;
    let g = g0;
    if (decoupled) p *= 1 - lr * wd;
    else g += wd * p;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const denom = Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps;
    p -= (lr / (1 - b1 ** t)) * (m / denom);
    return p;
  });
}

/** torch.optim.SGD for one scalar (dampening 0). */
function torchSgd(p0: number, grads: number[], lr: number, momentum: number, nesterov: boolean, wd: number): number[] {
  let p = p0;
  let buf: number | null = null;
  return grads.map((g0) => {
    let d = g0 + wd * p;
    if (momentum !== 0) {
      buf = buf === null ? d : momentum * buf + d;
      d = nesterov ? d + momentum * buf : buf;
    }
    p -= lr * d;
    return p;
  });
}

const G = [[0.5, -2, 1e-3], [-0.25, 1, 0], [0.75, 3, -4e-3], [0.1, -0.5, 2e-3]];
const column = (rows: number[][], j: number) => rows.map((r) => r[j]!);

describe('optimizers (PyTorch semantics)', () => {
  it('adam: the first step moves every weight by lr against the gradient sign', () => {
    // m = 0.1 g, v = 0.001 g^2 -> (m / 0.1) / (|g| + eps) = sign(g)
    const p = param('w', [1, 1, 1]);
    const opt = adam([p], { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false });
    const [after] = run(opt, p, [[0.5, -2, 0.25]], 0.1);
    expect(after![0]).toBeCloseTo(0.9, 6);
    expect(after![1]).toBeCloseTo(1.1, 6);
    expect(after![2]).toBeCloseTo(0.9, 6);
    opt.dispose();
  });

  for (const [label, wd, decoupled, eps] of [
    ['adam', 0, false, 1e-8],
    ['adam + L2 weight decay', 0.1, false, 1e-8],
    ['adamw (decoupled decay)', 0.1, true, 1e-8],
    ['adam with a large eps (where tf.train.adam differs)', 0, false, 0.1],
  ] as const) {
    it(`${label} matches torch over four steps`, () => {
      const p0 = [1, -0.5, 0.2];
      const p = param('w', p0);
      const opt = adam([p], { beta1: 0.9, beta2: 0.999, eps, weightDecay: wd, decoupled });
      const got = run(opt, p, G, 0.01);
      for (let j = 0; j < 3; j++) {
        const want = torchAdam(p0[j]!, column(G, j), 0.01, 0.9, 0.999, eps, wd, decoupled);
        column(got, j).forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 6));
      }
      opt.dispose();
    });
  }

  it('adam agrees with tf.train.adam, which places eps as torch does', () => {
    const mine = param('a', [1, -0.5, 0.2]);
    const theirs = param('b', [1, -0.5, 0.2]);
    const opt = adam([mine], { beta1: 0.9, beta2: 0.999, eps: 0.1, weightDecay: 0, decoupled: false });
    const tfOpt = tf.train.adam(0.01, 0.9, 0.999, 0.1);
    for (const row of G) {
      const g = tf.tensor1d(row);
      opt.apply([g], 0.01);
      tfOpt.applyGradients([{ name: theirs.variable.name, tensor: g }]);
      g.dispose();
    }
    Array.from(theirs.variable.dataSync()).forEach((x, j) => expect(mine.variable.dataSync()[j]).toBeCloseTo(x, 6));
    tfOpt.dispose();
    opt.dispose();
  });

  for (const [label, momentum, nesterov, wd] of [
    ['plain sgd', 0, false, 0],
    ['sgd + momentum', 0.9, false, 0],
    ['sgd + nesterov + weight decay', 0.9, true, 0.01],
  ] as const) {
    it(`${label} matches torch over four steps`, () => {
      const p0 = [1, -0.5, 0.2];
      const p = param('w', p0);
      const opt = sgd([p], { momentum, nesterov, weightDecay: wd });
      const got = run(opt, p, G, 0.1);
      for (let j = 0; j < 3; j++) {
        const want = torchSgd(p0[j]!, column(G, j), 0.1, momentum, nesterov, wd);
        column(got, j).forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 6));
      }
      opt.dispose();
    });
  }

  it('sgd with momentum: hand-computed steps', () => {
    // p=1, lr=0.1, mu=0.9; g=1: buf=1, p=0.9; g=1: buf=1.9, p=0.71
    const p = param('w', [1]);
    const opt = sgd([p], { momentum: 0.9, nesterov: false, weightDecay: 0 });
    const got = run(opt, p, [[1], [1]], 0.1);
    expect(got[0]![0]).toBeCloseTo(0.9, 6);
    expect(got[1]![0]).toBeCloseTo(0.71, 6);
    opt.dispose();
  });

  it('skips parameters without a gradient', () => {
    const a = param('a', [1]);
    const b = param('b', [1]);
    const opt = makeOptimizer({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, [a, b]);
    const g = tf.tensor1d([1]);
    opt.apply([g, undefined], 0.1);
    expect(a.variable.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(b.variable.dataSync()[0]).toBe(1);
    expect(opt.snapshot().steps).toEqual({ a: 1 });
    g.dispose();
    opt.dispose();
  });

  it('continues identically after a snapshot is restored into a fresh optimizer', () => {
    const spec = { kind: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05 } as const;
    const a = param('w', [1, -0.5, 0.2]);
    const optA = makeOptimizer(spec, [a]);
    run(optA, a, G.slice(0, 2), 0.01);
    const b = param('w', Array.from(a.variable.dataSync()));
    const optB = makeOptimizer(spec, [b]);
    optB.restore(optA.snapshot());
    const ra = run(optA, a, G.slice(2), 0.01);
    const rb = run(optB, b, G.slice(2), 0.01);
    expect(rb).toEqual(ra);
    optA.dispose();
    optB.dispose();
  });

  it('refuses a snapshot that does not fit', () => {
    const a = param('w', [1, 2]);
    const b = param('w', [1, 2, 3]);
    const optA = makeOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 }, [a]);
    run(optA, a, [[1, 1]], 0.1);
    const optB = makeOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 }, [b]);
    expect(() => optB.restore(optA.snapshot())).toThrow(/shape \[2\], expected \[3\]/);
    const optC = makeOptimizer({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, [a]);
    expect(() => optC.restore(optA.snapshot())).toThrow(/expected adam state, got sgd/);
    optA.dispose();
    optB.dispose();
    optC.dispose();
  });

  it('keeps the number of tensors flat across updates', () => {
    const p = param('w', [1, 2, 3]);
    const opt = makeOptimizer({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 }, [p]);
    run(opt, p, G.slice(0, 1), 0.1);
    const n = tf.memory().numTensors;
    run(opt, p, G, 0.1);
    expect(tf.memory().numTensors).toBe(n);
    opt.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('constant keeps the base rate', () => {
    expect(learningRate({ kind: 'constant' }, 0.01, 500, 1000)).toBe(0.01);
  });

  it('cosine follows CosineAnnealingLR over all steps', () => {
    const s = { kind: 'cosine', minLr: 0.001 } as const;
    expect(learningRate(s, 0.1, 0, 100)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 0.1, 50, 100)).toBeCloseTo(0.0505, 12);
    expect(learningRate(s, 0.1, 25, 100)).toBeCloseTo(0.001 + 0.099 * (1 + Math.SQRT1_2) / 2, 12);
    expect(learningRate(s, 0.1, 100, 100)).toBeCloseTo(0.001, 12);
  });
});
