import { readFile, stat, writeFile } from 'node:fs/promises';
import { SnncError } from '@snnc/ir';
import { readNir, writeNir, type ReadNirOptions } from '../nir-file.js';
import type { NirFile, NirGraph } from '../types.js';

/** The largest `.nir` file read (bytes): NIR files are weights and parameters, not data sets. */
export const NIR_FILE_LIMIT = 1024 * 1024 * 1024;

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'it is a directory';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message ?? String(e);
}

/** Reads and validates a `.nir` file; every failure is an SnncError naming the file. */
export async function readNirFile(path: string, opts: ReadNirOptions = {}): Promise<NirFile> {
  let bytes: Uint8Array;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (s.size > NIR_FILE_LIMIT) throw new SnncError('SNN7460', { path, reason: `it has ${s.size} bytes, more than the ${NIR_FILE_LIMIT} a NIR file may have` });
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof SnncError) throw e;
    throw new SnncError('SNN9001', { path, reason: reasonOf(e) }, { cause: e });
  }
  return readNir(bytes, path, opts);
}

/** Writes a NIR graph to `path`. */
export async function writeNirFile(path: string, graph: NirFile | NirGraph): Promise<void> {
  const bytes = await writeNir(graph);
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new SnncError('SNN7462', { path, reason: reasonOf(e) }, { cause: e });
  }
}
