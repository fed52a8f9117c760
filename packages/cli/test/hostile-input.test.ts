import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

/** Inputs a careless user or an attacker can hand `snnc`: each ends in a located error, exit 1. */
describe('snnc on files that are not .snn text', () => {
  it('`use "/dev/zero"` is a located SNN2006, read not at all', async () => {
    const dir = tempFiles({ 'a.snn': 'use "/dev/zero"\n' });
    const r = await snnc(['check', 'a.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^a\.snn:1:5: error SNN2006: cannot read `\/dev\/zero`: it is a device, not a regular file/m);
  });

  it('a FIFO given to check fails at once instead of hanging', async () => {
    const dir = tempFiles({});
    execFileSync('mkfifo', [path.join(dir, 'pipe.snn')]);
    const r = await snnc(['check', 'pipe.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read `pipe.snn`: it is a pipe, not a regular file');
  });

  it('a file that is not UTF-8 is an encoding error, and fmt --write leaves its bytes alone', async () => {
    const dir = tempFiles({});
    const latin1 = Buffer.from('// caf\xe9\nneuron lif = LIF(tau: 2.0)\n', 'latin1');
    writeFileSync(path.join(dir, 'l.snn'), latin1);
    const r = await snnc(['check', 'l.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it is not UTF-8 text (invalid byte 0xe9 at line 1');
    const w = await snnc(['fmt', '--write', 'l.snn'], dir);
    expect(w.code).toBe(1);
    expect(readFileSync(path.join(dir, 'l.snn')).equals(latin1)).toBe(true);
  });

  it('a byte order mark does not shift line 1 columns', async () => {
    const dir = tempFiles({ 'b.snn': '\uFEFFneuron lif = LIF(tau: 2.0, bogus: 1)\n' });
    const r = await snnc(['check', 'b.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^b\.snn:1:28: error SNN2003/m);
  });
});
