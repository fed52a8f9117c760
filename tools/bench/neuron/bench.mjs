#!/usr/bin/env node
// The library LIF's fused kernels, generated from its .snn definition, against the hand-written
// kernels they replaced (handwritten-2212cd7.mjs), side by side in one process:
//   js          the cpu/wasm loops (forward + BPTT backward over all T steps) on plain
//               Float32Arrays: the code the wasm backend runs on its heap views
//   wasm        the same through tfjs's wasm backend (fusedNeuron with tf.grad), new only: the
//               old kernel registered under the same names is gone
//   tensorflow  the tfjs-ops BPTT: planBpttNeuron (from the plan) vs the old bpttNeuron
// Shape: the report network's first neuron layer (batch 64, 32 channels at 28x28, T 4).
//
//   npm run build && node tools/bench/neuron/bench.mjs [--reps 41] [--batch 64] [--json FILE]
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { builtinAsEquations, liftConstants, neuronKernelPlan } from '@snnc/ir';
import { fusedNeuron, generatedKernel, planBpttNeuron, surrogateDerivative } from '@snnc/runtime';
import { loadBackend } from '@snnc/runtime/node';
import { bpttNeuron, neuronBackward, neuronForward } from './handwritten-2212cd7.mjs';

function args(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!k.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) a[k.slice(2)] = true;
    else (a[k.slice(2)] = next), i++;
  }
  return a;
}

const opts = args(process.argv.slice(2));
const REPS = Number(opts.reps ?? 41);
const B = Number(opts.batch ?? 64);
const T = 4;
const n = B * 32 * 28 * 28; // neurons per step
const surrogate = { kind: 'atan', alpha: 2 };

// The report's neuron: LIF tau 2, threshold 1, hard reset to 0, decay_input
const builtin = { kind: 'lif', name: 'lif', tau: 2, decayInput: true, threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate };
const planned = neuronKernelPlan(builtinAsEquations(builtin));
if (!planned.ok) throw new Error(planned.reason);
const lifted = liftConstants(planned.plan);
const kernel = generatedKernel(lifted);
if (!kernel) throw new Error('no generated kernel for the LIF: run node tools/codegen/neuron-kernels.mjs');
const oldCfg = { steps: T, charge: 'lif', invTau: 0.5, decayInput: true, threshold: 1, reset: 'hard', vReset: 0, detachReset: false, surrogate };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Alternates a and b, REPS times each after two warm-ups, so load drifts hit both alike; the
 * ratio is the median of the per-pair ratios (more stable on a shared 2-core machine than the
 * ratio of medians).
 */
function paired(a, b) {
  for (let w = 0; w < 2; w++) {
    a();
    b();
  }
  const ta = [];
  const tb = [];
  for (let r = 0; r < REPS; r++) {
    for (const [f, out] of r % 2 === 0 ? [[a, ta], [b, tb]] : [[b, tb], [a, ta]]) {
      const t0 = performance.now();
      f();
      out.push(performance.now() - t0);
    }
  }
  return { generated: median(ta), handwritten: median(tb), ratio: median(ta.map((t, i) => t / tb[i])) };
}

const rows = [];
function record(path, r) {
  const ratio = r.ratio ?? NaN;
  rows.push({ path, neurons: n, steps: T, generatedMs: +r.generated.toFixed(2), handwrittenMs: r.handwritten === undefined ? null : +r.handwritten.toFixed(2), ratio: Number.isFinite(ratio) ? +ratio.toFixed(3) : null });
  console.log(`${path.padEnd(11)} generated ${r.generated.toFixed(1).padStart(7)} ms   hand-written ${r.handwritten === undefined ? '      -' : r.handwritten.toFixed(1).padStart(7)} ms   ${Number.isFinite(ratio) ? `time ratio (median of pairs) ${ratio.toFixed(3)}` : ''}`);
}

// --- the JS loops
{
  const x = Float32Array.from({ length: T * n }, (_, i) => ((i * 2654435761) % 1000) / 400 - 0.5);
  const dy = Float32Array.from({ length: T * n }, (_, i) => ((i * 40503) % 1000) / 500 - 1);
  const y = new Float32Array(T * n);
  const h = new Float32Array(T * n);
  const dx = new Float32Array(T * n);
  const sg = surrogateDerivative(surrogate);
  const forward = paired(
    () => kernel.forward(x, [y, h], lifted.constants, T, n, n, 0),
    () => neuronForward(x, y, h, oldCfg),
  );
  record('js forward', forward);
  const backward = paired(
    () => kernel.backward(dy, [y, h], null, dx, lifted.constants, T, n, n, sg),
    () => neuronBackward(dy, y, h, dx, oldCfg),
  );
  record('js backward', backward);
}

/** Forward + backward of one layer through tfjs, disposing everything. */
function step(run) {
  return () => {
    const x = tf.randomUniform([T * B, 32, 28, 28], -0.5, 2);
    const r = tf.randomUniform([T * B, 32, 28, 28], -1, 1);
    const g = tf.grad((xi) => tf.sum(tf.mul(run(xi), r)))(x);
    g.dataSync();
    tf.dispose([x, r, g]);
  };
}

for (const backend of ['wasm', 'tensorflow']) {
  try {
    await loadBackend(backend);
  } catch (e) {
    console.log(`${backend}: not available here (${e instanceof Error ? e.message : e})`);
    continue;
  }
  if (backend === 'wasm') {
    const times = [];
    const f = step((xi) => fusedNeuron(xi, { lifted, steps: T, staticInput: false, surrogate }));
    f();
    for (let k = 0; k < REPS; k++) {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    }
    record('wasm fused', { generated: median(times), handwritten: undefined });
  } else {
    const r = paired(
      step((xi) => planBpttNeuron(xi, { plan: planned.plan, steps: T, staticInput: false, surrogate })),
      step((xi) => bpttNeuron(xi, { ...oldCfg, staticInput: false })),
    );
    record('tf bptt', r);
  }
}

if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(rows, null, 2)}\n`);
