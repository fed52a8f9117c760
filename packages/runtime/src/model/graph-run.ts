import * as tf from '@tensorflow/tfjs-core';
import { assertNever, MODEL_INPUT, type Layer, type Random } from '@snnc/ir';
import type { ForwardContext } from './context.js';
import type { GraphNode, GraphPlan } from './graph-plan.js';
import { delaySequence } from './layers/delay.js';
import { repeatSteps } from './layers/neuron.js';
import { toRuntimeShape } from './layout.js';

/**
 * A node's output: `folded` = [T*B, ...] time-major; otherwise [B, ...], the same at every
 * step (the static prefix of a direct-encoded model, run once).
 */
export interface Value {
  t: tf.Tensor;
  folded: boolean;
}

export interface RunHooks {
  /** Every executed node with its (first) input and its output, as LayerProbe.layer. */
  layer?: (layer: Layer, input: tf.Tensor, output: tf.Tensor, folded: boolean) => void;
  /** Neuron layers whose membrane (H before firing) is wanted, by id. */
  membranes: ReadonlySet<string>;
  /** Each neuron layer's [T*B, ...] spikes and, if wanted, its membrane. */
  neuron?: (layer: Layer, spikes: tf.Tensor, membrane: tf.Tensor | undefined) => void;
}

export interface RunState {
  training: boolean;
  rng: Random;
  steps: number;
  batch: number;
}

/**
 * Runs a planned graph inside the caller's tidy scope. Returns every node's value and the
 * membranes asked for. Feed-forward nodes run once over the whole sequence; loops run step by
 * step, so autodiff unrolls them in time (BPTT).
 */
export function runPlan(plan: GraphPlan, input: Value, st: RunState, hooks: RunHooks): { values: Map<string, Value>; membranes: Map<string, tf.Tensor> } {
  const values = new Map<string, Value>([[MODEL_INPUT, input]]);
  const membranes = new Map<string, tf.Tensor>();
  const ctxFor = (folded: boolean): ForwardContext => ({ training: st.training, rng: st.rng, steps: st.steps, batch: st.batch, folded });
  const get = (id: string): Value => {
    const v = values.get(id);
    if (v === undefined) throw new Error(`graph run: \`${id}\` read before it ran`);
    return v;
  };
  const foldedOf = (v: Value): tf.Tensor => (v.folded ? v.t : repeatSteps(v.t, st.steps));

  for (const unit of plan.units) {
    if (unit.kind === 'loop') {
      runLoop(unit.nodes, values, membranes, st, hooks);
      continue;
    }
    const node = unit.node;
    const ins = node.inputs.map(get);
    const first = ins[0]!;
    let out: Value;
    switch (node.op.kind) {
      case 'layer':
        out = { t: node.op.runtime.apply(first.t, ctxFor(first.folded)), folded: first.folded };
        break;
      case 'neuron': {
        const want = hooks.membranes.has(node.layer.id);
        const r = node.op.runtime.run(first.t, ctxFor(first.folded), want);
        out = { t: r.spikes, folded: true };
        if (want && r.membrane) membranes.set(node.layer.id, r.membrane);
        hooks.neuron?.(node.layer, r.spikes, r.membrane);
        break;
      }
      case 'merge': {
        const allStatic = ins.every((v) => !v.folded);
        out = { t: node.op.runtime.merge(ins.map((v) => (allStatic ? v.t : foldedOf(v)))), folded: !allStatic };
        break;
      }
      case 'delay':
        out = { t: delaySequence(node.op.layer, foldedOf(first), st.steps), folded: true };
        break;
      default:
        return assertNever(node.op);
    }
    values.set(node.layer.id, out);
    hooks.layer?.(node.layer, first.t, out.t, first.folded);
  }
  return { values, membranes };
}

/** One recurrent group, step by step; afterwards each node's steps are joined to [T*B, ...]. */
function runLoop(nodes: readonly GraphNode[], values: Map<string, Value>, membranes: Map<string, tf.Tensor>, st: RunState, hooks: RunHooks): void {
  const T = st.steps;
  const B = st.batch;
  const inLoop = new Set(nodes.map((n) => n.layer.id));
  const outs = new Map<string, tf.Tensor[]>(nodes.map((n) => [n.layer.id, []]));
  const firstIns = new Map<string, tf.Tensor[]>(nodes.map((n) => [n.layer.id, []]));
  const hs = new Map<string, tf.Tensor[]>();
  const steppers = new Map(nodes.flatMap((n) => (n.op.kind === 'neuron' ? [[n.layer.id, n.op.runtime.stepper()] as const] : [])));
  // Inputs from outside the loop, cut into steps once.
  const outside = new Map<string, tf.Tensor[]>();
  const external = (id: string, t: number): tf.Tensor => {
    const v = values.get(id);
    if (v === undefined) throw new Error(`graph run: \`${id}\` read before it ran`);
    if (!v.folded) return v.t;
    let parts = outside.get(id);
    if (parts === undefined) {
      parts = T === 1 ? [v.t] : tf.split(v.t, T, 0);
      outside.set(id, parts);
    }
    return parts[t]!;
  };
  const at = (id: string, t: number): tf.Tensor => (inLoop.has(id) ? outs.get(id)![t]! : external(id, t));
  const ctx: ForwardContext = { training: st.training, rng: st.rng, steps: 1, batch: B, folded: true };

  for (let t = 0; t < T; t++) {
    for (const node of nodes) {
      const id = node.layer.id;
      let y: tf.Tensor;
      let x0: tf.Tensor;
      switch (node.op.kind) {
        case 'delay': {
          const src = node.inputs[0]!;
          const back = t - node.op.layer.steps;
          x0 = back >= 0 ? at(src, back) : tf.zeros([B, ...toRuntimeShape(node.layer.outShape)]);
          y = x0;
          break;
        }
        case 'layer':
          x0 = at(node.inputs[0]!, t);
          y = node.op.runtime.apply(x0, ctx);
          break;
        case 'neuron': {
          x0 = at(node.inputs[0]!, t);
          const r = steppers.get(id)!.step(x0);
          y = r.spikes;
          if (hooks.membranes.has(id) || hooks.neuron) (hs.get(id) ?? hs.set(id, []).get(id)!).push(r.membrane);
          break;
        }
        case 'merge': {
          const xs = node.inputs.map((src) => at(src, t));
          x0 = xs[0]!;
          y = node.op.runtime.merge(xs);
          break;
        }
        default:
          return assertNever(node.op);
      }
      outs.get(id)!.push(y);
      firstIns.get(id)!.push(x0);
    }
  }
  const join = (ts: tf.Tensor[]) => (ts.length === 1 ? ts[0]! : tf.concat(ts, 0));
  for (const node of nodes) {
    const id = node.layer.id;
    const seq = join(outs.get(id)!);
    values.set(id, { t: seq, folded: true });
    const h = hs.get(id);
    const membrane = h ? join(h) : undefined;
    if (membrane && hooks.membranes.has(id)) membranes.set(id, membrane);
    if (node.op.kind === 'neuron') hooks.neuron?.(node.layer, seq, hooks.membranes.has(id) ? membrane : undefined);
    hooks.layer?.(node.layer, join(firstIns.get(id)!), seq, true);
  }
}
