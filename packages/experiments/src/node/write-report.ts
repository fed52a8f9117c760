import path from 'node:path';
import { renderSvg } from '@snnc/plot';
import { accuracyVsEnergyChart, accuracyVsFieldChart, curvesOverlayChart, fieldSlug } from '../report/figures.js';
import { formatTerminalTable, reportCsv, reportJson, reportMarkdown, reportTable, type ReportFigure } from '../report/format.js';
import { reportHtml } from '../report/html.js';
import { buildReport, type Report } from '../report/table.js';
import type { RunData } from '../types.js';
import { writeFileAtomic } from './files.js';

export interface WrittenReport {
  report: Report;
  figures: ReportFigure[];
  /** The table as printed to the terminal. */
  terminal: string;
  /** Absolute paths of every file written. */
  files: string[];
}

/** The figures of a report: test accuracy against each swept field and against energy (runs with activity), and all curves overlaid. */
export async function reportFigures(report: Report, runs: readonly RunData[], title: string): Promise<ReportFigure[]> {
  const figures: ReportFigure[] = [];
  for (const field of report.fields) {
    if (!report.rows.some((r) => r.testAcc !== null && r.values[field] !== null)) continue;
    figures.push({ name: `test-acc-vs-${fieldSlug(field)}`, title: `Test accuracy against ${field}`, svg: await renderSvg(accuracyVsFieldChart(report, field)) });
  }
  if (report.rows.some((r) => r.energyJ !== null && r.testAcc !== null)) {
    figures.push({ name: 'accuracy-vs-energy', title: 'Test accuracy against estimated energy per sample', svg: await renderSvg(accuracyVsEnergyChart(report)) });
  }
  if (runs.some((r) => r.metrics.length > 0)) {
    figures.push({ name: 'curves', title: 'Training curves of all runs', svg: await renderSvg(curvesOverlayChart(runs, `${title}: training curves`)) });
  }
  return figures;
}

/**
 * Builds the comparison over `runs` and writes report.md, report.csv, report.json,
 * report.html and one SVG per figure into `outDir`. Run directories in the CSV and JSON are
 * relative to `outDir`.
 */
export async function writeReport(runs: readonly RunData[], opts: { outDir: string; title?: string }): Promise<WrittenReport> {
  const out = path.resolve(opts.outDir);
  const built = buildReport(runs);
  // Run directories relative to the report, so a report committed with its runs stays valid.
  const report: Report = { ...built, rows: built.rows.map((r) => ({ ...r, dir: path.relative(out, r.dir) || '.' })) };
  const title = opts.title ?? (report.sweep !== null ? `sweep ${report.sweep}` : `${runs.length} run${runs.length === 1 ? '' : 's'}`);
  const figures = await reportFigures(report, runs, title);
  const files: string[] = [];
  const write = (name: string, data: string) => {
    const f = path.join(out, name);
    writeFileAtomic(f, data);
    files.push(f);
  };
  write('report.md', reportMarkdown(report, figures, title));
  write('report.csv', reportCsv(report));
  write('report.json', reportJson(report));
  write('report.html', reportHtml(report, figures, title));
  for (const f of figures) write(`${f.name}.svg`, f.svg);
  return { report, figures, terminal: formatTerminalTable(reportTable(report)), files };
}
