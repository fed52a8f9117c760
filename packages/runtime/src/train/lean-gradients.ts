import * as tf from '@tensorflow/tfjs-core';

/**
 * tf.variableGrads with the memory of a define-by-run framework. tfjs 4.22's backward pass keeps
 * every gradient it computes and every tensor the forward pass saved until the whole pass ends,
 * so a training step peaks at about twice the forward's saved activations (measured: 980 MB of
 * tensors for the report's network at batch 64 on tensorflow, growing to the very last kernel).
 * Here each tape node's saved tensors are freed as soon as its gradient has run (no other node
 * uses them), and a tensor's accumulated gradient as soon as the node that produced the tensor
 * has consumed it, as PyTorch's autograd does. The walk is tfjs's own (engine.gradients and
 * tape.ts, 4.22.0, pinned), over its tape; values and gradients are identical.
 */

/** The parts of tfjs-core's engine this walk uses (tfjs-core 4.22.0; not public API). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
  tidy<T extends tf.TensorContainer>(f: () => T): T;
}

/** Whether the running tfjs-core has the internals this walk relies on. */
function engineInternals(): EngineInternals | null {
  const e = tf.engine() as unknown as Partial<EngineInternals>;
  const ok = typeof e.scopedRun === 'function' && typeof e.startTape === 'function' && typeof e.endTape === 'function' && typeof e.state === 'object';
  return ok ? (e as EngineInternals) : null;
}

/** tfjs's getFilteredNodesXToY: the nodes on a path from some x to y, inputs pruned to those from x. */
function nodesFromXToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      for (const o of node.outputs) fromX.add(o.id);
      nodesFromX.add(node.id);
    }
  }
  const toY = new Set<number>([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      for (const t of Object.values(node.inputs)) toY.add(t.id);
      nodesToY.add(node.id);
    }
  }
  const out: TapeNode[] = [];
  for (const node of tape) {
    if (!nodesFromX.has(node.id) || !nodesToY.has(node.id)) continue;
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(node.inputs)) if (fromX.has(t.id)) inputs[name] = t;
    out.push({ ...node, inputs });
  }
  return out;
}

/**
 * Value and gradients of `f` with respect to `vars` (all of them when a variable does not reach
 * the value: then it has no entry, like tf.variableGrads). Falls back to tf.variableGrads when
 * higher-order gradients are being taken or the engine lacks the internals.
 */
export function leanVariableGrads(f: () => tf.Scalar, vars: readonly tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = engineInternals();
  if (engine === null || engine.state.gradientDepth !== 0) return tf.variableGrads(f, [...vars]);
  const xs = vars.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('leanVariableGrads: no trainable variables');
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  );
  if (!(y instanceof tf.Tensor) || y.rank !== 0) throw new Error('leanVariableGrads: f must return a scalar tensor');
  const tape = engine.state.activeTape ?? [];
  const filtered = nodesFromXToY(tape, xs, y);
  const keep = new Set<number>(xs.map((x) => x.id));
  const grads = engine.tidy('backward', () => {
    const acc = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
    for (let i = filtered.length - 1; i >= 0; i--) {
      const node = filtered[i]!;
      if (node.gradient === undefined) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
      const dys = node.outputs.map((o) => acc.get(o.id) ?? null);
      const gradient = node.gradient;
      // One scope for the node: a custom gradient computes all its input gradients inside
      // node.gradient() (tfjs only scopes the closures it returns), and the zeros standing in
      // for unused outputs are made there too; everything but the input gradients is freed here.
      const dxs = engine.tidy(() => {
        const inputGradients = gradient(dys);
        const out: tf.NamedTensorMap = {};
        for (const name of Object.keys(node.inputs)) {
          const g = inputGradients[name];
          if (g === undefined) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
          out[name] = g();
        }
        return out;
      });
      const produced = new Set<tf.Tensor>();
      for (const [name, x] of Object.entries(node.inputs)) {
        let dx = dxs[name]!;
        // A gradient passed straight through (dy itself, or one tensor for two inputs) gets its own
        // handle (a clone shares the data), so every map entry can be freed on its own.
        if (dys.includes(dx) || produced.has(dx)) dx = dx.clone();
        if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of input ${name} must be float32, got ${dx.dtype}`);
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of input '${name}' has shape ${dx.shape}, expected ${x.shape}`);
        }
        const current = acc.get(x.id);
        if (current === undefined) acc.set(x.id, dx);
        else {
          acc.set(x.id, tf.add(current, dx));
          current.dispose();
          dx.dispose();
        }
        produced.add(acc.get(x.id)!);
      }
      // This node was the only consumer of its outputs' gradients and of its saved tensors.
      for (const o of node.outputs) {
        const g = acc.get(o.id);
        if (g === undefined || keep.has(o.id)) continue;
        acc.delete(o.id);
        g.dispose();
      }
      for (const t of node.saved ?? []) t.dispose();
    }
    const named: tf.NamedTensorMap = {};
    for (const x of xs) {
      const g = acc.get(x.id);
      if (g !== undefined) named[x.name] = g;
    }
    return named;
  });
  // Nodes outside the x -> y paths still hold saved tensors; tfjs frees them here too.
  for (const node of tape) for (const t of node.saved ?? []) t.dispose();
  engine.state.activeTape = null;
  return { value: y as tf.Scalar, grads };
}
