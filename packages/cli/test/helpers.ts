import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Io } from '../src/io.js';
import { main } from '../src/main.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** An Io whose output is captured, for calling a command function directly. */
export function captureIo(cwd = repoRoot): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, cwd, out: () => out, err: () => err };
}

/** Runs `snnc ARGS` in-process with captured output and the given working directory. */
export async function snnc(args: string[], cwd = repoRoot): Promise<Captured> {
  const io = captureIo(cwd);
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A temporary directory holding the given files. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snnc-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
