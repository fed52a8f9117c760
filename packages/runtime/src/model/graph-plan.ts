import { layerInputs, MODEL_INPUT, modelOutputId, recurrentGroups, type Layer, type Model } from '@snnc/ir';
import type { LayerRuntime, MergeRuntime } from './context.js';
import type { NeuronRuntime } from './layers/neuron.js';

/** One built node of a model graph. */
export interface GraphNode {
  readonly layer: Layer;
  /** Ids it reads (`"input"` for the encoded model input), resolved from the IR's chain rule. */
  readonly inputs: readonly string[];
  readonly op:
    | { kind: 'layer'; runtime: LayerRuntime }
    | { kind: 'neuron'; runtime: NeuronRuntime }
    | { kind: 'merge'; runtime: MergeRuntime }
    | { kind: 'delay'; layer: Extract<Layer, { kind: 'delay' }> };
}

/**
 * What runs, in order: a single node runs once over all T steps (the fused, multi-step path);
 * a loop (a recurrent group) runs step by step, its nodes in `nodes` order at every step.
 */
export type PlanUnit = { kind: 'node'; node: GraphNode } | { kind: 'loop'; nodes: GraphNode[] };

export interface GraphPlan {
  readonly units: readonly PlanUnit[];
  readonly outputId: string;
}

/**
 * Orders the nodes: recurrent groups are condensed to one unit each, the units sorted
 * topologically over every edge (ties by layer order, so a chain keeps its order), and each
 * loop's nodes sorted over the edges that do not enter a delay (a delay reads earlier steps).
 * Throws on an input that names no node or a cycle without a delay: the compiler reports
 * both as located diagnostics, so here they are malformed IR.
 */
export function planGraph(model: Model, nodes: readonly GraphNode[], opts: { stepwise?: boolean } = {}): GraphPlan {
  const byId = new Map(nodes.map((n) => [n.layer.id, n]));
  for (const n of nodes) {
    for (const src of n.inputs) {
      if (src !== MODEL_INPUT && !byId.has(src)) throw new Error(`model ${model.name}: ${n.layer.id} reads \`${src}\`, which is not a layer`);
    }
  }
  const outputId = modelOutputId(model);
  if (!byId.has(outputId)) throw new Error(`model ${model.name}: output \`${outputId}\` is not a layer`);
  const position = new Map(nodes.map((n, i) => [n.layer.id, i]));
  const unitOf = new Map<string, number>();
  const members: GraphNode[][] = [];
  // `stepwise`: the whole model as one loop, every node step by step (a reference for tests).
  for (const group of opts.stepwise ? [nodes.map((n) => n.layer.id)] : recurrentGroups(model)) {
    for (const id of group) unitOf.set(id, members.length);
    members.push(group.map((id) => byId.get(id)!));
  }
  for (const n of nodes) {
    if (!unitOf.has(n.layer.id)) {
      unitOf.set(n.layer.id, members.length);
      members.push([n]);
    }
  }
  const deps = members.map((ms) => {
    const d = new Set<number>();
    for (const m of ms) for (const src of m.inputs) if (src !== MODEL_INPUT && unitOf.get(src) !== unitOf.get(m.layer.id)) d.add(unitOf.get(src)!);
    return d;
  });
  const first = (ms: GraphNode[]) => Math.min(...ms.map((m) => position.get(m.layer.id)!));
  const unitOrder = topoSort(members.length, deps, (u) => first(members[u]!));
  if (unitOrder === undefined) throw new Error(`model ${model.name}: the graph has a cycle outside its recurrent groups`);
  const units = unitOrder.map((u): PlanUnit => {
    const ms = members[u]!;
    if (ms.length === 1 && !opts.stepwise && !ms[0]!.inputs.includes(ms[0]!.layer.id)) return { kind: 'node', node: ms[0]! };
    const local = new Map(ms.map((m, i) => [m.layer.id, i]));
    const inner = ms.map((m) => {
      const d = new Set<number>();
      if (m.op.kind !== 'delay') for (const src of m.inputs) if (local.has(src)) d.add(local.get(src)!);
      return d;
    });
    const order = topoSort(ms.length, inner, (i) => position.get(ms[i]!.layer.id)!);
    if (order === undefined) {
      throw new Error(`model ${model.name}: the loop through ${ms.map((m) => m.layer.id).join(', ')} has no delay`);
    }
    return { kind: 'loop', nodes: order.map((i) => ms[i]!) };
  });
  return { units, outputId };
}

/** Kahn's algorithm, smallest `key` first among the ready; undefined on a cycle. */
function topoSort(n: number, deps: readonly Set<number>[], key: (i: number) => number): number[] | undefined {
  const remaining = deps.map((d) => d.size);
  const readers: number[][] = Array.from({ length: n }, () => []);
  deps.forEach((d, i) => d.forEach((j) => readers[j]!.push(i)));
  const ready = remaining.flatMap((r, i) => (r === 0 ? [i] : []));
  const out: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => key(b) - key(a));
    const u = ready.pop()!;
    out.push(u);
    for (const r of readers[u]!) if (--remaining[r]! === 0) ready.push(r);
  }
  return out.length === n ? out : undefined;
}

/** Node inputs resolved once from the IR. */
export function resolvedInputs(model: Model): string[][] {
  return model.layers.map((_, i) => layerInputs(model, i));
}
