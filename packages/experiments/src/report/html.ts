import { reportTable, type ReportFigure } from './format.js';
import type { Report } from './table.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Keeps the `<svg ...>...</svg>` element only (drops an XML prolog), for inlining. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start < 0 ? esc(svg) : svg.slice(start);
}

/**
 * A self-contained `report.html`: the table and every figure inline, no scripts and no
 * external files, so it can be mailed or attached to a pull request as is.
 */
export function reportHtml(report: Report, figures: readonly ReportFigure[], title: string): string {
  const t = reportTable(report);
  const th = t.header.map((h, i) => `<th${t.numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const trs = t.rows
    .map((r, ri) => {
      const cls = report.rows[ri]!.status === 'ok' ? '' : ` class="${report.rows[ri]!.status}"`;
      return `<tr${cls}>${r.map((c, i) => `<td${t.numeric[i] ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const figs = figures.map((f) => `<figure id="${esc(f.name)}">${inlineSvg(f.svg)}<figcaption>${esc(f.title)}</figcaption></figure>`).join('\n');
  const failed = report.rows.filter((r) => r.status === 'failed');
  const failures =
    failed.length === 0
      ? ''
      : `<h2>Failed runs</h2><ul>${failed.map((r) => `<li><code>${esc(r.label)}</code>: ${esc(r.error ?? 'unknown error')}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { color: #b00; }
tr.incomplete td { color: #888; }
figure { margin: 2em 0; }
figcaption { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<table>
<thead><tr>${th}</tr></thead>
<tbody>
${trs}
</tbody>
</table>
<p>Accuracies in %, the last epoch and the best epoch; s/epoch: wall-clock seconds per epoch (training and evaluation); img/s: training images per second.</p>
${failures}
${figs}
</body>
</html>
`;
}
