import type { ActivitySummary } from './summary.js';

/** `1.23e5`-style counts stay readable at any scale: 812, 12.3k, 4.56M, 7.89G. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1e3) return n.toFixed(a < 10 && n % 1 !== 0 ? 1 : 0);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 2 : 1)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(a < 1e10 ? 2 : 1)}G`;
}

/** Joules with an SI prefix: `172 nJ`, `1.20 µJ`. */
export function formatJoules(j: number): string {
  const a = Math.abs(j);
  const [scale, unit] = a >= 1e-3 ? [1e3, 'mJ'] : a >= 1e-6 ? [1e6, 'µJ'] : a >= 1e-9 ? [1e9, 'nJ'] : [1e12, 'pJ'];
  const v = j * scale;
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)} ${unit}`;
}

/**
 * One line per epoch for the terminal, per sample:
 * `activity: fr n0=0.081 n1=0.120; 12.3k SynOps, 12.5k MACs, 58.7 nJ (horowitz45_fp32; ANN 0.52 µJ, 8.9x)`.
 */
export function formatActivityLine(a: ActivitySummary): string {
  const rates = a.layers
    .filter((l) => l.firing_rate !== null)
    .map((l) => `${l.label}=${l.firing_rate!.toFixed(3)}`)
    .join(' ');
  const t = a.total;
  const ratio = t.ann_ratio === null ? '' : `, ${t.ann_ratio.toFixed(1)}x`;
  return (
    `activity: fr ${rates}; ${formatCount(t.synops)} SynOps, ${formatCount(t.macs)} MACs, ${formatJoules(t.energy_j)} per sample ` +
    `(${a.table.name}; ANN ${formatJoules(t.ann_energy_j)}${ratio})`
  );
}

/** A table for `snnc eval --activity`: one row per layer, then the totals. */
export function formatActivityTable(a: ActivitySummary): string {
  const head = ['layer', 'kind', 'neurons', 'rate', 'silent', 'saturated', 'spikes', 'SynOps', 'MACs'];
  const opt = (x: number | null, f: (v: number) => string) => (x === null ? '-' : f(x));
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const rows = a.layers.map((l) => [
    l.name,
    l.neuron ? `${l.kind} (${l.neuron})` : l.kind,
    l.neurons > 0 ? String(l.neurons) : '-',
    opt(l.firing_rate, (v) => v.toFixed(4)),
    opt(l.silent, pct),
    opt(l.saturated, pct),
    opt(l.spikes, formatCount),
    l.synops > 0 ? formatCount(l.synops) : '-',
    l.macs > 0 ? formatCount(l.macs) : '-',
  ]);
  const t = a.total;
  rows.push(['total', '', '', '', '', '', '', formatCount(t.synops), formatCount(t.macs)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const ratio = t.ann_ratio === null ? '' : ` (${t.ann_ratio.toFixed(1)}x the SNN estimate)`;
  return [
    line(head),
    ...rows.map(line),
    '',
    `per sample over ${a.samples} samples, T=${a.steps}; cost table ${a.table.name} (MAC ${a.table.macPj} pJ, AC ${a.table.acPj} pJ)`,
    `energy ${formatJoules(t.energy_j)} = ${formatCount(t.synops)} SynOps x ${a.table.acPj} pJ + ${formatCount(t.macs)} MACs x ${a.table.macPj} pJ`,
    `as an ANN: ${formatCount(t.ann_macs)} MACs, ${formatJoules(t.ann_energy_j)}${ratio}; neuron state updates ${formatCount(t.state_updates)} (not in the energy)`,
  ].join('\n');
}
