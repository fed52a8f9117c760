import type { BuiltNetwork } from './built.js';
import { isSpiking } from './neurons.js';

/** One ensemble's activity over a run. */
export interface EnsembleActivity {
  name: string;
  neurons: number;
  /** Spiking neuron type (LIF, SpikingReLU); rate types (LIFRate, ReLU) emit no spikes. */
  spiking: boolean;
  /** Mean spike rate per neuron, Hz; null for rate neurons. */
  rateHz: number | null;
  /** Spikes of the whole ensemble per simulated second; null for rate neurons. */
  spikesPerSecond: number | null;
  /** Synaptic operations its spikes trigger per simulated second (see {@link networkActivity}). */
  synopsPerSecond: number;
}

export interface NetworkActivity {
  /** Simulated seconds the counts cover. */
  seconds: number;
  ensembles: EnsembleActivity[];
  total: { spikesPerSecond: number; synopsPerSecond: number };
}

/**
 * Spike rates and SynOps per simulated second from a simulator's per-ensemble spike counts
 * (Simulator.spikeCounts) over `seconds`. A spike reaches every synapse of a full weight
 * matrix, the count a neuromorphic chip performs: all neurons of a post ensemble for a decoded
 * connection into it (its encoders fan the decoded value out to every neuron), the selected
 * neurons for a `.neurons` connection, the dimensions of a node or learning signal. The
 * simulator itself works factored (decoders, then encoders) and does fewer operations. A
 * connection from a slice of an ensemble's neurons is charged that slice's share of its spikes.
 */
export function networkActivity(built: BuiltNetwork, spikeCounts: ArrayLike<number>, seconds: number): NetworkActivity {
  const per = (x: number) => (seconds > 0 ? x / seconds : 0);
  const synops = new Float64Array(built.ensembles.length);
  for (const c of built.connections) {
    if (c.source.kind !== 'neurons') continue;
    const pre = built.ensembles[c.source.ensemble]!;
    if (!isSpiking(pre.neuron)) continue;
    const share = c.source.slice === null ? 1 : c.source.slice.length / pre.n;
    const post = c.post;
    const fanout =
      post.kind === 'ensemble' ? built.ensembles[post.ensemble]!.n : post.kind === 'neurons' ? (post.slice?.length ?? built.ensembles[post.ensemble]!.n) : post.dims;
    synops[c.source.ensemble] = synops[c.source.ensemble]! + spikeCounts[c.source.ensemble]! * share * fanout;
  }
  const ensembles = built.ensembles.map((e, i): EnsembleActivity => {
    const spiking = isSpiking(e.neuron);
    const spikes = spiking ? spikeCounts[i]! : null;
    return {
      name: e.name,
      neurons: e.n,
      spiking,
      rateHz: spikes === null ? null : per(spikes) / e.n,
      spikesPerSecond: spikes === null ? null : per(spikes),
      synopsPerSecond: per(synops[i]!),
    };
  });
  return {
    seconds,
    ensembles,
    total: {
      spikesPerSecond: ensembles.reduce((s, e) => s + (e.spikesPerSecond ?? 0), 0),
      synopsPerSecond: ensembles.reduce((s, e) => s + e.synopsPerSecond, 0),
    },
  };
}

/** `12.3k`-style numbers for the activity table. */
function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(a < 10 ? 2 : 1);
}

/** One line: `rates A 118 Hz, B 114 Hz; 1.18M SynOps per simulated second`; empty without spiking ensembles. */
export function activityLine(a: NetworkActivity): string {
  const spiking = a.ensembles.filter((e) => e.rateHz !== null);
  if (spiking.length === 0) return '';
  return `rates ${spiking.map((e) => `${e.name} ${e.rateHz!.toFixed(0)} Hz`).join(', ')}; ${compact(a.total.synopsPerSecond)} SynOps per simulated second`;
}

/** Rows for `snnc run`: ensemble, neurons, rate (Hz), spikes/s, SynOps/s. */
export function activityRows(a: NetworkActivity): string[][] {
  const rows = [['ensemble', 'neurons', 'rate (Hz)', 'spikes/s', 'SynOps/s']];
  for (const e of a.ensembles) {
    rows.push([e.name, String(e.neurons), e.rateHz === null ? 'rate neurons' : e.rateHz.toFixed(1), e.spikesPerSecond === null ? '-' : compact(e.spikesPerSecond), compact(e.synopsPerSecond)]);
  }
  rows.push(['total', '', '', compact(a.total.spikesPerSecond), compact(a.total.synopsPerSecond)]);
  return rows;
}
