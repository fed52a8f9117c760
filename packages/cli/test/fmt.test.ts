import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

const messy = 'network n{input a=0.5   // the input\nensemble e=LIF(n:50)\nconnect a->e\nprobe e(synapse:10ms)\nrun 1s}\n';

describe('snnc fmt', () => {
  it('--check lists unformatted files and exits 1 without changing them', async () => {
    const dir = tempFiles({ 'n.snn': messy });
    const r = await snnc(['fmt', '--check', 'n.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('n.snn: not formatted');
    expect(readFileSync(path.join(dir, 'n.snn'), 'utf8')).toBe(messy);
  });

  it('--write rewrites the file, keeps comments, and is then --check clean', async () => {
    const dir = tempFiles({ 'n.snn': messy });
    expect((await snnc(['fmt', '--write', 'n.snn'], dir)).code).toBe(0);
    const text = readFileSync(path.join(dir, 'n.snn'), 'utf8');
    expect(text).not.toBe(messy);
    expect(text).toContain('// the input');
    expect((await snnc(['fmt', '--check', 'n.snn'], dir)).code).toBe(0);
    const printed = await snnc(['fmt', 'n.snn'], dir);
    expect(printed.stdout).toBe(text);
  });

  it('never rewrites a file with syntax errors', async () => {
    const dir = tempFiles({ 'x.snn': 'network n { input a = }\n' });
    const r = await snnc(['fmt', '--write', 'x.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error SNN1');
    expect(readFileSync(path.join(dir, 'x.snn'), 'utf8')).toBe('network n { input a = }\n');
  });

  it('refuses --check with --write', async () => {
    expect((await snnc(['fmt', '--check', '--write', 'x.snn'], tempFiles({ 'x.snn': '' }))).code).toBe(2);
  });
});
