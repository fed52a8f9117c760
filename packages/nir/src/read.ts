import type { H5Data, H5Group, H5Tree } from './h5tree.js';
import {
  isNirPrimitiveKind,
  NIR_KINDS,
  NIR_PRIMITIVES,
  type NirArray,
  type NirFile,
  type NirGraph,
  type NirNode,
  type NirPrimitive,
  type NirPrimitiveKind,
  type PaddingValue,
  type ParamSpec,
} from './types.js';

/**
 * A structural problem in a NIR file, located by `where`: `node \`lif1.fc\`` (nested names
 * joined with dots), `edge \`a -> b\` in graph \`lif1\``, or `the file`.
 */
export interface NirProblem {
  where: string;
  reason: string;
}

/** Thrown by the readers; carries every problem found (the first is the headline). */
export class NirFormatError extends Error {
  constructor(readonly problems: NirProblem[]) {
    super(problems.map((p) => `${p.where}: ${p.reason}`).join('; '));
    this.name = 'NirFormatError';
  }
}

const empty = (): H5Group => ({ kind: 'group', children: new Map() });

/** `node \`a.b\``, for messages. */
export function nodeWhere(path: readonly string[]): string {
  return `node \`${path.join('.')}\``;
}

/** Converts an HDF5 tree (root with `version` and `node`) into a typed NIR file. */
export function treeToNir(root: H5Group): NirFile {
  const problems: NirProblem[] = [];
  const version = root.children.get('version');
  const node = root.children.get('node');
  if (!node || node.kind !== 'group') throw new NirFormatError([{ where: 'the file', reason: 'it has no `node` group (every NIR file stores its graph under `node`)' }]);
  let v = '';
  if (version === undefined) problems.push({ where: 'the file', reason: 'it has no `version`' });
  else if (version.kind !== 'text' || version.shape.length !== 0) problems.push({ where: 'the file', reason: '`version` is not a text value' });
  else v = version.values[0]!;
  const graph = readNode(node, [], problems);
  if (problems.length > 0) throw new NirFormatError(problems);
  if (graph?.kind !== 'NIRGraph') throw new NirFormatError([{ where: 'the file', reason: `its top node is ${graph ? `a ${graph.kind}` : 'unreadable'}, not a NIRGraph` }]);
  return { version: v, graph };
}

function text(d: H5Tree | undefined): string | undefined {
  return d?.kind === 'text' && d.shape.length === 0 ? d.values[0] : undefined;
}

function readNode(g: H5Group, path: string[], problems: NirProblem[]): NirNode | undefined {
  const where = path.length === 0 ? 'the top graph' : nodeWhere(path);
  const type = text(g.children.get('type'));
  if (type === undefined) {
    problems.push({ where, reason: g.children.has('type') ? '`type` is not a text value' : 'it has no `type`' });
    return undefined;
  }
  const meta = g.children.get('metadata');
  let metadata = empty();
  if (meta !== undefined) {
    if (meta.kind === 'group') metadata = meta;
    else problems.push({ where, reason: '`metadata` is not a group' });
  }
  if (type === 'NIRGraph') return readGraph(g, path, metadata, problems);
  if (!isNirPrimitiveKind(type)) {
    problems.push({ where, reason: `its type \`${type}\` is not a NIR primitive (known: ${NIR_KINDS.join(', ')})` });
    return undefined;
  }
  return readPrimitive(type, g, path, metadata, problems);
}

function readGraph(g: H5Group, path: string[], metadata: H5Group, problems: NirProblem[]): NirGraph | undefined {
  const where = path.length === 0 ? 'the top graph' : nodeWhere(path);
  const nodesGroup = g.children.get('nodes');
  if (!nodesGroup || nodesGroup.kind !== 'group') {
    problems.push({ where, reason: 'this NIRGraph has no `nodes` group' });
    return undefined;
  }
  const nodes = new Map<string, NirNode>();
  for (const [name, child] of nodesGroup.children) {
    if (child.kind !== 'group') {
      problems.push({ where: nodeWhere([...path, name]), reason: 'it is a dataset, not a node group' });
      continue;
    }
    const n = readNode(child, [...path, name], problems);
    if (n) nodes.set(name, n);
  }
  const edges = readEdges(g.children.get('edges'), where, problems);
  const extra = extraOf(g, ['type', 'metadata', 'nodes', 'edges']);
  return edges ? { kind: 'NIRGraph', nodes, edges, metadata, extra } : undefined;
}

function readEdges(d: H5Tree | undefined, where: string, problems: NirProblem[]): [string, string][] | undefined {
  if (d === undefined) {
    problems.push({ where, reason: 'this NIRGraph has no `edges`' });
    return undefined;
  }
  // NIR's Python writer stores an empty edge list as an empty float array.
  if (d.kind === 'array' && d.array.data.length === 0) return [];
  if (d.kind !== 'text' || d.shape.length !== 2 || d.shape[1] !== 2) {
    problems.push({ where, reason: '`edges` is not an N x 2 table of node names' });
    return undefined;
  }
  const edges: [string, string][] = [];
  for (let i = 0; i < d.shape[0]!; i++) edges.push([d.values[2 * i]!, d.values[2 * i + 1]!]);
  return edges;
}

function extraOf(g: H5Group, known: readonly string[]): H5Group {
  const children = new Map<string, H5Tree>();
  for (const [k, v] of g.children) if (!known.includes(k)) children.set(k, v);
  return { kind: 'group', children };
}

function filled(like: NirArray, value: number): NirArray {
  return { dtype: like.dtype, shape: [...like.shape], data: new Float64Array(like.data.length).fill(value) };
}

function readPrimitive(kind: NirPrimitiveKind, g: H5Group, path: string[], metadata: H5Group, problems: NirProblem[]): NirPrimitive | undefined {
  const where = `${nodeWhere(path)} (${kind})`;
  const specs = NIR_PRIMITIVES[kind] as Record<string, ParamSpec>;
  const params: Record<string, NirArray | PaddingValue | null> = {};
  const before = problems.length;
  const deferred: [string, ParamSpec][] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const d = g.children.get(name);
    if (d === undefined) {
      if (spec.missing === 'required') problems.push({ where, reason: `it has no parameter \`${name}\`` });
      else if (spec.missing === 'null') params[name] = null;
      else deferred.push([name, spec]);
      continue;
    }
    const v = readParam(d, spec, name, where, problems);
    if (v !== undefined) params[name] = v;
  }
  for (const [name, spec] of deferred) {
    const like = params[spec.like!];
    if (like && typeof like !== 'string') params[name] = filled(like, spec.missing === 'ones' ? 1 : 0);
  }
  if (problems.length !== before) return undefined;
  const extra = extraOf(g, ['type', 'metadata', ...Object.keys(specs)]);
  return { kind, params, metadata, extra } as NirPrimitive;
}

function readParam(d: H5Tree, spec: ParamSpec, name: string, where: string, problems: NirProblem[]): NirArray | PaddingValue | undefined {
  if (spec.kind === 'padding' && d.kind === 'text') {
    const word = d.shape.length === 0 ? d.values[0] : undefined;
    if (word === 'same' || word === 'valid') return word;
    problems.push({ where, reason: `\`${name}\` must be an integer, a list of integers, "same" or "valid", not ${word === undefined ? 'a text array' : `"${word}"`}` });
    return undefined;
  }
  if (d.kind !== 'array') {
    problems.push({ where, reason: `\`${name}\` is ${d.kind === 'group' ? 'a group' : 'text'}, not an array of numbers` });
    return undefined;
  }
  const a = (d as Extract<H5Data, { kind: 'array' }>).array;
  if (spec.kind !== 'float' && !a.data.every(Number.isInteger)) {
    problems.push({ where, reason: `\`${name}\` must hold integers` });
    return undefined;
  }
  // Infinite thresholds are legitimate (a neuron that never fires); NaN never is.
  if (a.data.some(Number.isNaN)) {
    problems.push({ where, reason: `\`${name}\` holds NaN` });
    return undefined;
  }
  return a;
}
