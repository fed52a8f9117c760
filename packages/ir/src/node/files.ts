import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { READ_LIMITS, type ReadKind } from '../limits.js';

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

function megabytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MB`;
}

/** Why a file operation failed, in words for a diagnostic. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return err.message ?? String(e);
  }
}

/**
 * Reads a regular file of at most `READ_LIMITS[kind]` bytes, or says why not. Opened
 * non-blocking, so a FIFO neither hangs the open nor the read; devices, sockets and FIFOs are
 * refused by their type, before any byte is read.
 */
export function readRegularFile(file: string, kind: ReadKind, limit: number = READ_LIMITS[kind]): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, reason: describeFsError(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'it is a directory' };
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a pipe' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      return { ok: false, reason: `it is ${what}, not a regular file` };
    }
    if (st.size > limit) return { ok: false, reason: `it is ${megabytes(st.size)}, more than the ${megabytes(limit)} snnc reads as a ${kind} file` };
    // Read at most one byte past the size seen: a file growing meanwhile is cut off, not read on.
    const buf = Buffer.allocUnsafe(st.size + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) return { ok: false, reason: `it grew past ${megabytes(st.size)} while being read` };
    }
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return { ok: false, reason: describeFsError(e) };
  } finally {
    closeSync(fd);
  }
}

/**
 * `rel` resolved against `dir`, or undefined when it names something outside `dir` (an
 * absolute path, `..`), checked on the names, before any file is touched.
 */
export function resolveInside(dir: string, rel: string): string | undefined {
  const base = path.resolve(dir);
  const p = path.resolve(base, rel);
  const r = path.relative(base, p);
  const escapes = r === '' || r === '..' || r.startsWith(`..${path.sep}`) || path.isAbsolute(r);
  return escapes ? undefined : p;
}

/** Makes temp names unique within a process even for two writes in the same millisecond. */
let tmpCounter = 0;

/**
 * Writes via a temp file beside `file` and a rename, so a reader never sees half a file
 * (summary.json, record.json, a probes CSV) and an interrupted write leaves the old one.
 * `data` may be chunks, written one by one (a large CSV is never one string). `durable`
 * flushes the data to disk before the rename, so the file survives a power cut whole
 * (checkpoints, run files a resume reads).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<string | Uint8Array>, opts: { durable?: boolean } = {}): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}-${tmpCounter++}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(fd, data);
    else for (const chunk of data) writeFileSync(fd, chunk);
    if (opts.durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
