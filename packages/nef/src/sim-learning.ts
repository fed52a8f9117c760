import type { BuiltNetwork } from './built.js';
import { makeRule, type RuleRuntime } from './learning.js';
import type { ConnectionOps, ConnRuntime } from './sim-connections.js';
import type { Populations } from './sim-populations.js';

/** The learning rules of a simulation: their signals, and the updates of each step. */
export interface LearningStage {
  readonly count: number;
  /** Rule signals read this step's deliveries (before the synapses advance), like ensembles. */
  readSignals(): void;
  /** Weight updates, after the connections have used this step's weights. */
  apply(): void;
  reset(): void;
}

export function learningStage(built: BuiltNetwork, conns: ConnRuntime[], incoming: ConnRuntime[][], pop: Populations, ops: ConnectionOps): LearningStage {
  const { out, encoders } = pop;
  const ens = built.ensembles;
  // the signals: PES error (post dims), Voja learning signal (1)
  const signal = built.connections.map((c) => new Float64Array(c.learning?.signalDims ?? 0));
  /** `gather`: a sliced pre's activities, copied into `buf` each step. */
  const rules: { conn: number; voja: boolean; rt: RuleRuntime; gather: { buf: Float64Array; from: Float64Array; slice: Int32Array } | null }[] = [];
  built.connections.forEach((c, ci) => {
    const l = c.learning;
    if (l === null) return;
    const cr = conns[ci]!;
    const voja = l.rule.kind === 'voja';
    const post = ens[l.post]!;
    const src = c.source;
    const gather = l.pre !== null && src.kind === 'neurons' && src.slice !== null ? { buf: new Float64Array(src.slice.length), from: out[l.pre]!, slice: src.slice } : null;
    const preOut = l.pre === null ? null : gather !== null ? gather.buf : out[l.pre]!;
    rules.push({
      conn: ci,
      voja,
      gather,
      rt: makeRule({
        rule: l.rule,
        dt: built.dt,
        weights: voja ? encoders[l.post]! : cr.rows!,
        width: voja ? post.dims : c.width,
        preOut,
        postOut: out[l.post]!,
        signal: signal[ci]!,
        delivered: voja ? cr.delivered : null,
        encoderScale: voja ? post.gain.map((g) => g / post.radius) : null,
      }),
    });
  });
  return {
    count: rules.length,
    readSignals() {
      for (const { conn, voja } of rules) {
        const sig = signal[conn]!;
        const inc = incoming[conn]!;
        if (voja && inc.length === 0) {
          sig[0] = 1; // Voja learns unless a connection says otherwise (Nengo's default)
          continue;
        }
        sig.fill(0);
        for (const cr of inc) ops.deliver(cr, sig);
      }
    },
    apply() {
      for (const r of rules) {
        const g = r.gather;
        if (g !== null) for (let j = 0; j < g.slice.length; j++) g.buf[j] = g.from[g.slice[j]!]!;
        r.rt.apply();
      }
    },
    reset() {
      for (const r of rules) r.rt.reset();
    },
  };
}
