import type { Network } from '@snnc/ir';
import { networkActivity, type NetworkActivity } from '../activity.js';
import { buildNetwork, type BuildOptions } from '../build.js';
import { summarizeProbe, type ProbeSummary } from '../metrics.js';
import { createSimulator, type ProbeData } from '../simulator.js';

export interface RunNetworkOptions extends BuildOptions {
  /** Simulated time, s (default: the network's `run`). */
  seconds?: number;
  /** Called about every 100 simulated steps with the fraction done (0..1]. */
  onProgress?: (fraction: number) => void;
}

export interface RunResult {
  network: string;
  seed: number;
  dt: number;
  /** Wall time of the build (decoder solves included) and of the simulation, s. */
  buildSeconds: number;
  solveSeconds: number;
  simSeconds: number;
  /** Times of the recorded steps, s. */
  t: Float64Array;
  probes: ProbeData[];
  summary: ProbeSummary[];
  /** Spike rates and SynOps per simulated second of every ensemble. */
  activity: NetworkActivity;
}

const now = (): number => performance.now() / 1000;

/** Builds and runs a network, returning every probe's data and a per-probe summary. */
export function runNetwork(net: Network, opts: RunNetworkOptions = {}): RunResult {
  const built = buildNetwork(net, opts);
  const sim = createSimulator(built);
  const seconds = opts.seconds ?? net.runTime;
  const total = Math.round(seconds / net.dt);
  const start = now();
  sim.runSteps(total, opts.onProgress === undefined ? {} : { onChunk: (s) => opts.onProgress!(total === 0 ? 1 : s.steps / total) });
  const simSeconds = now() - start;
  const t = sim.times();
  const probes = sim.probeNames().map((name) => sim.probe(name));
  return {
    network: net.name,
    seed: built.seed,
    dt: net.dt,
    buildSeconds: built.buildSeconds,
    solveSeconds: built.solveSeconds,
    simSeconds,
    t,
    probes,
    summary: probes.map((p) => summarizeProbe(p, t)),
    activity: networkActivity(built, sim.spikeCounts(), sim.time),
  };
}
