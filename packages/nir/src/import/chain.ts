import { nodeWhere, type NirProblem } from '../read.js';
import type { NirGraph, NirPrimitive } from '../types.js';

/** One node of a chain, with its path for messages (`lif1.lif` for a node of nested graph `lif1`). */
export interface ChainNode {
  path: string[];
  node: NirPrimitive;
}

/** Refusal of a graph the importer cannot express (yet), naming the node or edge. */
export class ImportError extends Error {
  constructor(readonly problem: NirProblem) {
    super(`${problem.where}: ${problem.reason}`);
    this.name = 'ImportError';
  }
}

const GRAPH_MODELS = 'branching and recurrent NIR graphs import once models are graphs (issue 11)';

/**
 * Orders a graph's nodes as one chain from its Input to its Output, inlining nested graphs that
 * are chains themselves. Cycles, branches and several inputs or outputs are refused.
 */
export function chainOf(g: NirGraph, path: string[] = []): ChainNode[] {
  const where = path.length === 0 ? 'the graph' : nodeWhere(path);
  const inputs = [...g.nodes].filter(([, n]) => n.kind === 'Input');
  const outputs = [...g.nodes].filter(([, n]) => n.kind === 'Output');
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new ImportError({ where, reason: `it has ${inputs.length} Input and ${outputs.length} Output nodes; the importer needs one of each (${GRAPH_MODELS})` });
  }
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  for (const [a, b] of g.edges) {
    next.set(a, [...(next.get(a) ?? []), b]);
    prev.set(b, [...(prev.get(b) ?? []), a]);
  }
  const chain: ChainNode[] = [];
  const seen = new Set<string>();
  let name = inputs[0]![0];
  for (;;) {
    if (seen.has(name)) throw new ImportError({ where: `${nodeWhere([...path, name])}`, reason: `it is on a cycle; ${GRAPH_MODELS}` });
    seen.add(name);
    const node = g.nodes.get(name);
    if (!node) throw new ImportError({ where, reason: `an edge names node \`${name}\`, which does not exist` });
    if ((prev.get(name)?.length ?? 0) > 1) throw new ImportError({ where: nodeWhere([...path, name]), reason: `it has ${prev.get(name)!.length} incoming edges; ${GRAPH_MODELS}` });
    if (node.kind === 'NIRGraph') {
      const inner = chainOf(node, [...path, name]);
      // The nested graph's own Input and Output are pass-throughs inside the outer chain.
      chain.push(...inner.filter((c) => c.node.kind !== 'Input' && c.node.kind !== 'Output'));
    } else {
      chain.push({ path: [...path, name], node });
    }
    if (node.kind === 'Output') break;
    const out = next.get(name) ?? [];
    if (out.length !== 1) throw new ImportError({ where: nodeWhere([...path, name]), reason: out.length === 0 ? 'no edge leaves it, so the Output is never reached' : `${out.length} edges leave it; ${GRAPH_MODELS}` });
    name = out[0]!;
  }
  if (seen.size !== g.nodes.size) {
    const left = [...g.nodes.keys()].filter((k) => !seen.has(k));
    throw new ImportError({ where, reason: `node(s) ${left.map((k) => `\`${k}\``).join(', ')} are not on the path from Input to Output; ${GRAPH_MODELS}` });
  }
  return chain;
}
