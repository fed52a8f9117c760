import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/main.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `snnc ARGS` in-process with captured output and the given working directory. */
export async function snnc(args: string[], cwd = repoRoot): Promise<Captured> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await main(args, { stdout: out, stderr: err, cwd });
  return { code, stdout, stderr };
}

/** A temporary directory holding the given files. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snnc-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
