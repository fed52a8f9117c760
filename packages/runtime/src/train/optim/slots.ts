import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKind } from '@snnc/ir';
import type { OptimizerSnapshot, Param } from './optimizer.js';

/**
 * Per-parameter optimizer state: one zero-initialised, non-trainable variable per slot name
 * (`m`, `v`, `momentum`), created on first use, and an update count per parameter.
 */
export class SlotStore {
  private readonly slots = new Map<string, tf.Variable>();
  private readonly counts = new Map<string, number>();

  constructor(
    readonly kind: OptimizerKind,
    readonly params: readonly Param[],
    readonly slotNames: readonly string[],
  ) {
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) throw new Error(`optimizer: parameter name ${p.name} appears twice`);
      seen.add(p.name);
    }
  }

  slot(param: Param, slot: string): tf.Variable {
    const key = `${param.name}/${slot}`;
    let v = this.slots.get(key);
    if (v === undefined) {
      v = tf.variable(tf.zerosLike(param.variable), false);
      this.slots.set(key, v);
    }
    return v;
  }

  /** Updates applied to this parameter so far. */
  count(param: Param): number {
    return this.counts.get(param.name) ?? 0;
  }

  /** Marks one more update of `param` and returns the new count (PyTorch's `state['step']`). */
  increment(param: Param): number {
    const n = this.count(param) + 1;
    this.counts.set(param.name, n);
    return n;
  }

  snapshot(): OptimizerSnapshot {
    const slots: Record<string, tf.Tensor> = {};
    for (const [k, v] of this.slots) slots[k] = v;
    return { kind: this.kind, steps: Object.fromEntries(this.counts), slots };
  }

  restore(snapshot: OptimizerSnapshot): void {
    if (snapshot.kind !== this.kind) throw new Error(`optimizer: expected ${this.kind} state, got ${snapshot.kind}`);
    const byName = new Map(this.params.map((p) => [p.name, p]));
    for (const name of Object.keys(snapshot.steps)) {
      if (!byName.has(name)) throw new Error(`optimizer: state for unknown parameter ${name}`);
    }
    for (const key of Object.keys(snapshot.slots)) {
      const cut = key.lastIndexOf('/');
      const param = byName.get(key.slice(0, cut));
      const slot = key.slice(cut + 1);
      if (param === undefined || !this.slotNames.includes(slot)) throw new Error(`optimizer: unexpected slot ${key}`);
      const t = snapshot.slots[key]!;
      if (!tf.util.arraysEqual(t.shape, param.variable.shape)) {
        throw new Error(`optimizer: slot ${key} has shape [${t.shape}], expected [${param.variable.shape}]`);
      }
    }
    this.dispose();
    for (const [key, t] of Object.entries(snapshot.slots)) this.slots.set(key, tf.variable(t.clone(), false));
    for (const [name, n] of Object.entries(snapshot.steps)) this.counts.set(name, n);
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
    this.counts.clear();
  }
}
