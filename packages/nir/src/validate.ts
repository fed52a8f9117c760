import { nodeWhere, type NirProblem } from './read.js';
import { sizeOf, type NirArray, type NirGraph, type NirNode, type NirPrimitive, type PaddingValue } from './types.js';

/**
 * Checks a NIR graph beyond what reading it already checked: every edge names a node that
 * exists (a nested graph's node may be addressed as `graph.node`), parameters have the shapes
 * their primitive needs, and the two ends of an edge agree on the number of values passed
 * (where both are known). Returns every problem, each naming its node or edge.
 */
export function validateNir(graph: NirGraph): NirProblem[] {
  const problems: NirProblem[] = [];
  checkGraph(graph, [], problems);
  return problems;
}

function checkGraph(g: NirGraph, path: string[], problems: NirProblem[]): void {
  if (g.nodes.size === 0) problems.push({ where: path.length === 0 ? 'the top graph' : nodeWhere(path), reason: 'the graph has no nodes' });
  for (const [name, node] of g.nodes) {
    const p = [...path, name];
    if (node.kind === 'NIRGraph') checkGraph(node, p, problems);
    else for (const reason of paramProblems(node)) problems.push({ where: `${nodeWhere(p)} (${node.kind})`, reason });
  }
  const inGraph = path.length === 0 ? '' : ` in graph \`${path.join('.')}\``;
  const names = [...g.nodes.keys()];
  for (const [src, dst] of g.edges) {
    const where = `edge \`${src} -> ${dst}\`${inGraph}`;
    const a = resolve(g, src);
    const b = resolve(g, dst);
    for (const [end, n] of [[src, a], [dst, b]] as const) {
      if (!n) problems.push({ where, reason: `node \`${end}\` does not exist (nodes: ${names.join(', ')})` });
    }
    if (!a || !b) continue;
    const out = outputSize(a);
    const inp = inputSize(b);
    if (out !== null && inp !== null && out !== inp) problems.push({ where, reason: `\`${src}\` gives ${out} value(s) but \`${dst}\` takes ${inp}` });
  }
}

/** A node of `g` by name, or of a nested graph as `graph.node` (longest graph name first). */
function resolve(g: NirGraph, name: string): NirNode | undefined {
  const direct = g.nodes.get(name);
  if (direct) return direct;
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const sub = g.nodes.get(name.slice(0, dot));
    if (sub?.kind === 'NIRGraph') return resolve(sub, name.slice(dot + 1));
  }
  return undefined;
}

const ints = (a: NirArray): number[] => Array.from(a.data);

/** `a` is a scalar or a list of `lengths` values. */
function hasLength(a: NirArray, ...lengths: number[]): boolean {
  return a.shape.length <= 1 && lengths.includes(a.data.length);
}

function describeShape(a: NirArray): string {
  return `[${a.shape.join(', ')}]`;
}

function paddingProblems(p: PaddingValue, dims: number): string[] {
  if (typeof p === 'string') return [];
  if (!hasLength(p, 1, dims)) return [`\`padding\` must be one integer${dims > 1 ? ` or ${dims}` : ''}, got shape ${describeShape(p)}`];
  return ints(p).some((v) => v < 0) ? ['`padding` must not be negative'] : [];
}

function windowProblems(params: Record<string, NirArray>, names: readonly string[], dims: number, min: number): string[] {
  const out: string[] = [];
  for (const n of names) {
    const a = params[n]!;
    if (!hasLength(a, 1, dims)) out.push(`\`${n}\` must be one integer${dims > 1 ? ` or ${dims}` : ''}, got shape ${describeShape(a)}`);
    else if (ints(a).some((v) => v < min)) out.push(`\`${n}\` must be at least ${min}`);
  }
  return out;
}

/** Shape rules of each primitive (nir/ir/*.py asserts the same). */
function paramProblems(n: NirPrimitive): string[] {
  switch (n.kind) {
    case 'Input':
    case 'Output': {
      const s = n.params.shape;
      if (s.shape.length > 1 || ints(s).some((v) => v < 1)) return [`\`shape\` must be a list of positive sizes, got ${describeShape(s)} [${ints(s).join(', ')}]`];
      return [];
    }
    case 'Affine':
    case 'Linear': {
      const w = n.params.weight;
      if (w.shape.length < 2) return [`\`weight\` must have at least 2 dimensions (outputs x inputs), got shape ${describeShape(w)}`];
      if (n.kind === 'Affine' && n.params.bias.data.length !== sizeOf(w.shape.slice(0, -1))) {
        return [`\`bias\` has shape ${describeShape(n.params.bias)} but \`weight\` ${describeShape(w)} gives ${sizeOf(w.shape.slice(0, -1))} outputs`];
      }
      return [];
    }
    case 'Conv1d':
    case 'Conv2d': {
      const dims = n.kind === 'Conv1d' ? 1 : 2;
      const p = n.params;
      const out: string[] = [];
      if (p.weight.shape.length !== dims + 2) return [`\`weight\` must have ${dims + 2} dimensions (out channels, in channels / groups, ${dims === 1 ? 'length' : 'height, width'}), got shape ${describeShape(p.weight)}`];
      const cout = p.weight.shape[0]!;
      if (p.bias.data.length !== cout) out.push(`\`bias\` has ${p.bias.data.length} values but \`weight\` has ${cout} output channels`);
      out.push(...windowProblems({ stride: p.stride, dilation: p.dilation }, ['stride', 'dilation'], dims, 1));
      out.push(...paddingProblems(p.padding, dims));
      if (!hasLength(p.groups, 1) || p.groups.data[0]! < 1) out.push('`groups` must be one positive integer');
      else if (cout % p.groups.data[0]! !== 0) out.push(`\`groups\` ${p.groups.data[0]} does not divide the ${cout} output channels`);
      if (p.input_shape && !hasLength(p.input_shape, dims)) out.push(`\`input_shape\` must hold ${dims} size(s), got shape ${describeShape(p.input_shape)}`);
      return out;
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      return [...windowProblems(n.params, ['kernel_size', 'stride'], 2, 1), ...windowProblems(n.params, ['padding'], 2, 0)];
    case 'Flatten': {
      const out: string[] = [];
      for (const k of ['start_dim', 'end_dim'] as const) if (!hasLength(n.params[k], 1)) out.push(`\`${k}\` must be one integer`);
      const t = n.params.input_type;
      if (t && (t.shape.length > 1 || ints(t).some((v) => v < 1))) out.push(`\`input_type\` must be a list of positive sizes, got ${describeShape(t)}`);
      return out;
    }
    case 'Scale':
    case 'Threshold':
    case 'Delay':
    case 'I':
      return n.kind === 'Delay' && ints(n.params.delay).some((v) => v < 0) ? ['`delay` must not be negative'] : [];
    case 'IF':
    case 'LI':
    case 'LIF':
    case 'CubaLI':
    case 'CubaLIF': {
      // One value per neuron: every parameter has the same shape (NIR asserts it).
      const entries = Object.entries(n.params as Record<string, NirArray>);
      const [firstName, first] = entries[0]!;
      const out = entries.filter(([, a]) => describeShape(a) !== describeShape(first)).map(([k, a]) => `\`${k}\` has shape ${describeShape(a)} but \`${firstName}\` has ${describeShape(first)}; neuron parameters share one shape`);
      const taus = entries.filter(([k]) => k.startsWith('tau'));
      for (const [k, a] of taus) if (a.data.some((v) => !(v > 0))) out.push(`\`${k}\` must be positive (a time constant in seconds)`);
      return out;
    }
    default: {
      const never: never = n;
      return [`unknown primitive ${JSON.stringify(never)}`];
    }
  }
}

/** Values per sample a node reads; null when it takes any size or its parameters do not say. */
export function inputSize(n: NirNode): number | null {
  switch (n.kind) {
    case 'NIRGraph': {
      const inputs = [...n.nodes.values()].filter((x) => x.kind === 'Input');
      return inputs.length === 1 ? inputSize(inputs[0]!) : null;
    }
    case 'Input':
    case 'Output':
      return sizeOf(ints(n.params.shape));
    case 'Affine':
    case 'Linear': {
      const s = n.params.weight.shape;
      return s.length < 2 ? null : sizeOf(s.slice(0, -2)) * s[s.length - 1]!;
    }
    case 'Conv1d':
    case 'Conv2d': {
      const p = n.params;
      if (!p.input_shape || p.weight.shape.length < 2) return null;
      return p.weight.shape[1]! * (p.groups.data[0] ?? 1) * sizeOf(ints(p.input_shape));
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      return null;
    case 'Flatten':
      return n.params.input_type ? sizeOf(ints(n.params.input_type)) : null;
    default:
      return neuronLikeSize(n);
  }
}

/** Values per sample a node emits; null when unknown. */
export function outputSize(n: NirNode): number | null {
  switch (n.kind) {
    case 'NIRGraph': {
      const outputs = [...n.nodes.values()].filter((x) => x.kind === 'Output');
      return outputs.length === 1 ? outputSize(outputs[0]!) : null;
    }
    case 'Input':
    case 'Output':
      return sizeOf(ints(n.params.shape));
    case 'Affine':
    case 'Linear': {
      const s = n.params.weight.shape;
      return s.length < 2 ? null : sizeOf(s.slice(0, -1));
    }
    case 'Conv1d':
    case 'Conv2d': {
      const p = n.params;
      const dims = n.kind === 'Conv1d' ? 1 : 2;
      if (!p.input_shape || p.weight.shape.length !== dims + 2) return null;
      const at = (a: NirArray, i: number) => (a.data.length === 1 ? a.data[0]! : a.data[i]!);
      let size = p.weight.shape[0]!;
      for (let i = 0; i < dims; i++) {
        const len = at(p.input_shape, i);
        if (p.padding === 'same') {
          size *= len;
          continue;
        }
        const pad = p.padding === 'valid' ? 0 : at(p.padding, i);
        const k = p.weight.shape[2 + i]!;
        size *= Math.floor((len + 2 * pad - at(p.dilation, i) * (k - 1) - 1) / at(p.stride, i) + 1);
      }
      return size;
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      return null;
    case 'Flatten':
      return inputSize(n);
    default:
      return neuronLikeSize(n);
  }
}

/** Elementwise nodes: one value per parameter entry; a single value broadcasts (size unknown). */
function neuronLikeSize(n: Extract<NirPrimitive, { kind: 'Scale' | 'Threshold' | 'Delay' | 'I' | 'IF' | 'LI' | 'LIF' | 'CubaLI' | 'CubaLIF' }>): number | null {
  const first = Object.values(n.params as Record<string, NirArray>)[0]!;
  return first.data.length <= 1 ? null : first.data.length;
}
