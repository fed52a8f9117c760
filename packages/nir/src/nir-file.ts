import { SnncError } from '@snnc/ir';
import { H5FormatError, readH5Tree, writeH5Tree } from './h5tree.js';
import { isHdf5 } from './hdf5.js';
import { NirFormatError, treeToNir, type NirProblem } from './read.js';
import type { NirFile, NirGraph } from './types.js';
import { validateNir } from './validate.js';
import { nirToTree } from './write.js';

export interface ReadNirOptions {
  /** Check edges and shapes too (default true); false returns any graph that parses. */
  validate?: boolean;
}

/** How many further problems the hint lists after the headline one. */
const HINT_PROBLEMS = 5;

function refuse(path: string, problems: NirProblem[]): SnncError {
  const [first, ...rest] = problems;
  const more = rest.slice(0, HINT_PROBLEMS).map((p) => `${p.where}: ${p.reason}`);
  if (rest.length > HINT_PROBLEMS) more.push(`and ${rest.length - HINT_PROBLEMS} more`);
  return new SnncError('SNN7461', { path, where: first!.where, reason: first!.reason }, more.length > 0 ? { hint: `also: ${more.join('; ')}` } : {});
}

/**
 * Reads a `.nir` file's bytes into a typed, validated NIR graph. `path` names the file in
 * messages. Never throws anything but SnncError for bad input: SNN7460 (not HDF5 / not NIR),
 * SNN7461 (a malformed graph, naming the node or edge).
 */
export async function readNir(bytes: Uint8Array, path: string, opts: ReadNirOptions = {}): Promise<NirFile> {
  if (!isHdf5(bytes.subarray(0, 4096))) throw new SnncError('SNN7460', { path, reason: 'it is not an HDF5 file' }, { hint: 'NIR files are HDF5 files written by nir.write (Python) or `snnc export`' });
  let file: NirFile;
  try {
    file = treeToNir(await readH5Tree(bytes));
  } catch (e) {
    if (e instanceof H5FormatError) throw new SnncError('SNN7460', { path, reason: `it is damaged or truncated: ${e.at}: ${e.message}` }, { cause: e });
    if (e instanceof NirFormatError) throw refuse(path, e.problems);
    throw e;
  }
  if (opts.validate !== false) {
    const problems = validateNir(file.graph);
    if (problems.length > 0) throw refuse(path, problems);
  }
  return file;
}

/** Writes a NIR graph (or file, keeping its version) as `.nir` bytes, gzip-compressed datasets. */
export async function writeNir(graph: NirFile | NirGraph): Promise<Uint8Array> {
  return writeH5Tree(nirToTree(graph));
}
