import type { Program, Sweep } from '@snnc/ir';

/**
 * The sweep `snnc sweep` runs: the named one, or the only one in the file. The error is a
 * message for the user that lists the sweeps there are.
 */
export function selectSweep(program: Program, name: string | undefined): { sweep: Sweep } | { error: string } {
  const names = program.sweeps.map((s) => s.name);
  const listing = names.length === 0 ? '' : `\n  sweeps: ${names.join(', ')}`;
  if (name !== undefined) {
    const s = program.sweeps.find((x) => x.name === name);
    return s ? { sweep: s } : { error: `no sweep \`${name}\` in ${program.file}${listing}` };
  }
  if (program.sweeps.length === 1) return { sweep: program.sweeps[0]! };
  if (program.sweeps.length === 0) return { error: `${program.file} defines no sweep (it has ${program.experiments.length} experiment(s); run one with \`snnc run\`)` };
  return { error: `${program.file} defines several sweeps; choose one with --sweep${listing}` };
}
