import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile, resolveInside, writeFileAtomic } from './files.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-ir-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a regular file whole', () => {
    const f = path.join(tmp, 'a.txt');
    writeFileSync(f, 'hello');
    const r = readRegularFile(f, 'source');
    expect(r.ok && r.bytes.toString()).toBe('hello');
  });

  it('refuses a device without reading from it', () => {
    const r = readRegularFile('/dev/zero', 'idx');
    expect(r).toEqual({ ok: false, reason: 'it is a device, not a regular file' });
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(readRegularFile(fifo, 'source')).toEqual({ ok: false, reason: 'it is a pipe, not a regular file' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('refuses a file over the limit by its size, and names both', () => {
    const f = path.join(tmp, 'big');
    writeFileSync(f, Buffer.alloc(3 * 2 ** 20));
    const r = readRegularFile(f, 'source', 2 ** 20);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('it is 3 MB, more than the 1 MB snnc reads as a source file');
  });

  it('says what is missing or a directory', () => {
    expect(readRegularFile(path.join(tmp, 'nope'), 'json')).toEqual({ ok: false, reason: 'no such file' });
    mkdirSync(path.join(tmp, 'd'));
    expect(readRegularFile(path.join(tmp, 'd'), 'json')).toEqual({ ok: false, reason: 'it is a directory' });
  });
});

describe('resolveInside', () => {
  it('keeps names inside the directory and refuses the rest', () => {
    expect(resolveInside('/ck', 'weights.bin')).toBe(path.resolve('/ck/weights.bin'));
    expect(resolveInside('/ck', '../../../../etc/passwd')).toBeUndefined();
    expect(resolveInside('/ck', '/dev/zero')).toBeUndefined();
    expect(resolveInside('/ck', '.')).toBeUndefined();
    expect(resolveInside('/ck', 'sub/../w.bin')).toBe(path.resolve('/ck/w.bin'));
  });
});

describe('writeFileAtomic', () => {
  it('creates the directory and leaves no temp file behind', () => {
    const f = path.join(tmp, 'new', 'x.json');
    writeFileAtomic(f, '{}');
    expect(readRegularFile(f, 'json')).toEqual({ ok: true, bytes: Buffer.from('{}') });
  });
});
