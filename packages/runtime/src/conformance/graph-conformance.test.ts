import * as tf from '@tensorflow/tfjs-core';
import { recurrentGroups, type Layer, type Model } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { planGraph } from '../model/graph-plan.js';
import { lifDef } from '../model/__tests__/models.js';
import { buildNodes } from '../model/network-nodes.js';
import { collectWeights } from '../model/network-weights.js';
import { loadBackend } from '../node/backend/index.js';
import { firstEpochLoss, lossAndGradients, maxDiff } from './__tests__/tiny.js';
import { useWebgpu } from './__tests__/webgpu.js';

/**
 * Backend conformance for graph models (issue 11): a residual add (run once over all T steps,
 * fused neuron kernels) and a recurrent loop through a one-step delay (run step by step, BPTT)
 * give the same loss and gradients on wasm and webgpu as on cpu, and the same losses over a
 * few Adam steps on webgpu as on wasm. webgpu runs on a software driver here
 * (tools/setup-webgpu-driver.sh); without one its cases are skipped with the reason printed.
 */
function graphModel(): Model {
  // A low threshold keeps every layer spiking at these widths, so gradients are signal.
  const lif = lifDef({ tau: 2, threshold: 0.1 });
  const layers: Layer[] = [
    { kind: 'dense', id: 'dense_0', inShape: [6], outShape: [8], units: 8, bias: true },
    { kind: 'neuron', id: 'neuron_0', inShape: [8], outShape: [8], neuron: lif, name: 'a' },
    { kind: 'dense', id: 'dense_1', inShape: [8], outShape: [8], units: 8, bias: true },
    { kind: 'neuron', id: 'neuron_1', inShape: [8], outShape: [8], neuron: lif },
    // the residual: a SEW block's spikes added to its input's
    { kind: 'add', id: 'add_0', inShape: [8], outShape: [8], inputs: ['neuron_1', 'neuron_0'] },
    { kind: 'dense', id: 'dense_2', inShape: [8], outShape: [8], units: 8, bias: true },
    // the loop: h = lif(dense_2(add_0) + dense_3(delay(h))), snnTorch's RLeaky all_to_all
    { kind: 'add', id: 'add_1', inShape: [8], outShape: [8], inputs: ['dense_2', 'dense_3'] },
    { kind: 'neuron', id: 'neuron_2', inShape: [8], outShape: [8], neuron: lif, name: 'h' },
    { kind: 'delay', id: 'delay_0', inShape: [8], outShape: [8], steps: 1, inputs: ['neuron_2'] },
    { kind: 'dense', id: 'dense_3', inShape: [8], outShape: [8], units: 8, bias: false },
    { kind: 'dense', id: 'dense_4', inShape: [8], outShape: [4], units: 4, bias: true, inputs: ['neuron_2'] },
    { kind: 'neuron', id: 'neuron_3', inShape: [4], outShape: [4], neuron: lif },
  ];
  return { name: 'resloop', params: {}, input: [6], steps: 4, encoder: { kind: 'direct' }, layers, decoder: { kind: 'rate' }, outputShape: [4] };
}

type Grads = Awaited<ReturnType<typeof lossAndGradients>>;


const webgpuDetail = await useWebgpu();
await loadBackend('cpu');

describe('backend conformance: one batch of a graph model with a residual add and a recurrent loop', () => {
  const model = graphModel();
  let ref: Grads;

  it('the model has the loop and the residual; cpu reference: finite loss, non-zero gradients', async () => {
    expect(recurrentGroups(model)).toEqual([['add_1', 'neuron_2', 'delay_0', 'dense_3']]);
    await loadBackend('cpu');
    ref = await lossAndGradients(model, 8, 3);
    expect(Number.isFinite(ref.loss)).toBe(true);
    expect(ref.loss).toBeGreaterThan(0);
    // 5 dense kernels, 4 biases (the recurrent dense has none)
    expect(Object.keys(ref.grads).sort()).toEqual(
      ['dense_0/bias', 'dense_0/kernel', 'dense_1/bias', 'dense_1/kernel', 'dense_2/bias', 'dense_2/kernel', 'dense_3/kernel', 'dense_4/bias', 'dense_4/kernel'],
    );
    // dense_3's kernel gradient is the delayed spikes times dL/d(add_1): non-zero only if the loop spikes
    for (const [n, g] of Object.entries(ref.grads)) expect(maxDiff(new Float32Array(g.length), g).scale, n).toBeGreaterThan(0);
  });

  it.each(['wasm', 'webgpu'] as const)('%s: same loss and gradients as cpu (float32 rounding)', async (backend) => {
    if (backend === 'webgpu') {
      if (webgpuDetail === null) return; // reason printed by useWebgpu
      await useWebgpu();
    } else await loadBackend(backend);
    const got = await lossAndGradients(model, 8, 3);
    expect(tf.getBackend()).toBe(backend);
    expect(Math.abs(got.loss - ref.loss)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.loss)));
    expect(Object.keys(got.grads).sort()).toEqual(Object.keys(ref.grads).sort());
    for (const [name, g] of Object.entries(ref.grads)) {
      const { diff, scale } = maxDiff(got.grads[name]!, g);
      expect(diff, `${name} on ${backend}: max |diff| ${diff} at scale ${scale}`).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, scale));
    }
  });
});

describe.skipIf(webgpuDetail === null)(`training parity for a graph model: webgpu (${webgpuDetail ?? 'none'}) against wasm`, () => {
  it('the same per-step losses over four Adam steps (each later loss depends on the weights trained before it)', async () => {
    await loadBackend('wasm');
    const wasm = await firstEpochLoss(graphModel(), 32, 8, 5);
    await useWebgpu();
    const gpu = await firstEpochLoss(graphModel(), 32, 8, 5);
    expect(gpu.perStep).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(gpu.perStep[i]! - wasm.perStep[i]!), `step ${i}`).toBeLessThanOrEqual(1e-4);
    // the output layer spikes: a silent one gives the same loss (1/4) on every batch
    expect(new Set(wasm.perStep.map((l) => l.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('on webgpu the feed-forward neurons run the fused kernel once over all steps; the loop runs step by step', async () => {
    await useWebgpu();
    const model = graphModel();
    const nodes = buildNodes(model, 1, 'auto');
    try {
      const plan = planGraph(model, nodes);
      const fused = plan.units.flatMap((u) => (u.kind === 'node' && u.node.op.kind === 'neuron' && u.node.op.runtime.usesFused(false) ? [u.node.layer.id] : []));
      expect(fused).toEqual(['neuron_0', 'neuron_1', 'neuron_3']);
      const loops = plan.units.flatMap((u) => (u.kind === 'loop' ? [u.nodes.map((n) => n.layer.id)] : []));
      // within a step the delay runs first: it reads the previous step's h
      expect(loops).toEqual([['delay_0', 'dense_3', 'add_1', 'neuron_2']]);
    } finally {
      for (const v of collectWeights(nodes).variables.values()) v.dispose();
    }
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});
