import type { Diagnostic } from '@snnc/ir';
import { sortDiagnostics } from '@snnc/ir';

/**
 * The Problems list: one row per diagnostic, `line:col CODE message`, with the hint below;
 * clicking a row selects the range in the editor. Diagnostics of imported files are listed
 * with their file name.
 */
export function renderProblems(
  list: HTMLElement,
  badge: HTMLElement,
  diagnostics: readonly Diagnostic[],
  file: string,
  reveal: (d: Diagnostic) => void,
): void {
  const rows = sortDiagnostics(diagnostics).map((d) => {
    const li = document.createElement('li');
    li.className = `sev-${d.severity}`;
    li.dataset['code'] = d.code;
    li.dataset['line'] = String(d.range.line);
    const where = d.range.file === file ? `${d.range.line}:${d.range.column}` : `${d.range.file}:${d.range.line}:${d.range.column}`;
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = `${d.severity} ${d.code}`;
    li.append(`${where} `, code, ` ${d.message}`);
    if (d.hint) {
      const h = document.createElement('span');
      h.className = 'hint';
      h.textContent = `hint: ${d.hint}`;
      li.append(h);
    }
    if (d.range.file === file) li.addEventListener('click', () => reveal(d));
    return li;
  });
  list.replaceChildren(...rows);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  badge.textContent = String(diagnostics.length);
  badge.classList.toggle('errors', errors > 0);
}
