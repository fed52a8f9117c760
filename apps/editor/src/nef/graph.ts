import type { Connection, Network } from '@snnc/ir';
import { exprText } from '../lang/expr-text.js';

/**
 * The drawing of an NEF network (like nengo-gui's graph): inputs as rounded boxes, ensembles
 * as circles, connections as arrows labelled with their function, transform and synapse.
 * Nodes are placed in columns by their longest path from the inputs (recurrent edges
 * ignored), so signals flow left to right.
 */

export interface GraphNode {
  name: string;
  kind: 'input' | 'ensemble';
  /** Second line: `200 LIF, 2-D` or the signal kind. */
  detail: string;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** Into `post.neurons` (drawn dashed, like nengo-gui's direct neuron connections). */
  toNeurons: boolean;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const COL_W = 190;
const ROW_H = 110;
const MARGIN = 70;

export function layoutNetwork(net: Network): GraphLayout {
  const names = [...net.inputs.map((i) => i.name), ...net.ensembles.map((e) => e.name)];
  const preds = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const c of net.connections) if (c.pre.name !== c.post.name && c.post.kind !== 'learning') preds.get(c.post.name)?.push(c.pre.name);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (n: string): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 0; // a cycle: break it here
    visiting.add(n);
    const d = net.inputs.some((i) => i.name === n) ? 0 : Math.max(0, ...(preds.get(n) ?? []).map((p) => depthOf(p) + 1));
    visiting.delete(n);
    depth.set(n, d);
    return d;
  };
  const columns: string[][] = [];
  for (const n of names) (columns[depthOf(n)] ??= []).push(n);
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const nodes: GraphNode[] = [];
  columns.forEach((col, ci) => {
    (col ?? []).forEach((n, ri) => {
      const offset = ((rows - col.length) * ROW_H) / 2;
      const input = net.inputs.find((i) => i.name === n);
      const ens = net.ensembles.find((e) => e.name === n);
      const detail = input ? `input, ${input.signal.kind}` : ens ? `${ens.n} ${neuronLabel(ens.neuron)}, ${ens.dims}-D` : '';
      nodes.push({ name: n, kind: input ? 'input' : 'ensemble', detail, x: MARGIN + ci * COL_W, y: MARGIN + offset + ri * ROW_H });
    });
  });
  // an error (or learning signal) goes to the rule of a connection: drawn into that connection's post, labelled
  const ruleOf = new Map(net.connections.map((c) => [c.id, c]));
  const edges = net.connections.map((c): GraphEdge => {
    const learned = c.post.kind === 'learning' ? ruleOf.get(c.post.name) : undefined;
    if (learned) return { from: c.pre.name, to: learned.post.name, label: `→ ${c.post.name}.learning  ${connectionLabel(c)}`.trim(), toNeurons: false };
    return { from: c.pre.name, to: c.post.name, label: connectionLabel(c), toNeurons: c.post.kind === 'neurons' };
  });
  return { width: MARGIN * 2 + (columns.length - 1) * COL_W + 60, height: MARGIN * 2 + (rows - 1) * ROW_H + 20, nodes, edges };
}

/** The neuron type as written: a built-in kind, or the definition a defined neuron instantiates. */
function neuronLabel(neuron: Network['ensembles'][number]['neuron']): string {
  if (neuron.kind === 'equations') return neuron.neuron.definition;
  return { lif: 'LIF', lif_rate: 'LIFRate', relu: 'ReLU', spiking_relu: 'SpikingReLU' }[neuron.kind];
}

/** `x[0] * x[1]`, `×-2`, `5ms`: what a connection computes, then its synapse. */
export function connectionLabel(c: Connection): string {
  const parts: string[] = [];
  if (c.function) parts.push(c.function.map((e) => exprText(e)).join(', '));
  if (!isIdentity(c.transform)) parts.push(`×${transformText(c.transform)}`);
  if (c.synapse !== null) parts.push(synapseText(c.synapse));
  if (c.learning !== null) parts.push(c.learning.kind.toUpperCase());
  return parts.join('  ');
}

/** `τ 5ms`, `α 5ms`, or the transfer function's coefficients. */
function synapseText(s: NonNullable<Connection['synapse']>): string {
  switch (s.kind) {
    case 'lowpass':
      return `τ ${formatSeconds(s.tau)}`;
    case 'alpha':
      return `α ${formatSeconds(s.tau)}`;
    case 'linear_filter':
      return `H [${s.num.join(', ')}] / [${s.den.join(', ')}]`;
    default:
      return s satisfies never;
  }
}

function isIdentity(t: number[][]): boolean {
  return t.every((row, i) => row.length === t.length && row.every((v, j) => v === (i === j ? 1 : 0)));
}

/** A scalar when the matrix is one value everywhere or a scaled identity; else small matrices in full. */
function transformText(t: number[][]): string {
  const flat = t.flat();
  const first = flat[0] ?? 0;
  if (flat.every((v) => v === first)) return String(first);
  if (t.every((row, i) => row.every((v, j) => (i === j ? v === first : v === 0)))) return String(first);
  if (flat.length <= 6) return `[${t.map((r) => `[${r.join(', ')}]`).join(', ')}]`;
  return `[${t.length}×${t[0]?.length ?? 0} matrix]`;
}

function formatSeconds(s: number): string {
  return s < 1 ? `${Number((s * 1000).toPrecision(4))}ms` : `${Number(s.toPrecision(4))}s`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const R = 30;

/** The layout as a standalone SVG document (also offered as a download). */
export function graphSvg(g: GraphLayout): string {
  const at = new Map(g.nodes.map((n) => [n.name, n]));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="net-graph" viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" height="${g.height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  );
  // Parallel edges between the same pair are bent apart so their labels do not overlap.
  const pairCount = new Map<string, number>();
  for (const e of g.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const dash = e.toNeurons ? ' stroke-dasharray="5 3"' : '';
    const cls = `class="net-edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"`;
    if (a === b) {
      const x = a.x;
      const y = a.y - R;
      parts.push(
        `<g ${cls}><path d="M${x - 12},${y + 2} C${x - 40},${y - 55} ${x + 40},${y - 55} ${x + 12},${y + 2}" fill="none" stroke="#555"${dash} marker-end="url(#arrow)"/>`,
        `<text x="${x}" y="${y - 46}" text-anchor="middle" fill="#333">${esc(e.label)}</text></g>`,
      );
      continue;
    }
    const key = [e.from, e.to].sort().join('\u0000');
    const k = pairCount.get(key) ?? 0;
    pairCount.set(key, k + 1);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const [ux, uy] = [dx / len, dy / len];
    const ra = a.kind === 'input' ? 34 : R;
    const rb = b.kind === 'input' ? 34 : R;
    const [x1, y1, x2, y2] = [a.x + ux * ra, a.y + uy * ra, b.x - ux * rb, b.y - uy * rb];
    const bend = k * 28;
    const [mx, my] = [(x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend];
    parts.push(
      `<g ${cls}><path d="M${f(x1)},${f(y1)} Q${f(mx)},${f(my)} ${f(x2)},${f(y2)}" fill="none" stroke="#555"${dash} marker-end="url(#arrow)"/>`,
      `<text x="${f(mx)}" y="${f(my - 6)}" text-anchor="middle" fill="#333" paint-order="stroke" stroke="#fff" stroke-width="4">${esc(e.label)}</text></g>`,
    );
  }
  for (const n of g.nodes) {
    const shape =
      n.kind === 'input'
        ? `<rect x="${n.x - 34}" y="${n.y - 20}" width="68" height="40" rx="8" fill="#e8f1fb" stroke="#3b78c2"/>`
        : `<circle cx="${n.x}" cy="${n.y}" r="${R}" fill="#fdf1e4" stroke="#d07a1f"/>`;
    parts.push(
      `<g class="net-node" data-name="${esc(n.name)}" data-kind="${n.kind}">${shape}`,
      `<text x="${n.x}" y="${n.y + 4}" text-anchor="middle" font-weight="600">${esc(n.name)}</text>`,
      `<text x="${n.x}" y="${n.y + (n.kind === 'input' ? 34 : 46)}" text-anchor="middle" fill="#666" font-size="11">${esc(n.detail)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

const f = (v: number) => v.toFixed(1);
