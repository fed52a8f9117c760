import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '@snnc/ir';
import { renderDiagnosticsDoc } from '../src/docs/diagnostics-doc.js';
import { DIAGNOSTIC_EXAMPLES } from '../src/docs/diagnostic-examples.js';
import { repoRoot } from './examples.js';

describe('docs/diagnostics.md', () => {
  const doc = renderDiagnosticsDoc();

  it('has an example for every code, and every compile example produces its code', () => {
    expect(doc.problems).toEqual([]);
  });

  it('shows compiler codes (1xxx-6xxx) with real compiler output', () => {
    const runtimeOnly = new Set(['SNN1009', 'SNN5014', 'SNN5103']);
    for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
      if (!/^SNN[1-6]/.test(code) || runtimeOnly.has(code)) continue;
      expect(DIAGNOSTIC_EXAMPLES[code]?.kind, code).toBe('compile');
    }
  });

  it('is up to date (run `npm run docs:diagnostics -w @snnc/dsl` after changing codes or examples)', () => {
    const current = fs.readFileSync(path.join(repoRoot, 'docs/diagnostics.md'), 'utf8');
    expect(current).toBe(doc.markdown);
  });
});
