import type { BuiltConnection, BuiltNetwork } from './built.js';
import type { Populations } from './sim-populations.js';
import { FilterState } from './synapses.js';

/** One connection at run time. */
export interface ConnRuntime {
  c: BuiltConnection;
  /** For a function of a sliced input: the sliced value and the expression environment. */
  fnEnv: { t: number; x: Float64Array; vars: Record<string, Float64Array> } | null;
  /** The source rows this run uses (a copy when learned, so `reset` restores them). */
  rows: Float64Array | null;
  u: Float64Array;
  v: Float64Array;
  /** The synapse (width or post dims wide), null without one. */
  filter: FilterState | null;
  /** The value delivered to the post this step (read by Voja). */
  delivered: Float64Array;
}

export function connectionRuntime(c: BuiltConnection, built: BuiltNetwork, inputVars: Record<string, Float64Array>): ConnRuntime {
  const src = c.source;
  const stateLen = c.filterBeforeTransform ? c.width : c.post.dims;
  const learnsRows = c.learning !== null && c.learning.rule.kind !== 'voja';
  return {
    c,
    fnEnv: src.kind === 'input' && src.fn !== null ? { t: 0, x: new Float64Array(src.slice?.length ?? built.inputs[src.input]!.dims), vars: inputVars } : null,
    rows: src.kind === 'neurons' ? (learnsRows ? Float64Array.from(src.rows) : src.rows) : null,
    u: new Float64Array(c.width),
    v: new Float64Array(c.post.dims),
    filter: c.synapse === null ? null : FilterState.of(c.synapse, built.dt, stateLen),
    delivered: new Float64Array(c.post.dims),
  };
}

/** What connections read: input and node values, the neurons' outputs, the time. */
export interface ConnectionSources {
  inputVals: Float64Array[];
  pop: Populations;
  /** Simulated time of the current step, s. */
  time: () => number;
}

export interface ConnectionOps {
  /** u = the connection's source value this step (before transform and filter). */
  sourceValue(cr: ConnRuntime): Float64Array;
  applyTransform(cr: ConnRuntime, u: Float64Array): Float64Array;
  /** Adds what the connection delivers this step into `dst` (its synapse's output, or this step's value). */
  deliver(cr: ConnRuntime, dst: Float64Array): void;
  /** Advances a connection's synapse with this step's value (its target reads it next step). */
  advance(cr: ConnRuntime): void;
}

export function connectionOps(src: ConnectionSources): ConnectionOps {
  const { inputVals, pop } = src;
  const { out, active, activeCount } = pop;

  function sourceValue(cr: ConnRuntime): Float64Array {
    const s = cr.c.source;
    const u = cr.u;
    if (s.kind === 'input') {
      const val = inputVals[s.input]!;
      if (s.fn === null) {
        if (s.slice === null) u.set(val);
        else for (let i = 0; i < s.slice.length; i++) u[i] = val[s.slice[i]!]!;
      } else {
        const env = cr.fnEnv!;
        env.t = src.time();
        if (s.slice === null) env.x.set(val);
        else for (let i = 0; i < s.slice.length; i++) env.x[i] = val[s.slice[i]!]!;
        for (let i = 0; i < s.fn.length; i++) u[i] = s.fn[i]!(env);
      }
      return u;
    }
    u.fill(0);
    const w = cr.c.width;
    const rows = cr.rows!;
    const o = out[s.ensemble]!;
    if (s.slice === null) {
      // only neurons that produced output this step cost anything
      const act = active[s.ensemble]!;
      const cnt = activeCount[s.ensemble]!;
      for (let q = 0; q < cnt; q++) {
        const i = act[q]!;
        const a = o[i]!;
        const base = i * w;
        for (let c = 0; c < w; c++) u[c] = u[c]! + a * rows[base + c]!;
      }
    } else {
      for (let j = 0; j < s.slice.length; j++) {
        const a = o[s.slice[j]!]!;
        if (a === 0) continue;
        const base = j * w;
        for (let c = 0; c < w; c++) u[c] = u[c]! + a * rows[base + c]!;
      }
    }
    return u;
  }

  function applyTransform(cr: ConnRuntime, u: Float64Array): Float64Array {
    const t = cr.c.transform;
    if (t === null) return u;
    const v = cr.v;
    const w = cr.c.width;
    for (let r = 0; r < v.length; r++) {
      let s = 0;
      for (let c = 0; c < w; c++) s += t[r * w + c]! * u[c]!;
      v[r] = s;
    }
    return v;
  }

  function deliveredValue(cr: ConnRuntime): Float64Array {
    if (cr.filter === null) return applyTransform(cr, sourceValue(cr));
    return cr.c.filterBeforeTransform ? applyTransform(cr, cr.filter.output) : cr.filter.output;
  }

  function deliver(cr: ConnRuntime, dst: Float64Array): void {
    const v = deliveredValue(cr);
    const sl = cr.c.post.slice;
    const scale = cr.c.postScale;
    if (cr.c.learning?.rule.kind === 'voja') cr.delivered.set(v);
    if (sl === null) {
      if (scale === null) for (let i = 0; i < v.length; i++) dst[i] = dst[i]! + v[i]!;
      else for (let i = 0; i < v.length; i++) dst[i] = dst[i]! + scale[i]! * v[i]!;
    } else if (scale === null) for (let i = 0; i < sl.length; i++) dst[sl[i]!] = dst[sl[i]!]! + v[i]!;
    else for (let i = 0; i < sl.length; i++) dst[sl[i]!] = dst[sl[i]!]! + scale[i]! * v[i]!;
  }

  function advance(cr: ConnRuntime): void {
    cr.filter!.step(cr.c.filterBeforeTransform ? sourceValue(cr) : applyTransform(cr, sourceValue(cr)));
  }

  return { sourceValue, applyTransform, deliver, advance };
}
