import type { EnergyTable, LayerKind, Model } from '@snnc/ir';
import type { ActivityCounts } from './collector.js';
import { shortLabel, type LayerPlan } from './plan.js';

/** One layer's activity and operations, per sample (summary.json `activity.layers[]`). */
export interface LayerActivity {
  /** The layer id (`neuron_1`, `conv2d_0`). */
  name: string;
  /** Short label for compact lines: the source's node name (`h`), else `n1` for neuron layers, else the id. */
  label: string;
  kind: LayerKind | 'decoder';
  /** Neuron layers: the neuron definition's name (`lif`); null otherwise. */
  neuron: string | null;
  /** Neuron layers: neurons in the layer; 0 otherwise. */
  neurons: number;
  /** Spikes per neuron per step, averaged over neurons, steps and samples; null for non-neuron layers. */
  firing_rate: number | null;
  spikes: number | null;
  /** Fractions of neurons that never fired / fired at every step of every sample. */
  silent: number | null;
  saturated: number | null;
  /** Accumulates triggered by spikes. */
  synops: number;
  /** Multiply-accumulates of layers fed by real values (and batch norm, membrane decoding). */
  macs: number;
  state_updates: number;
}

/** summary.json `activity`; every count is per sample. */
export interface ActivitySummary {
  samples: number;
  steps: number;
  layers: LayerActivity[];
  total: {
    synops: number;
    macs: number;
    state_updates: number;
    /** synops x acPj + macs x macPj, joules. */
    energy_j: number;
    /** The same layers run once as a conventional ANN: every connection a MAC. */
    ann_macs: number;
    ann_energy_j: number;
    /** ann_energy_j / energy_j (how many times less energy the SNN estimate is); null when energy_j is 0. */
    ann_ratio: number | null;
  };
  table: EnergyTable;
}

const PJ = 1e-12;

/**
 * Per-sample activity from totals over `counts.samples` samples. Membrane decoding adds
 * steps x outputs MACs (averaging the membrane); rate and count decoding only add spikes and
 * are not counted. The ANN comparison counts each conv/dense connection and each batch-norm
 * element once (one pass, no time steps).
 */
export function summarizeActivity(model: Model, plans: readonly LayerPlan[], counts: ActivityCounts, table: EnergyTable): ActivitySummary {
  const steps = model.steps;
  const n = Math.max(1, counts.samples);
  const layers: LayerActivity[] = [];
  let annMacs = 0;
  for (const plan of plans) {
    const c = counts.layers.get(plan.layer.id);
    if (c === undefined) continue;
    const r = plan.role;
    const a: LayerActivity = {
      name: plan.layer.id,
      label: plan.layer.kind === 'neuron' ? shortLabel(plan.layer) : (plan.layer.name ?? plan.layer.id),
      kind: plan.layer.kind,
      neuron: null,
      neurons: 0,
      firing_rate: null,
      spikes: null,
      silent: null,
      saturated: null,
      synops: c.synops / n,
      macs: c.macs / n,
      state_updates: c.stateUpdates / n,
    };
    if (r.role === 'neuron' && c.spikes !== null) {
      const s = neuronStats(c.spikes, counts.samples * steps);
      Object.assign(a, { neuron: r.neuron, neurons: r.neurons, firing_rate: s.rate, spikes: s.total / n, silent: s.silent, saturated: s.saturated });
    }
    if (r.role === 'synaptic') annMacs += r.connections;
    if (r.role === 'affine') annMacs += r.elementsPerRow;
    layers.push(a);
  }
  if (model.decoder.kind === 'membrane') {
    const outputs = model.outputShape.reduce((a, b) => a * b, 1);
    layers.push({ name: 'decode', label: 'decode', kind: 'decoder', neuron: null, neurons: 0, firing_rate: null, spikes: null, silent: null, saturated: null, synops: 0, macs: outputs * steps, state_updates: 0 });
  }
  const synops = layers.reduce((s, l) => s + l.synops, 0);
  const macs = layers.reduce((s, l) => s + l.macs, 0);
  const energy = energyJoules(synops, macs, table);
  const annEnergy = energyJoules(0, annMacs, table);
  return {
    samples: counts.samples,
    steps,
    layers,
    total: {
      synops,
      macs,
      state_updates: layers.reduce((s, l) => s + l.state_updates, 0),
      energy_j: energy,
      ann_macs: annMacs,
      ann_energy_j: annEnergy,
      ann_ratio: energy > 0 ? annEnergy / energy : null,
    },
    table,
  };
}

/** synops x AC cost + macs x MAC cost, joules. */
export function energyJoules(synops: number, macs: number, table: EnergyTable): number {
  return (synops * table.acPj + macs * table.macPj) * PJ;
}

/**
 * Firing statistics of one neuron layer from per-neuron spike totals over `slots` sample-steps:
 * mean rate, and the fractions of neurons silent (0 spikes) and saturated (a spike in every slot).
 */
export function neuronStats(spikes: ArrayLike<number>, slots: number): { total: number; rate: number; silent: number; saturated: number } {
  const k = spikes.length;
  let total = 0;
  let silent = 0;
  let saturated = 0;
  for (let i = 0; i < k; i++) {
    const s = spikes[i]!;
    total += s;
    if (s === 0) silent++;
    if (slots > 0 && s >= slots) saturated++;
  }
  return { total, rate: k > 0 && slots > 0 ? total / (k * slots) : 0, silent: k > 0 ? silent / k : 0, saturated: k > 0 ? saturated / k : 0 };
}
