/**
 * A syntax tree as JSON text and back, exactly: the standard library's tree is computed at build
 * time and read at every start (see `stdlibAstModule`). Plain JSON would lose that two places
 * hold the same object (a neuron statement and its definition share one range), so a repeat is
 * written as `null` plus the path of its first occurrence, and reading puts the object back.
 * Values JSON cannot hold exactly (undefined, NaN, -0, class instances) throw instead.
 */

type Key = string | number;

interface TreeJson {
  tree: unknown;
  /** `[path of a repeat, path of the first occurrence]`, in the order they were met. */
  same: [Key[], Key[]][];
}

export function treeToJson(tree: object): string {
  const first = new Map<object, Key[]>();
  const same: TreeJson['same'] = [];
  const copy = (v: unknown, path: Key[]): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) throw new Error(`${path.join('.')}: ${Object.is(v, -0) ? '-0' : v} has no exact JSON form`);
      return v;
    }
    if (typeof v !== 'object' || (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype)) throw new Error(`${path.join('.')}: ${typeof v} is not plain JSON data`);
    const seen = first.get(v);
    if (seen) {
      same.push([path, seen]);
      return null;
    }
    first.set(v, path);
    if (Array.isArray(v)) return v.map((x, i) => copy(x, [...path, i]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, [...path, k])]));
  };
  const json: TreeJson = { tree: copy(tree, []), same };
  return JSON.stringify(json);
}

export function treeFromJson<T>(text: string): T {
  const { tree, same } = JSON.parse(text) as TreeJson;
  const at = (path: Key[]): Record<Key, unknown> => path.reduce<Record<Key, unknown>>((o, k) => o[k] as Record<Key, unknown>, tree as Record<Key, unknown>);
  for (const [repeat, firstPath] of same) at(repeat.slice(0, -1))[repeat[repeat.length - 1]!] = at(firstPath);
  return tree as T;
}
