import type { SweepValue } from '@snnc/ir';
import type { Report, ReportRow } from './table.js';

/** A table as header + string cells, shared by the terminal, Markdown and HTML writers. */
export interface TextTable {
  header: string[];
  /** Right-align (numbers) per column. */
  numeric: boolean[];
  rows: string[][];
}

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}`);
const fixed = (digits: number) => (v: number | null): string => (v === null ? '-' : v.toFixed(digits));
const value = (v: SweepValue | null | undefined): string => (v === null || v === undefined ? '-' : String(v));

/** Whether any run measured activity (the energy columns appear only then). */
const hasEnergy = (report: Report): boolean => report.rows.some((r) => r.energyJ !== null);

/** The report's table: swept values, accuracies (%), speed, backend, and energy per sample (µJ) when measured. */
export function reportTable(report: Report): TextTable {
  const energy = hasEnergy(report);
  const header = ['run', ...report.fields, 'status', 'epochs', 'train acc %', 'test acc %', 'best test %', 's/epoch', 'img/s', 'backend', ...(energy ? ['µJ/sample'] : [])];
  const numeric = [false, ...report.fields.map((f) => report.rows.every((r) => typeof r.values[f] === 'number' || r.values[f] === null)), false, true, true, true, true, true, true, false, ...(energy ? [true] : [])];
  const rows = report.rows.map((r) => [
    r.label,
    ...report.fields.map((f) => value(r.values[f])),
    r.status,
    String(r.epochs),
    pct(r.trainAcc),
    pct(r.testAcc),
    pct(r.bestTestAcc),
    fixed(1)(r.secondsPerEpoch),
    fixed(1)(r.imagesPerSecond),
    r.backend ?? '-',
    ...(energy ? [r.energyJ === null ? '-' : (r.energyJ * 1e6).toPrecision(3)] : []),
  ]);
  return { header, numeric, rows };
}

/** Aligned plain-text columns for the terminal. */
export function formatTerminalTable(t: TextTable): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (t.numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n') + '\n';
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatMarkdownTable(t: TextTable): string {
  const head = `| ${t.header.map(mdCell).join(' | ')} |`;
  const sep = `| ${t.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`;
  return [head, sep, ...t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n') + '\n';
}

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with raw values: accuracies as fractions, empty cells for unknowns (RFC 4180 quoting). */
export function reportCsv(report: Report): string {
  const energy = hasEnergy(report);
  const header = ['run', ...report.fields, 'status', 'epochs', 'train_acc', 'test_acc', 'best_test_acc', 'train_loss', 'test_loss', 'seconds_per_epoch', 'images_per_second', 'backend', 'seed', 'spec_hash', 'dir', 'error', ...(energy ? ['energy_j', 'synops'] : [])];
  const rows = report.rows.map((r: ReportRow) => [
    r.label,
    ...report.fields.map((f) => r.values[f] ?? null),
    r.status,
    r.epochs,
    r.trainAcc,
    r.testAcc,
    r.bestTestAcc,
    r.trainLoss,
    r.testLoss,
    r.secondsPerEpoch,
    r.imagesPerSecond,
    r.backend,
    r.seed,
    r.specHash,
    r.dir,
    r.error,
    ...(energy ? [r.energyJ, r.synops] : []),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function reportJson(report: Report): string {
  return `${JSON.stringify({ reportVersion: 1, ...report }, null, 2)}\n`;
}

export interface ReportFigure {
  /** File name stem: `test-acc-vs-batch`. */
  name: string;
  title: string;
  svg: string;
}

/** `report.md`: title, the table, the figures by file name, and failures. */
export function reportMarkdown(report: Report, figures: readonly ReportFigure[], title: string): string {
  const parts = [`# ${title}\n`, formatMarkdownTable(reportTable(report))];
  parts.push('Accuracies in %, the last epoch and the best epoch; s/epoch: wall-clock seconds per epoch (training and evaluation); img/s: training images per second.\n');
  for (const f of figures) parts.push(`![${f.title}](${f.name}.svg)\n`);
  const failed = report.rows.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    parts.push('## Failed runs\n');
    for (const r of failed) parts.push(`- \`${r.label}\`: ${r.error ?? 'unknown error'}`);
    parts.push('');
  }
  return parts.join('\n');
}
