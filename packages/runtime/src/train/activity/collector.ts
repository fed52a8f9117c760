import * as tf from '@tensorflow/tfjs-core';
import { assertNever, type DataSpec, type Layer, type Model } from '@snnc/ir';
import type { LayerProbe } from '../../model/network.js';
import { planActivity, type LayerPlan } from './plan.js';

/** Totals of one layer since the last reset, over every sample and step seen. */
export interface LayerCounts {
  /** Neuron layers: spikes per neuron (flattened NHWC order); null for other layers. */
  spikes: Float64Array | null;
  synops: number;
  macs: number;
  /** Neuron state updates: neurons x steps x samples. */
  stateUpdates: number;
}

export interface ActivityCounts {
  samples: number;
  /** By layer id, in layer order. */
  layers: Map<string, LayerCounts>;
}

interface Pending {
  spikes: tf.Tensor | null;
  synops: tf.Tensor | null;
  macs: number;
  stateUpdates: number;
}

interface Totals {
  spikes: tf.Tensor | null;
  /** One scalar per batch, summed in float64 on read (float32 sums lose counts past 2^24). */
  synops: tf.Tensor[];
  hostSynops: number;
  macs: number;
  stateUpdates: number;
}

export interface CollectorOptions {
  /** Count SynOps (extra reductions per synaptic layer); off in training, where only rates matter. */
  synops: boolean;
  /** The data fed in: event data (SHD, N-MNIST) makes the first layer's input spikes. */
  data?: DataSpec;
}

/**
 * A forward-pass probe that counts spikes per neuron, SynOps and MACs on the device, batch by
 * batch, without reading anything back until {@link read}. Call {@link endBatch} after each
 * forward pass that completed (the tensors it saw are kept until then), {@link dropBatch} after
 * one that failed, and {@link dispose} at the end.
 */
export class ActivityCollector implements LayerProbe {
  readonly plans: readonly LayerPlan[];
  private readonly byId: Map<string, LayerPlan>;
  private readonly opts: CollectorOptions;
  private pending = new Map<string, Pending>();
  private totals = new Map<string, Totals>();
  private samples = 0;
  /** The last completed batch: spikes per neuron layer (scalars) and its samples. */
  private lastBatch: { spikes: Map<string, tf.Tensor>; samples: number } | null = null;

  constructor(model: Model, opts: CollectorOptions) {
    this.plans = planActivity(model, opts.data);
    this.byId = new Map(this.plans.map((p) => [p.layer.id, p]));
    this.opts = opts;
    this.reset();
  }

  layer(layer: Layer, input: tf.Tensor, output: tf.Tensor): void {
    const plan = this.byId.get(layer.id);
    if (plan === undefined) return;
    const rows = input.shape[0]!;
    const p = this.pendingOf(layer.id);
    const r = plan.role;
    switch (r.role) {
      case 'neuron': {
        const outRows = output.shape[0]!;
        p.spikes = accumulate(p.spikes, tf.sum(tf.reshape(output, [outRows, r.neurons]), 0));
        p.stateUpdates += outRows * r.neurons;
        break;
      }
      case 'synaptic':
        if (r.input === 'analog') p.macs += rows * r.connections;
        else if (this.opts.synops) p.synops = accumulate(p.synops, spikeSynops(input, r.fanout));
        break;
      case 'affine':
        p.macs += rows * r.elementsPerRow;
        break;
      case 'free':
        break;
      default:
        assertNever(r);
    }
  }

  /** The forward pass over `samples` samples completed: its counts join the totals. */
  endBatch(samples: number): void {
    this.disposeLastBatch();
    const batchSpikes = new Map<string, tf.Tensor>();
    for (const [id, p] of this.pending) {
      const t = this.totals.get(id)!;
      if (p.spikes !== null) {
        batchSpikes.set(id, tf.sum(p.spikes));
        if (t.spikes === null) t.spikes = p.spikes;
        else {
          const sum = tf.add(t.spikes, p.spikes);
          t.spikes.dispose();
          p.spikes.dispose();
          t.spikes = sum;
        }
      }
      if (p.synops !== null) t.synops.push(p.synops);
      t.macs += p.macs;
      t.stateUpdates += p.stateUpdates;
    }
    this.pending.clear();
    this.samples += samples;
    this.lastBatch = { spikes: batchSpikes, samples };
  }

  /**
   * The last completed batch's spikes per neuron layer (read back and freed): what a trainer
   * keeps in its resumable state, since totals on the device do not survive a snapshot.
   */
  async lastBatchSpikes(): Promise<{ samples: number; spikes: Record<string, number> }> {
    const last = this.lastBatch;
    if (last === null) return { samples: 0, spikes: {} };
    const spikes: Record<string, number> = {};
    for (const [id, t] of last.spikes) spikes[id] = (await t.data())[0]!;
    this.disposeLastBatch();
    return { samples: last.samples, spikes };
  }

  private disposeLastBatch(): void {
    if (this.lastBatch !== null) tf.dispose([...this.lastBatch.spikes.values()]);
    this.lastBatch = null;
  }

  /** Forgets the counts of a forward pass that did not complete. */
  dropBatch(): void {
    for (const p of this.pending.values()) tf.dispose([p.spikes, p.synops].filter((t): t is tf.Tensor => t !== null));
    this.pending.clear();
  }

  /** Totals since the last reset (reads the device asynchronously: webgpu cannot read synchronously in Node). */
  async read(): Promise<ActivityCounts> {
    const layers = new Map<string, LayerCounts>();
    for (const plan of this.plans) {
      const t = this.totals.get(plan.layer.id)!;
      for (const s of t.synops) t.hostSynops += (await s.data())[0]!;
      tf.dispose(t.synops);
      t.synops = [];
      let spikes: Float64Array | null = null;
      if (plan.role.role === 'neuron') {
        spikes = t.spikes === null ? new Float64Array(plan.role.neurons) : Float64Array.from(await t.spikes.data());
      }
      layers.set(plan.layer.id, { spikes, synops: t.hostSynops, macs: t.macs, stateUpdates: t.stateUpdates });
    }
    return { samples: this.samples, layers };
  }

  reset(): void {
    this.dropBatch();
    this.disposeLastBatch();
    for (const t of this.totals.values()) tf.dispose([...(t.spikes ? [t.spikes] : []), ...t.synops]);
    this.totals = new Map(this.plans.map((p) => [p.layer.id, { spikes: null, synops: [], hostSynops: 0, macs: 0, stateUpdates: 0 }]));
    this.samples = 0;
  }

  dispose(): void {
    this.reset();
  }

  private pendingOf(id: string): Pending {
    let p = this.pending.get(id);
    if (p === undefined) {
      p = { spikes: null, synops: null, macs: 0, stateUpdates: 0 };
      this.pending.set(id, p);
    }
    return p;
  }
}

/**
 * `total + next`, kept past the forward's tidy (a layer run step by step, as in a recurrent
 * graph, reports once per step).
 */
function accumulate(total: tf.Tensor | null, next: tf.Tensor): tf.Tensor {
  if (total === null) return tf.keep(next);
  const sum = tf.keep(tf.add(total, next));
  total.dispose();
  return sum;
}

/**
 * SynOps of one spike-fed layer for this batch: every non-zero input (a spike; dropout's
 * scaling keeps zeros zero) times the number of synapses it reaches. A scalar tensor.
 */
function spikeSynops(input: tf.Tensor, fanout: Extract<LayerPlan['role'], { role: 'synaptic' }>['fanout']): tf.Tensor {
  return tf.tidy(() => {
    const events = tf.cast(tf.notEqual(input, 0), 'float32');
    if (fanout.kind === 'dense') return tf.mul(tf.sum(events), fanout.units);
    // NHWC (or NLC): events per position over rows and channels, weighted by its fan-out.
    const perPixel = tf.sum(events, [0, input.rank - 1]);
    const map = tf.tensor(fanout.map, fanout.spatial, 'float32');
    return tf.mul(tf.sum(tf.mul(perPixel, map)), fanout.filters);
  });
}
