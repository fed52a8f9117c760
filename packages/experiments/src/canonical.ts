/**
 * Canonical JSON: object keys sorted, `undefined` dropped, no whitespace. Two specs that
 * mean the same thing serialise to the same bytes, so their hashes agree.
 * `dropKeys` removes keys anywhere in the tree (the IR's `range` source positions, which
 * move when a comment is added but do not change what is trained).
 */
export function canonicalJson(value: unknown, dropKeys: readonly string[] = []): string {
  const drop = new Set(dropKeys);
  const walk = (v: unknown): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'number':
        if (!Number.isFinite(v)) throw new Error(`canonicalJson: expected a finite number, got ${v}`);
        return JSON.stringify(v);
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'object': {
        if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : walk(x))).join(',')}]`;
        const keys = Object.keys(v as object)
          .filter((k) => !drop.has(k) && (v as Record<string, unknown>)[k] !== undefined)
          .sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k])}`).join(',')}}`;
      }
      default:
        throw new Error(`canonicalJson: expected JSON data, got ${typeof v}`);
    }
  };
  return walk(value);
}
