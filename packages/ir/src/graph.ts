import type { Layer, Model } from './ir.js';

/**
 * Graph views of a model. `Model.layers` holds every node in execution order; a layer
 * without `inputs` reads the previous one, so a chain is the special case. These helpers are
 * the one place that rule is written.
 */

/** The id that stands for the encoded model input in `Layer.inputs`. */
export const MODEL_INPUT = 'input';

/** What the graph helpers read of a model: node ids and edges (a Model, or a graph being built). */
export interface NodeList {
  readonly layers: readonly { readonly id: string; readonly inputs?: string[] | undefined }[];
}

/** The ids `layer` reads, in order (`"input"` for the model input). */
export function layerInputs(model: NodeList, index: number): string[] {
  const layer = model.layers[index];
  if (layer === undefined) throw new Error(`layerInputs: no layer ${index} in a model of ${model.layers.length}`);
  if (layer.inputs !== undefined) return layer.inputs;
  return [index === 0 ? MODEL_INPUT : model.layers[index - 1]!.id];
}

/** Id of the node whose output the decoder reads. */
export function modelOutputId(model: Pick<Model, 'layers' | 'output'>): string {
  const last = model.layers[model.layers.length - 1];
  if (model.output !== undefined) return model.output;
  if (last === undefined) throw new Error('modelOutputId: a model without layers');
  return last.id;
}

/** The node the decoder reads. */
export function modelOutputLayer(model: Pick<Model, 'layers' | 'output'>): Layer {
  const id = modelOutputId(model);
  const found = model.layers.find((l) => l.id === id);
  if (found === undefined) throw new Error(`modelOutputLayer: output \`${id}\` is not a layer of the model`);
  return found;
}

/** Whether the model has any node that reads something other than its predecessor. */
export function isChain(model: Pick<Model, 'layers' | 'output'>): boolean {
  return model.output === undefined && model.layers.every((l, i) => l.inputs === undefined || (l.inputs.length === 1 && l.inputs[0] === (i === 0 ? MODEL_INPUT : model.layers[i - 1]!.id)));
}

/**
 * The recurrent loops: strongly connected components of the node graph (edges from each
 * input to its reader) that contain a cycle, each as node ids in execution order. Their nodes
 * run step by step in time; every other node runs once over all T steps.
 */
export function recurrentGroups(model: NodeList): string[][] {
  const ids = model.layers.map((l) => l.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  // succ[i]: the nodes that read node i.
  const succ: number[][] = ids.map(() => []);
  const selfLoop = new Set<number>();
  model.layers.forEach((_, i) => {
    for (const src of layerInputs(model, i)) {
      const j = index.get(src);
      if (j === undefined) continue;
      succ[j]!.push(i);
      if (j === i) selfLoop.add(i);
    }
  });
  // Tarjan's algorithm, iterative so deep chains cannot overflow the stack.
  const order = new Array<number>(ids.length).fill(-1);
  const low = new Array<number>(ids.length).fill(0);
  const onStack = new Array<boolean>(ids.length).fill(false);
  const stack: number[] = [];
  const groups: number[][] = [];
  let counter = 0;
  for (let root = 0; root < ids.length; root++) {
    if (order[root] !== -1) continue;
    const work: { node: number; next: number }[] = [{ node: root, next: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const v = frame.node;
      if (frame.next < succ[v]!.length) {
        const w = succ[v]![frame.next++]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ node: w, next: 0 });
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, order[w]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[v]!);
      if (low[v] === order[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || selfLoop.has(v)) groups.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return groups.sort((a, b) => a[0]! - b[0]!).map((g) => g.map((i) => ids[i]!));
}

/**
 * How a runtime executes `model`, in words (for `snnc compile`): which layers run step by step
 * because they form a recurrent loop, and that the rest runs once over all T steps.
 */
export function describeExecution(model: Pick<Model, 'name' | 'layers' | 'steps'>): string {
  const loops = recurrentGroups(model);
  if (loops.length === 0) return `model ${model.name}: feed-forward; every layer runs once over all ${model.steps} steps (fused multi-step)`;
  const named = (id: string) => {
    const l = model.layers.find((x) => x.id === id);
    return l?.name !== undefined ? `${id} (${l.name})` : id;
  };
  const parts = loops.map((g, i) => `loop ${i + 1}: ${g.map(named).join(', ')}`);
  const stepwise = loops.reduce((n, g) => n + g.length, 0);
  const rest = model.layers.length - stepwise;
  return `model ${model.name}: step by step (BPTT) in ${parts.join('; ')}; ${rest === 0 ? 'no other layer' : `the other ${rest} layer(s) run once over all ${model.steps} steps (fused multi-step)`}`;
}
