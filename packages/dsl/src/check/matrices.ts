import { Random } from '@snnc/ir';
import type { AstExpr, CallExpr } from '../ast.js';
import { callable, defaultNumber, numOf, signatureOf } from '../catalog/index.js';
import { normalize, resolveRelative } from '../paths.js';
import { bindArgs } from './args.js';
import { unwrapParens } from './describe.js';
import { readNumber, readString, type ReadCtx } from './read.js';

/** Reads data files named in a `.snn` file (matrices); paths are resolved against that file. */
export interface DataReader {
  readFile?: (path: string) => string | undefined;
  readBytes?: (path: string) => Uint8Array | undefined;
}

/** Most entries a built or loaded matrix may have (8 MB of float64). */
export const MAX_MATRIX_ENTRIES = 1 << 20;
/** Largest matrix file read, bytes. */
export const MAX_MATRIX_FILE_BYTES = 16 << 20;

export const MATRIX_BUILDERS = ['eye', 'zeros', 'ones', 'diag', 'uniform', 'gaussian', 'rotation', 'load'] as const;
type Builder = (typeof MATRIX_BUILDERS)[number];

export function isMatrixBuilder(e: AstExpr): e is CallExpr {
  const x = unwrapParens(e);
  return x.kind === 'call' && (MATRIX_BUILDERS as readonly string[]).includes(x.callee.name);
}

/**
 * A matrix builder call as rows: `eye(n)`, `zeros(rows, cols)`, `ones(rows, cols)`, `diag([..])`,
 * `uniform(rows, cols, low: -1, high: 1, seed: 0)`, `gaussian(rows, cols, mean: 0, std: 1, seed: 0)`,
 * `rotation(theta)` (2 x 2, or `dims: n` rotating axes 0 and 1), `load("w.npy")` / `load("w.csv")`.
 * Undefined after reporting.
 */
export function readMatrix(call: CallExpr, ctx: ReadCtx & { data?: DataReader }): number[][] | undefined {
  const fn = call.callee.name as Builder;
  const entry = callable('matrix', fn);
  const args = bindArgs(call.args, signatureOf(entry), call.range, ctx.sink);
  const before = ctx.sink.errorCount;
  const num = (n: string): number | undefined => {
    const a = args.get(n);
    return a ? readNumber(a.value, n, numOf(entry, n), ctx) : defaultNumber(entry, n);
  };
  const size = (rows: number | undefined, cols: number | undefined): boolean => {
    if (rows === undefined || cols === undefined) return false;
    if (rows * cols > MAX_MATRIX_ENTRIES) {
      ctx.sink.report('SNN5305', call.range, { message: `\`${fn}\` would build ${rows} x ${cols} = ${rows * cols} entries, more than ${MAX_MATRIX_ENTRIES}` });
      return false;
    }
    return true;
  };
  const fill = (rows: number, cols: number, f: (r: number, c: number) => number): number[][] => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => f(r, c)));
  switch (fn) {
    case 'eye': {
      const n = args.has('n') ? num('n') : undefined;
      const cols = args.has('cols') ? num('cols') : n;
      if (!size(n, cols) || ctx.sink.errorCount !== before) return undefined;
      return fill(n!, cols!, (r, c) => (r === c ? 1 : 0));
    }
    case 'zeros':
    case 'ones': {
      const rows = args.has('rows') ? num('rows') : undefined;
      const cols = args.has('cols') ? num('cols') : rows;
      if (!size(rows, cols) || ctx.sink.errorCount !== before) return undefined;
      return fill(rows!, cols!, () => (fn === 'ones' ? 1 : 0));
    }
    case 'diag': {
      const v = args.get('values');
      if (!v) return undefined;
      const x = unwrapParens(v.value);
      const items = x.kind === 'list' ? x.items : [v.value];
      const d: number[] = [];
      for (const item of items) {
        const q = readNumber(item, 'diag', {}, ctx);
        if (q === undefined) return undefined;
        d.push(q);
      }
      if (!size(d.length, d.length)) return undefined;
      return fill(d.length, d.length, (r, c) => (r === c ? d[r]! : 0));
    }
    case 'uniform':
    case 'gaussian': {
      const rows = args.has('rows') ? num('rows') : undefined;
      const cols = args.has('cols') ? num('cols') : rows;
      const a = num(fn === 'uniform' ? 'low' : 'mean');
      const b = num(fn === 'uniform' ? 'high' : 'std');
      const seed = num('seed');
      if (!size(rows, cols) || a === undefined || b === undefined || seed === undefined || ctx.sink.errorCount !== before) return undefined;
      if (fn === 'uniform' && !(a < b)) {
        ctx.sink.report('SNN5305', call.range, { message: `\`uniform\` needs low < high, got ${a} and ${b}` });
        return undefined;
      }
      // the IR's PRNG: the same seed gives the same matrix in every runtime
      const rng = new Random(seed);
      return fill(rows!, cols!, () => (fn === 'uniform' ? rng.uniform(a, b) : rng.normal(a, b)));
    }
    case 'rotation': {
      const theta = args.has('theta') ? num('theta') : undefined;
      const dims = num('dims');
      if (theta === undefined || dims === undefined || !size(dims, dims) || ctx.sink.errorCount !== before) return undefined;
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      // rotates the plane of axes 0 and 1 by theta (counter-clockwise), the identity elsewhere
      return fill(dims, dims, (r, k) => (r < 2 && k < 2 ? (r === k ? c : r === 0 ? -s : s) : r === k ? 1 : 0));
    }
    case 'load':
      return loadMatrix(args.get('path')?.value, ctx);
    default:
      return fn satisfies never;
  }
}

function loadMatrix(pathExpr: AstExpr | undefined, ctx: ReadCtx & { data?: DataReader }): number[][] | undefined {
  if (!pathExpr) return undefined;
  const rel = readString(pathExpr, 'path', ctx);
  if (rel === undefined) return undefined;
  const at = pathExpr.range;
  const fail = (reason: string): undefined => {
    ctx.sink.report('SNN5306', at, { path: rel, reason });
    return undefined;
  };
  // paths stay inside the directory of the .snn file that names them
  if (rel.startsWith('/') || normalize(rel).startsWith('..')) return fail('the path must be relative to the .snn file and stay inside its folder');
  const full = resolveRelative(at.file, rel);
  const lower = rel.toLowerCase();
  if (lower.endsWith('.npy')) {
    if (!ctx.data?.readBytes) return fail('reading .npy files needs binary file access, which this compiler was not given');
    let bytes: Uint8Array | undefined;
    try {
      bytes = ctx.data.readBytes(full);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    if (bytes === undefined) return fail('no such file');
    if (bytes.length > MAX_MATRIX_FILE_BYTES) return fail(`the file has ${bytes.length} bytes, more than ${MAX_MATRIX_FILE_BYTES}`);
    const r = parseNpy(bytes);
    return 'error' in r ? fail(r.error) : r.rows;
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    if (!ctx.data?.readFile) return fail('reading files needs a `readFile` function');
    let text: string | undefined;
    try {
      text = ctx.data.readFile(full);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    if (text === undefined) return fail('no such file');
    if (text.length > MAX_MATRIX_FILE_BYTES) return fail(`the file has ${text.length} characters, more than ${MAX_MATRIX_FILE_BYTES}`);
    const r = parseCsv(text);
    return 'error' in r ? fail(r.error) : r.rows;
  }
  return fail('only `.npy` and `.csv` files can be loaded');
}

/** Comma- (or whitespace-) separated numbers, one row per line; `#` starts a comment. */
export function parseCsv(text: string): { rows: number[][] } | { error: string } {
  const rows: number[][] = [];
  let entries = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const cells = line.split(/\s*,\s*|\s+/);
    const row: number[] = [];
    for (const cell of cells) {
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) return { error: `line ${i + 1}: \`${cell}\` is not a finite number` };
      row.push(v);
    }
    if (rows.length > 0 && row.length !== rows[0]!.length) return { error: `line ${i + 1} has ${row.length} values, the first row ${rows[0]!.length}` };
    entries += row.length;
    if (entries > MAX_MATRIX_ENTRIES) return { error: `more than ${MAX_MATRIX_ENTRIES} entries` };
    rows.push(row);
  }
  if (rows.length === 0) return { error: 'the file has no numbers' };
  return { rows };
}

/**
 * A NumPy `.npy` file (format 1.0-3.0) holding a 1-D or 2-D array of little-endian float64,
 * float32, int32 or int64 in C order (`np.save` defaults); a 1-D array is one row.
 */
export function parseNpy(bytes: Uint8Array): { rows: number[][] } | { error: string } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) return { error: 'not a .npy file (bad magic bytes)' };
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) return { error: 'truncated header' };
  let header = '';
  for (let i = start; i < start + headerLen; i++) header += String.fromCharCode(bytes[i]!);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return { error: 'unreadable header' };
  if (fortran === 'True') return { error: 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray' };
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length < 1 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d > 0)) return { error: `shape (${shapeText}) is not a 1-D or 2-D array` };
  const [rows, cols] = shape.length === 1 ? [1, shape[0]!] : [shape[0]!, shape[1]!];
  if (rows * cols > MAX_MATRIX_ENTRIES) return { error: `${rows} x ${cols} entries, more than ${MAX_MATRIX_ENTRIES}` };
  const kinds: Record<string, { size: number; read: (o: number) => number }> = {
    '<f8': { size: 8, read: (o) => view.getFloat64(o, true) },
    '<f4': { size: 4, read: (o) => view.getFloat32(o, true) },
    '<i4': { size: 4, read: (o) => view.getInt32(o, true) },
    '<i8': { size: 8, read: (o) => Number(view.getBigInt64(o, true)) },
  };
  const kind = kinds[descr];
  if (!kind) return { error: `dtype ${descr} is not supported (use float64, float32, int32 or int64, little-endian)` };
  const data = start + headerLen;
  if (data + rows * cols * kind.size > bytes.length) return { error: 'the file is shorter than its shape says' };
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) {
      const v = kind.read(data + (r * cols + c) * kind.size);
      if (!Number.isFinite(v)) return { error: `entry [${r}, ${c}] is not finite` };
      row.push(v);
    }
    out.push(row);
  }
  return { rows: out };
}
