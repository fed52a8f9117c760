import type { ImportPlan } from './plan.js';

/** A weight under the runtime's name (`dense_0/kernel`), as safetensors stores it. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * The planned tensors under the compiled model's layer ids. Chains: planned layer i is compiled
 * layer i. Graphs: each planned layer ends a named result, the compiled layer of that name.
 */
export function plannedWeights(plan: ImportPlan, layers: readonly { id: string; name?: string }[]): NamedWeight[] {
  const named = new Map(layers.flatMap((l) => (l.name === undefined ? [] : [[l.name, l] as const])));
  const chain = plan.layers.every((l) => l.result === undefined);
  if (chain && layers.length !== plan.layers.length) throw new Error(`plannedWeights: planned ${plan.layers.length} layers, compiled ${layers.length}`);
  return plan.layers.flatMap((l, i) => {
    const layer = l.result === undefined ? layers[i] : named.get(l.result);
    if (!layer) throw new Error(`plannedWeights: no compiled layer for ${l.result ?? `layer ${i}`}`);
    return l.tensors.map((t) => ({ name: `${layer.id}/${t.name}`, shape: t.shape, data: t.data }));
  });
}
