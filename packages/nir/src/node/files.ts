import { SnncError } from '@snnc/ir';
import { describeFsError, readRegularFile, writeFileAtomic } from '@snnc/ir/node';
import { readNir, writeNir, type ReadNirOptions } from '../nir-file.js';
import type { NirFile, NirGraph } from '../types.js';

/** The largest `.nir` file read (bytes): NIR files hold weights and parameters, not data sets. */
export const NIR_FILE_LIMIT = 1024 * 1024 * 1024;

export interface ReadNirFileOptions extends ReadNirOptions {
  /** The file as messages name it (the path the user typed); default `path`. */
  name?: string;
}

/** Reads and validates a `.nir` file (regular files only, bounded); every failure is an SnncError naming the file. */
export async function readNirFile(path: string, opts: ReadNirFileOptions = {}): Promise<NirFile> {
  const name = opts.name ?? path;
  const r = readRegularFile(path, 'weights', NIR_FILE_LIMIT);
  if (!r.ok) throw new SnncError('SNN9001', { path: name, reason: r.reason });
  return readNir(r.bytes, name, opts);
}

/** Writes a NIR graph to `path` (atomically: a failed write leaves no half file). */
export async function writeNirFile(path: string, graph: NirFile | NirGraph): Promise<void> {
  const bytes = await writeNir(graph);
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw new SnncError('SNN7462', { path, reason: describeFsError(e) }, { cause: e });
  }
}
