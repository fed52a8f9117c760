// The seven Nengo baseline networks of ../shared/peers/nengo/RESULTS.md (beside the repository) as snnc IR,
// with their ideal outputs. Shared by accuracy.mjs and speed.mjs. Runs against the built dist.
import { nefIr as b } from '../../../packages/nef/dist/index.js';

const SQRT2 = Math.SQRT2;

function net(name, parts, connections, probeOn, runTime, extra = {}) {
  return b.network(name, {
    ...parts,
    runTime,
    seed: 0,
    connections: connections(parts),
    probes: [b.probe('out', b.ep(parts, probeOn), { synapse: 0.01 }), ...(extra.probes?.(parts) ?? [])],
  });
}

/** Zero-order hold like Nengo's Piecewise (value of the last point at or before t). */
function pw(points) {
  return (t) => {
    let v = 0;
    for (const [pt, pv] of points) if (pt <= t + 0.0005) v = pv;
    return v;
  };
}

const integratorInput = [[0, 0], [0.2, 1], [1, 0], [2, -2], [3, 0], [4, 1], [5, 0]];
const mulA = [[0, 0], [2.5, 10], [4, -10]];
const mulB = [[0, 10], [1.5, 2], [3, 0], [4.5, 2]];

/** name -> { network, ideal(times): Float64Array } */
export const VARIANTS = {
  integrator: () => {
    const parts = { inputs: [b.input('u', b.piecewise(integratorInput))], ensembles: [b.ensemble('A', 100)] };
    const network = net('integrator', parts, (p) => [
      b.connect(b.ep(p, 'u'), b.ep(p, 'A'), { transform: 0.1, synapse: 0.1 }),
      b.connect(b.ep(p, 'A'), b.ep(p, 'A'), { transform: 1, synapse: 0.1 }),
    ], 'A', 6);
    const u = pw(integratorInput);
    // running integral of the input (cumsum * dt), as in the baseline
    const ideal = (t) => {
      const out = new Float64Array(t.length);
      let s = 0;
      for (let i = 0; i < t.length; i++) {
        s += u(t[i]) * 0.001;
        out[i] = s;
      }
      return out;
    };
    return { network, ideal };
  },
  addition_doc: () => addition('addition_doc', 0.5, 0.3, 100),
  addition_07: () => addition('addition_07', 0.5, 0.2, 200),
  squaring_const: () => squaring('squaring_const', b.constant(0.2), () => 0.04),
  squaring_sine: () => squaring('squaring_sine', { kind: 'expr', exprs: [b.call('sin', b.v('t'))] }, (t) => Math.sin(t) ** 2),
  multiplication_const: () => {
    const parts = {
      inputs: [b.input('ab', b.constant(0.5, 0.2))],
      ensembles: [b.ensemble('combined', 200, { dims: 2, radius: SQRT2 }), b.ensemble('prod', 100)],
    };
    const network = net('multiplication_const', parts, (p) => [
      b.connect(b.ep(p, 'ab'), b.ep(p, 'combined')),
      b.connect(b.ep(p, 'combined'), b.ep(p, 'prod'), { function: [b.mul(b.xi(0), b.xi(1))] }),
    ], 'prod', 5);
    return { network, ideal: (t) => t.map(() => 0.1) };
  },
  multiplication_doc: () => {
    const diag = { kind: 'choice', vectors: [[1, 1], [1, -1], [-1, 1], [-1, -1]] };
    const parts = {
      inputs: [b.input('a', b.piecewise(mulA)), b.input('b', b.piecewise(mulB))],
      ensembles: [
        b.ensemble('A', 100, { radius: 10 }),
        b.ensemble('B', 100, { radius: 10 }),
        b.ensemble('combined', 220, { dims: 2, radius: 15, encoders: diag }),
        b.ensemble('prod', 100, { radius: 20 }),
      ],
    };
    const network = net('multiplication_doc', parts, (p) => [
      b.connect(b.ep(p, 'a'), b.ep(p, 'A')),
      b.connect(b.ep(p, 'b'), b.ep(p, 'B')),
      b.connect(b.ep(p, 'A'), b.ep(p, 'combined', [0])),
      b.connect(b.ep(p, 'B'), b.ep(p, 'combined', [1])),
      b.connect(b.ep(p, 'combined'), b.ep(p, 'prod'), { function: [b.mul(b.xi(0), b.xi(1))] }),
    ], 'prod', 5);
    const fa = pw(mulA);
    const fb = pw(mulB);
    return { network, ideal: (t) => t.map((ti) => fa(ti) * fb(ti)) };
  },
};

function addition(name, a, bv, nC) {
  const parts = {
    inputs: [b.input('a', b.constant(a)), b.input('b', b.constant(bv))],
    ensembles: [b.ensemble('A', 100), b.ensemble('B', 100), b.ensemble('C', nC)],
  };
  const network = net(name, parts, (p) => [
    b.connect(b.ep(p, 'a'), b.ep(p, 'A')),
    b.connect(b.ep(p, 'b'), b.ep(p, 'B')),
    b.connect(b.ep(p, 'A'), b.ep(p, 'C')),
    b.connect(b.ep(p, 'B'), b.ep(p, 'C')),
  ], 'C', 5);
  return { network, ideal: (t) => t.map(() => a + bv) };
}

function squaring(name, signal, f) {
  const parts = { inputs: [b.input('u', signal, 1)], ensembles: [b.ensemble('A', 100), b.ensemble('B', 100)] };
  const network = net(name, parts, (p) => [
    b.connect(b.ep(p, 'u'), b.ep(p, 'A')),
    b.connect(b.ep(p, 'A'), b.ep(p, 'B'), { function: [b.mul(b.xi(0), b.xi(0))] }),
  ], 'B', 5);
  return { network, ideal: (t) => t.map(f) };
}

/** 1-D communication channel sin(2 pi t) -> A -> B, n neurons each, 1 s. */
export function commChannel(n) {
  const parts = {
    inputs: [b.input('u', { kind: 'expr', exprs: [b.call('sin', b.mul(b.mul(b.num(2), b.v('pi')), b.v('t')))] }, 1)],
    ensembles: [b.ensemble('A', n), b.ensemble('B', n)],
  };
  const network = net(`commchannel_${n}`, parts, (p) => [
    b.connect(b.ep(p, 'u'), b.ep(p, 'A')),
    b.connect(b.ep(p, 'A'), b.ep(p, 'B')),
  ], 'B', 1);
  const ideal = (t) => t.map((ti) => Math.sin(2 * Math.PI * ti));
  return { network, ideal };
}

/** Lowpass chain of the baseline's "filtered ideal": y[n] = a y[n-1] + (1 - a) x[n], a = exp(-dt/tau). */
export function lowpass(x, tau, dt = 0.001) {
  const a = Math.exp(-dt / tau);
  const y = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s = a * s + (1 - a) * x[i];
    y[i] = s;
  }
  return y;
}

/** RMS of a - b over t > 0.1 s. */
export function rmseAfter(a, b, t, skip = 0.1) {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (t[i] <= skip) continue;
    s += (a[i] - b[i]) ** 2;
    n++;
  }
  return Math.sqrt(s / n);
}

/** Mean of (a - ideal) over samples where the ideal has been constant for >= 0.2 s (200 steps), or NaN. */
export function steadyError(a, ideal, holdSteps = 200) {
  let s = 0;
  let n = 0;
  let run = 0;
  for (let i = 0; i < a.length; i++) {
    run = i > 0 && Math.abs(ideal[i] - ideal[i - 1]) < 1e-12 ? run + 1 : 0;
    if (run >= holdSteps - 1) {
      s += a[i] - ideal[i];
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

export const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
export const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
};
export const median = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
