import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderParamTables } from '../src/docs/param-tables.js';
import { repoRoot } from './examples.js';

describe('docs/language.md parameter tables', () => {
  const current = fs.readFileSync(path.join(repoRoot, 'docs/language.md'), 'utf8');
  const doc = renderParamTables(current);

  it('names only known callable kinds', () => {
    expect(doc.problems).toEqual([]);
  });

  it('has a generated table for every kind with parameters', () => {
    const expected = ['neuron', 'surrogate', 'layer', 'encoder', 'decoder', 'model', 'experiment', 'data', 'normalize', 'target', 'loss', 'optimizer', 'schedule', 'init', 'energy', 'regularize', 'network', 'ensemble', 'signal', 'connection', 'probe', 'learning', 'synapse', 'matrix'];
    expect([...doc.kinds].sort()).toEqual(expected.sort());
  });

  it('is up to date (run `npm run docs:params -w @snnc/dsl` after changing the table)', () => {
    expect(current).toBe(doc.text);
  });

  it('re-renders a stale block and leaves the rest of the text alone', () => {
    const stale = 'before\n<!-- BEGIN GENERATED params: loss -->\nold\n<!-- END GENERATED params: loss -->\nafter\n';
    const r = renderParamTables(stale);
    expect(r.text).toMatch(/^before\n<!-- BEGIN GENERATED params: loss -->\n\| loss \| meaning \|/);
    expect(r.text).toContain('`cross_entropy`');
    expect(r.text.endsWith('<!-- END GENERATED params: loss -->\nafter\n')).toBe(true);
    expect(renderParamTables('<!-- BEGIN GENERATED params: nope -->\nx\n<!-- END GENERATED params: nope -->').problems).toHaveLength(1);
  });
});
