import * as h5wasm from 'h5wasm';
import type { NirArray, NirDtype } from './types.js';
import { sizeOf } from './types.js';

/**
 * An HDF5 file as a plain tree: groups of named children, datasets of numbers or text. The NIR
 * reader and writer work on this tree; only this file talks to h5wasm (HDF5 compiled to
 * WebAssembly, in-memory file system: works the same in Node and in the browser).
 */
export type H5Tree = H5Group | H5Data;
export interface H5Group {
  kind: 'group';
  children: Map<string, H5Tree>;
}
export type H5Data = { kind: 'array'; array: NirArray } | { kind: 'text'; shape: number[]; values: string[] };

/** Bounds on what a file may hold, so that a hostile file cannot exhaust memory or recurse forever. */
export const H5_LIMITS = { depth: 64, objects: 100_000, elements: 50_000_000 } as const;

/** Thrown for files h5wasm cannot read or that break the limits; the caller adds the file name. */
export class H5FormatError extends Error {
  constructor(
    message: string,
    /** Slash path of the object inside the file (`/node/nodes/fc1/weight`). */
    readonly at: string,
  ) {
    super(message);
    this.name = 'H5FormatError';
  }
}

const DTYPES: readonly NirDtype[] = ['<f', '<d', '<e', '<q', '<i', '<h', '<b', '<Q', '<I', '<H', '<B'];
/** HDF5 type classes (H5T_class_t). */
const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, ENUM: 8 } as const;

let module: Promise<Awaited<typeof h5wasm.ready>> | undefined;
let fileCounter = 0;

/** h5wasm, started once, with HDF5 errors thrown as JS errors (not printed to the console). */
async function h5(): Promise<Awaited<typeof h5wasm.ready>> {
  module ??= h5wasm.ready.then((m) => {
    m.activate_throwing_error_handler();
    return m;
  });
  return module;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // h5wasm's messages start with an `HDF5-DIAG` banner; the useful part is the innermost line.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const detail = lines.filter((l) => /^#\d+:/.test(l)).pop();
  return detail ? detail.replace(/^#\d+:\s*\S+\s+line\s+\d+\s+in\s+/, '') : (lines[0] ?? text);
}

/** Reads HDF5 bytes into a tree. The bytes must already be known to start an HDF5 file. */
export async function readH5Tree(bytes: Uint8Array): Promise<H5Group> {
  const m = await h5();
  const name = `/snnc-nir-read-${++fileCounter}.h5`;
  m.FS!.writeFile(name, bytes);
  let file: h5wasm.File | undefined;
  try {
    try {
      file = new h5wasm.File(name, 'r');
    } catch (e) {
      throw new H5FormatError(`HDF5 cannot open it (${firstLine(e)})`, '/');
    }
    const count = { objects: 0, elements: 0 };
    return readGroup(file, '/', 0, count);
  } finally {
    file?.close();
    m.FS!.unlink(name);
  }
}

function readGroup(g: h5wasm.Group, at: string, depth: number, count: { objects: number; elements: number }): H5Group {
  if (depth > H5_LIMITS.depth) throw new H5FormatError(`groups are nested more than ${H5_LIMITS.depth} deep`, at);
  const children = new Map<string, H5Tree>();
  let keys: string[];
  try {
    keys = g.keys();
  } catch (e) {
    throw new H5FormatError(`cannot list the group (${firstLine(e)})`, at);
  }
  for (const key of keys) {
    if (++count.objects > H5_LIMITS.objects) throw new H5FormatError(`more than ${H5_LIMITS.objects} objects`, at);
    const path = at === '/' ? `/${key}` : `${at}/${key}`;
    let child: h5wasm.Entity | null;
    try {
      child = g.get(key);
    } catch (e) {
      throw new H5FormatError(`cannot read it (${firstLine(e)})`, path);
    }
    if (child instanceof h5wasm.Group) children.set(key, readGroup(child, path, depth + 1, count));
    else if (child instanceof h5wasm.Dataset) children.set(key, readDataset(child, path, count));
    else throw new H5FormatError('is a link or a named type, not a group or a dataset', path);
  }
  return { kind: 'group', children };
}

function readDataset(d: h5wasm.Dataset, at: string, count: { objects: number; elements: number }): H5Data {
  let meta: h5wasm.Metadata;
  let shape: number[];
  try {
    meta = d.metadata;
    shape = d.shape ?? [];
  } catch (e) {
    throw new H5FormatError(`cannot read its header (${firstLine(e)})`, at);
  }
  const n = sizeOf(shape);
  count.elements += n;
  if (n > H5_LIMITS.elements || count.elements > H5_LIMITS.elements) throw new H5FormatError(`holds more than ${H5_LIMITS.elements} values in all`, at);
  let value: h5wasm.OutputData | null;
  try {
    value = d.value;
  } catch (e) {
    throw new H5FormatError(`cannot read its values (${firstLine(e)})`, at);
  }
  if (meta.type === H5T.STRING) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v): v is string => typeof v === 'string')) throw new H5FormatError('holds text that is not readable as strings', at);
    return { kind: 'text', shape, values };
  }
  if (meta.type !== H5T.INTEGER && meta.type !== H5T.FLOAT && meta.type !== H5T.ENUM) {
    throw new H5FormatError(`has an HDF5 type (class ${meta.type}) that NIR does not use`, at);
  }
  const dtype = (meta.type === H5T.ENUM ? '<b' : String(d.dtype)) as NirDtype;
  if (!DTYPES.includes(dtype)) throw new H5FormatError(`has the element type ${String(d.dtype)}, which NIR does not use`, at);
  const data = new Float64Array(n);
  const list: ArrayLike<number | bigint> = typeof value === 'number' || typeof value === 'bigint' ? [value] : ArrayBuffer.isView(value) && !(value instanceof DataView) ? (value as unknown as ArrayLike<number | bigint>) : [];
  if (list.length !== n) throw new H5FormatError(`holds ${list.length} values but its shape [${shape.join(', ')}] needs ${n}`, at);
  for (let i = 0; i < n; i++) {
    const v = list[i]!;
    const x = typeof v === 'bigint' ? Number(v) : v;
    if (typeof v === 'bigint' && !Number.isSafeInteger(x)) throw new H5FormatError(`holds the integer ${v}, too large to represent exactly`, at);
    data[i] = x;
  }
  return { kind: 'array', array: { dtype, shape, data } };
}

function typedArray(a: NirArray): Float32Array | Float64Array | BigInt64Array | BigUint64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array {
  switch (a.dtype) {
    case '<f':
    case '<e':
      return Float32Array.from(a.data);
    case '<d':
      return Float64Array.from(a.data);
    case '<q':
      return BigInt64Array.from(a.data, (v) => BigInt(v));
    case '<Q':
      return BigUint64Array.from(a.data, (v) => BigInt(v));
    case '<i':
      return Int32Array.from(a.data);
    case '<h':
      return Int16Array.from(a.data);
    case '<b':
      return Int8Array.from(a.data);
    case '<I':
      return Uint32Array.from(a.data);
    case '<H':
      return Uint16Array.from(a.data);
    case '<B':
      return Uint8Array.from(a.data);
    default: {
      const never: never = a.dtype;
      throw new Error(`typedArray: unknown dtype ${String(never)}`);
    }
  }
}

/**
 * Writes a tree as HDF5 bytes. Arrays with at least one element and one dimension are
 * gzip-compressed in one chunk, as NIR's Python writer does (`compression="gzip"`); half
 * floats are written as float32 (h5wasm has no float16 writer).
 */
export async function writeH5Tree(root: H5Group): Promise<Uint8Array> {
  const m = await h5();
  const name = `/snnc-nir-write-${++fileCounter}.h5`;
  try {
    const file = new h5wasm.File(name, 'w');
    try {
      writeGroup(file, root);
    } finally {
      file.close();
    }
    return m.FS!.readFile(name);
  } finally {
    try {
      m.FS!.unlink(name);
    } catch {
      // The file was never created (h5wasm failed first); nothing to remove.
    }
  }
}

function writeGroup(g: h5wasm.Group, tree: H5Group): void {
  for (const [key, child] of tree.children) {
    if (child.kind === 'group') {
      writeGroup(g.create_group(key), child);
    } else if (child.kind === 'text') {
      g.create_dataset({ name: key, data: child.shape.length === 0 ? child.values[0]! : child.values, shape: child.shape });
    } else {
      const a = child.array;
      const dtype = a.dtype === '<e' ? '<f' : a.dtype;
      const compress = a.shape.length > 0 && a.data.length > 0;
      g.create_dataset({ name: key, data: typedArray(a), shape: a.shape, dtype, ...(compress ? { compression: 'gzip' as const, chunks: a.shape } : {}) });
    }
  }
}
