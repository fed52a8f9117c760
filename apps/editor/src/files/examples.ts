/**
 * Every `examples/**\/*.snn` of the repository, bundled at build time. Keys are
 * repository-relative paths (`examples/nef/multiply.snn`): the gallery lists them and the
 * language worker reads `use "..."` imports from them.
 */
const raw = import.meta.glob('../../../../examples/**/*.snn', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const EXAMPLES: ReadonlyMap<string, string> = new Map(
  Object.entries(raw)
    .map(([k, v]): [string, string] => [k.slice(k.indexOf('examples/')), v])
    .sort(([a], [b]) => a.localeCompare(b)),
);

export interface ExampleInfo {
  path: string;
  /** File name without `.snn`. */
  name: string;
  /** The folder under examples/ (`nef`, `mnist`), or '' at the top. */
  group: string;
  /** The first comment line of the file, if it starts with one. */
  summary: string;
}

export function exampleInfo(path: string, text: string): ExampleInfo {
  const rel = path.replace(/^examples\//, '');
  const slash = rel.lastIndexOf('/');
  const group = slash < 0 ? '' : rel.slice(0, slash);
  const name = rel.slice(slash + 1).replace(/\.snn$/, '');
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const summary = first.trim().startsWith('//') ? first.trim().replace(/^\/\/\s*/, '') : '';
  return { path, name, group, summary };
}

/** Top-level examples first, then each folder; by name within a group. */
export function listExamples(): ExampleInfo[] {
  return [...EXAMPLES]
    .map(([p, t]) => exampleInfo(p, t))
    .sort((a, b) => (a.group === '' ? 0 : 1) - (b.group === '' ? 0 : 1) || a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}
