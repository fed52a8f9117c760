import type { Experiment, Network, Program } from '@snnc/ir';

export type Runnable = { kind: 'experiment'; experiment: Experiment } | { kind: 'network'; network: Network };

/**
 * Picks what `snnc run` runs: the named experiment or network, or the only runnable thing
 * in the file. Returns a message for the user when the choice is missing or ambiguous.
 */
export function selectRunnable(
  program: Program,
  wanted: { experiment?: string; network?: string },
): { runnable: Runnable } | { error: string } {
  if (wanted.experiment !== undefined && wanted.network !== undefined) {
    return { error: 'give --experiment or --network, not both' };
  }
  if (wanted.experiment !== undefined) {
    const e = program.experiments.find((x) => x.name === wanted.experiment);
    if (e) return { runnable: { kind: 'experiment', experiment: e } };
    return { error: `no experiment \`${wanted.experiment}\` in ${program.file}${listing('experiments', program.experiments)}` };
  }
  if (wanted.network !== undefined) {
    const n = program.networks.find((x) => x.name === wanted.network);
    if (n) return { runnable: { kind: 'network', network: n } };
    return { error: `no network \`${wanted.network}\` in ${program.file}${listing('networks', program.networks)}` };
  }
  const total = program.experiments.length + program.networks.length;
  if (total === 1) {
    const e = program.experiments[0];
    if (e) return { runnable: { kind: 'experiment', experiment: e } };
    const n = program.networks[0]!;
    return { runnable: { kind: 'network', network: n } };
  }
  if (total === 0) {
    return { error: `${program.file} defines no experiment or network to run (it has ${program.models.length} model(s) and ${program.sweeps.length} sweep(s))` };
  }
  return {
    error: `${program.file} defines several things to run; choose one with --experiment or --network${listing('experiments', program.experiments)}${listing('networks', program.networks)}`,
  };
}

function listing(what: string, items: readonly { name: string }[]): string {
  return items.length === 0 ? '' : `\n  ${what}: ${items.map((i) => i.name).join(', ')}`;
}
