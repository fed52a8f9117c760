/**
 * POSIX-style path helpers that work in the browser too (no `node:path`): imports and data
 * paths are resolved against the directory of the file that names them.
 */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Joins and normalises `a/./b/../c` into `a/c`, keeping leading `..` of relative paths. */
export function resolveRelative(fromFile: string, p: string): string {
  const joined = isAbsolute(p) ? p : `${dirname(fromFile)}/${p}`;
  return normalize(joined);
}

export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  const s = out.join('/');
  return abs ? `/${s}` : s === '' ? '.' : s;
}
