import type { H5Group, H5Tree } from './h5tree.js';
import { NIR_PRIMITIVES, NIR_WRITE_VERSION, type NirArray, type NirFile, type NirGraph, type NirNode, type PaddingValue } from './types.js';

const textValue = (s: string): H5Tree => ({ kind: 'text', shape: [], values: [s] });
const arrayValue = (a: NirArray): H5Tree => ({ kind: 'array', array: a });

/**
 * The HDF5 layout NIR's Python writer produces (nir/serialization.py): `version` and a `node`
 * group; each node a group with `type`, its parameters, an optional `metadata` group; a graph's
 * `nodes` group and `edges` (N x 2 text).
 */
export function nirToTree(file: NirFile | NirGraph): H5Group {
  const graph = 'graph' in file ? file.graph : file;
  // The layout written is always the current one (0.1.x files gain `v_reset`), so is the version.
  return { kind: 'group', children: new Map([['version', textValue(NIR_WRITE_VERSION)], ['node', nodeToTree(graph)]]) };
}

function nodeToTree(n: NirNode): H5Group {
  const children = new Map<string, H5Tree>([['type', textValue(n.kind)]]);
  if (n.kind === 'NIRGraph') {
    const nodes = new Map<string, H5Tree>();
    for (const [name, child] of n.nodes) nodes.set(name, nodeToTree(child));
    children.set('nodes', { kind: 'group', children: nodes });
    // An empty edge list is an empty number array, as NumPy writes `np.array([])`.
    children.set('edges', n.edges.length === 0 ? arrayValue({ dtype: '<d', shape: [0], data: new Float64Array(0) }) : { kind: 'text', shape: [n.edges.length, 2], values: n.edges.flat() });
  } else {
    for (const name of Object.keys(NIR_PRIMITIVES[n.kind])) {
      const v = (n.params as Record<string, NirArray | PaddingValue | null>)[name];
      if (v === null || v === undefined) continue;
      children.set(name, typeof v === 'string' ? textValue(v) : arrayValue(v));
    }
  }
  if (n.metadata.children.size > 0) children.set('metadata', n.metadata);
  for (const [k, v] of n.extra.children) if (!children.has(k)) children.set(k, v);
  return { kind: 'group', children };
}
