/// <reference lib="webworker" />
import { activityLine, networkActivity, simulate, type Simulator } from '@snnc/nef';
import { assertNever, isSnncError } from '@snnc/ir';
import { KEEP_RUNNING_LIMIT_S, RASTER_NEURONS, WEIGHT_LINES, type Frame, type NefRequest, type NefResponse, type ProbeMeta, type SimSpeed } from './protocol.js';

/**
 * Runs an NEF network step by step off the UI thread, paced to the wall clock, and streams
 * new probe samples to the page about 30 times a second. Slider moves arrive as messages
 * between chunks and change the running simulation (Simulator.setInput), as in nengo-gui.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: NefResponse, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Wall time per simulation slice, ms: keeps messages (sliders, stop) answered promptly. */
const SLICE_MS = 30;

let current: { sim: Simulator; stop: boolean; probes: ProbeMeta[] } | undefined;

scope.onmessage = (ev: MessageEvent<NefRequest>) => {
  const m = ev.data;
  switch (m.kind) {
    case 'start':
      if (current) current.stop = true;
      void start(m.network, m.speed, m.keepRunning);
      return;
    case 'set-input':
      if (!current) return;
      try {
        current.sim.setInput(m.name, m.value);
      } catch (e) {
        post({ kind: 'error', message: messageOf(e) });
      }
      return;
    case 'stop':
      if (current) current.stop = true;
      return;
    default:
      assertNever(m);
  }
};

async function start(network: Parameters<typeof simulate>[0], speed: SimSpeed, keepRunning: boolean): Promise<void> {
  const t0 = performance.now();
  let sim: Simulator;
  try {
    sim = simulate(network);
  } catch (e) {
    post({ kind: 'error', message: messageOf(e) });
    return;
  }
  const probes: ProbeMeta[] = network.probes.map((p) => {
    const data = sim.probe(p.name);
    return { name: p.name, attr: p.attr, columns: data.columns, shown: p.attr === 'spikes' ? Math.min(RASTER_NEURONS, data.dims) : p.attr === 'weights' ? Math.min(WEIGHT_LINES, data.dims) : 0, hasExpected: data.expected !== null };
  });
  const run = { sim, stop: false, probes };
  current = run;
  post({ kind: 'built', probes, buildMs: performance.now() - t0, runTime: network.runTime, dt: sim.dt });

  const dt = sim.dt;
  const scripted = Math.round(network.runTime / dt);
  const limit = keepRunning ? scripted + Math.round(KEEP_RUNNING_LIMIT_S / dt) : scripted;
  const wallStart = performance.now();
  // Pacing: the scripted part at the chosen speed, then (keep running) real time from where it ended.
  let paceOrigin = { wall: wallStart, steps: 0, rate: speed === 'max' ? Infinity : speed };
  let sent = 0;
  while (!run.stop && sim.steps < limit) {
    const sliceEnd = performance.now() + SLICE_MS;
    while (sim.steps < limit && performance.now() < sliceEnd) {
      if (sim.steps === scripted && paceOrigin.rate !== 1) paceOrigin = { wall: performance.now(), steps: scripted, rate: 1 };
      const due = paceOrigin.steps + ((performance.now() - paceOrigin.wall) / 1000) * (paceOrigin.rate / dt);
      if (sim.steps >= due) break;
      try {
        sim.step();
      } catch (e) {
        post({ kind: 'error', message: messageOf(e) });
        return;
      }
    }
    sent = sendFrame(run.sim, run.probes, sent);
    await new Promise<void>((resolve) => setTimeout(resolve, paceOrigin.rate === Infinity ? 0 : 15));
  }
  sendFrame(run.sim, run.probes, sent);
  if (current === run) current = undefined;
  const reason = run.stop ? 'stopped' : sim.steps >= scripted && keepRunning ? 'limit' : 'finished';
  const activity = networkActivity(sim.built, sim.spikeCounts(), sim.time);
  post({ kind: 'done', reason, simTime: sim.time, wallMs: performance.now() - wallStart, activity, activityText: activityLine(activity) });
}

/** Posts the steps from `from` to now; returns the new count of steps sent. */
function sendFrame(sim: Simulator, probes: ProbeMeta[], from: number): number {
  const to = sim.steps;
  if (to <= from) return from;
  const transfer: Transferable[] = [];
  const copy = (a: Float64Array) => {
    const c = a.slice(from, to);
    transfer.push(c.buffer);
    return c;
  };
  const times = sim.times();
  const frame: Frame = { kind: 'frame', t: copy(times), series: [], spikes: [] };
  for (const p of probes) {
    const d = sim.probe(p.name);
    if (p.attr === 'spikes') {
      const ts: number[] = [];
      const ns: number[] = [];
      for (let n = 0; n < p.shown; n++) {
        const col = d.data[n]!;
        for (let i = from; i < to; i++) {
          if (col[i] !== 0) {
            ts.push(times[i]!);
            ns.push(n);
          }
        }
      }
      const st = Float64Array.from(ts);
      const sn = Int32Array.from(ns);
      transfer.push(st.buffer, sn.buffer);
      frame.spikes.push({ name: p.name, times: st, neurons: sn });
    } else {
      // a learned matrix can have a thousand entries: its plot follows the first few
      const columns = p.attr === 'weights' ? d.data.slice(0, p.shown) : d.data;
      frame.series.push({ name: p.name, columns: columns.map(copy), expected: d.expected?.map(copy) ?? null });
    }
  }
  post(frame, transfer);
  return to;
}

function messageOf(e: unknown): string {
  if (isSnncError(e)) return `${e.code}: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
