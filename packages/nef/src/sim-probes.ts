import type { BuiltNetwork, BuiltProbe } from './built.js';
import { learnedShape } from './build.js';
import type { ConnRuntime } from './sim-connections.js';
import type { Populations } from './sim-populations.js';
import { FilterState } from './synapses.js';

/** A probe's recording so far: one Float64Array per recorded column, all `length` long. */
export interface ProbeData {
  name: string;
  dims: number;
  /** Column names for CSV headers: `name` for one column, `name[i]` otherwise. */
  columns: string[];
  data: Float64Array[];
  /** The probe's `expect` evaluated at every step, or null. */
  expected: Float64Array[] | null;
}

interface ProbeRuntime {
  p: BuiltProbe;
  value: Float64Array;
  filter: FilterState | null;
  buffers: Float64Array[];
  expected: Float64Array[] | null;
  columns: string[];
}

/** The probes of a simulation and the time stamps, in buffers that grow by doubling. */
export interface ProbeRecorder {
  /** Records step `row` (0-based) at time t (s). */
  record(row: number, t: number): void;
  times(steps: number): Float64Array;
  data(name: string, steps: number): ProbeData;
  names(): string[];
  reset(): void;
}

export function probeRecorder(built: BuiltNetwork, pop: Populations, inputVals: Float64Array[], inputVars: Record<string, Float64Array>, conns: ConnRuntime[]): ProbeRecorder {
  const { out, active, activeCount, states, encoders } = pop;
  let capacity = Math.max(16, built.steps);
  let tBuf: Float64Array = new Float64Array(capacity);
  const probes: ProbeRuntime[] = built.probes.map((p) => ({
    p,
    value: new Float64Array(p.dims),
    filter: p.synapse === null ? null : FilterState.of(p.synapse, built.dt, p.dims),
    buffers: Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    expected: p.expectFns === null ? null : Array.from({ length: p.dims }, () => new Float64Array(capacity)),
    columns: p.dims === 1 ? [p.name] : Array.from({ length: p.dims }, (_, i) => `${p.name}[${i}]`),
  }));
  const byName = new Map(probes.map((pr) => [pr.p.name, pr]));
  const exprEnv = { t: 0, x: new Float64Array(0), vars: inputVars };

  function grow(): void {
    capacity *= 2;
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    tBuf = g(tBuf);
    for (const pr of probes) {
      pr.buffers = pr.buffers.map(g);
      if (pr.expected !== null) pr.expected = pr.expected.map(g);
    }
  }

  function probeValue(pr: ProbeRuntime): Float64Array {
    const s = pr.p.source;
    const v = pr.value;
    switch (s.kind) {
      case 'input': {
        const val = inputVals[s.input]!;
        if (s.slice === null) v.set(val);
        else for (let i = 0; i < s.slice.length; i++) v[i] = val[s.slice[i]!]!;
        return v;
      }
      case 'decoded': {
        v.fill(0);
        const w = pr.p.dims;
        const o = out[s.ensemble]!;
        const act = active[s.ensemble]!;
        const cnt = activeCount[s.ensemble]!;
        for (let q = 0; q < cnt; q++) {
          const i = act[q]!;
          const a = o[i]!;
          for (let c = 0; c < w; c++) v[c] = v[c]! + a * s.decoders[i * w + c]!;
        }
        return v;
      }
      case 'spikes':
      case 'voltage': {
        const src = s.kind === 'spikes' ? out[s.ensemble]! : states[s.ensemble]!.voltage;
        if (s.slice === null) v.set(src);
        else for (let i = 0; i < s.slice.length; i++) v[i] = src[s.slice[i]!]!;
        return v;
      }
      case 'weights':
      case 'weights_norm':
        return learnedValue(s.connection, s.kind === 'weights_norm', v);
      default: {
        const never: never = s;
        throw new Error(`unknown probe source ${JSON.stringify(never)}`);
      }
    }
  }

  /** A connection's learned matrix in Nengo's layout (post x pre; Voja: n x dims), or its norm. */
  function learnedValue(ci: number, norm: boolean, v: Float64Array): Float64Array {
    const c = built.connections[ci]!;
    const voja = c.learning?.rule.kind === 'voja';
    const m = voja ? encoders[c.learning!.post]! : (conns[ci]!.rows ?? new Float64Array(0));
    if (norm) {
      let s = 0;
      for (let i = 0; i < m.length; i++) s += m[i]! * m[i]!;
      v[0] = Math.sqrt(s);
      return v;
    }
    if (voja) {
      v.set(m);
      return v;
    }
    const { rows, cols } = learnedShape(c, built.ensembles);
    // stored pre-major (pre i, post o at i * rows + o); recorded post-major as Nengo's weights
    for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) v[o * cols + i] = m[i * rows + o]!;
    return v;
  }

  return {
    record(row, t) {
      if (row >= capacity) grow();
      // stored rounded to 12 significant digits so that CSV shows 0.009, not 0.009000000000000001
      tBuf[row] = +t.toPrecision(12);
      exprEnv.t = t;
      for (const pr of probes) {
        const val = probeValue(pr);
        const f = pr.filter;
        if (f === null) {
          for (let c = 0; c < val.length; c++) pr.buffers[c]![row] = val[c]!;
        } else {
          // a probe's filter also reads its input one step late, as in Nengo
          const y = f.output;
          for (let c = 0; c < val.length; c++) pr.buffers[c]![row] = y[c]!;
          f.step(val);
        }
        if (pr.expected !== null) {
          const fns = pr.p.expectFns!;
          for (let c = 0; c < fns.length; c++) pr.expected[c]![row] = fns[c]!(exprEnv);
        }
      }
    },
    times(steps) {
      return tBuf.subarray(0, steps);
    },
    data(name, steps) {
      const pr = byName.get(name);
      if (pr === undefined) throw new Error(`probe: no probe named ${name} (probes: ${[...byName.keys()].join(', ') || 'none'})`);
      return {
        name,
        dims: pr.p.dims,
        columns: pr.columns,
        data: pr.buffers.map((b) => b.subarray(0, steps)),
        expected: pr.expected?.map((b) => b.subarray(0, steps)) ?? null,
      };
    },
    names() {
      return probes.map((pr) => pr.p.name);
    },
    reset() {
      for (const pr of probes) pr.filter?.reset();
    },
  };
}
