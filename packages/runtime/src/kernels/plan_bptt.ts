import * as tf from '@tensorflow/tfjs-core';
import { literalValue, PLAN_SPIKE, PLAN_SURROGATE, type Expr, type NeuronKernelPlan, type Surrogate } from '@snnc/ir';
import { exprToTensor } from '../model/neurons/equations.js';
import { surrogateDerivativeTensor } from '../model/surrogate.js';

/**
 * The multi-step neuron of a kernel plan (@snnc/ir `neuronKernelPlan`) as tfjs ops with its
 * backward pass (BPTT) built from the plan's symbolic derivatives, for backends without the
 * fused kernels (tensorflow: copying data out of TensorFlow into a JS kernel and back costs
 * more than it saves) and for plans without a generated kernel. The forward runs the plan's
 * per-step expressions and records no tape; the backward evaluates the Jacobians for all T
 * steps in whole-sequence ops and keeps only the recurrence in the time loop: for the LIF,
 * ~3 small ops per step instead of autodiff's ~15.
 * x: [T*B, ...] time-major, or [B, ...] with staticInput. Returns y [T*B, ...]: the spikes, or
 * the membrane of a non-spiking neuron.
 */
export interface PlanBpttCall {
  plan: NeuronKernelPlan;
  steps: number;
  staticInput: boolean;
  surrogate: Surrogate;
}

type Value = tf.Tensor | number;

const isTensor = (v: Value): v is tf.Tensor => typeof v !== 'number';

function evalAt(e: Expr, env: ReadonlyMap<string, Value>, shape: readonly number[]): Value {
  return exprToTensor(e, env, shape);
}

/** a * b, skipping the op for a literal 0 or 1 factor. */
function times(a: Value, b: Value): Value | null {
  if (b === 0 || a === 0) return null;
  if (b === 1) return a;
  if (a === 1) return b;
  if (!isTensor(a) && !isTensor(b)) return a * b;
  return tf.mul(a, b);
}

/** Sum of the non-null terms (null: nothing). */
function sum(terms: (Value | null)[]): Value | null {
  const live = terms.filter((t): t is Value => t !== null);
  if (live.length === 0) return null;
  return live.reduce((acc, t) => (!isTensor(acc) && !isTensor(t) ? acc + t : tf.add(acc, t)));
}

/** Every tensor inside a result of arrays and plain objects. */
function tensorsIn(v: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (v instanceof tf.Tensor) out.push(v);
  else if (Array.isArray(v)) for (const x of v) tensorsIn(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) tensorsIn(x, out);
  return out;
}

/**
 * tf.tidy for results that also hold numbers and nulls (Value): every tensor made in f is freed
 * when f returns, except those in its result, which move to the enclosing scope.
 */
function scoped<R>(f: () => R): R {
  const engine = tf.engine();
  engine.startScope();
  let result: R;
  try {
    result = f();
  } catch (e) {
    engine.endScope();
    throw e;
  }
  engine.endScope(tensorsIn(result));
  return result;
}

const full = (v: Value, shape: readonly number[]): tf.Tensor => (isTensor(v) ? v : tf.fill(shape as number[], v));

export function planBpttNeuron(x: tf.Tensor, call: PlanBpttCall): tf.Tensor {
  const { plan, steps: T, staticInput: isStatic, surrogate } = call;
  if (!isStatic && x.shape[0]! % T !== 0) {
    throw new Error(`planBpttNeuron: expected a leading axis divisible by T=${T}, got [${x.shape.join(', ')}]`);
  }
  const k = plan.state.length;
  const idx = plan.state.map((_, i) => i);
  const m = 0;
  const refractory = plan.refractorySteps > 0;
  const init = plan.init.map((e) => literalValue(e) ?? NaN);
  const deltaZero = plan.delta.map((d) => literalValue(d) === 0);

  /** z after the reset: h - s delta(h) (for a hard reset to 0, h - s h). */
  const afterReset = (h: Value[], s: tf.Tensor, shape: readonly number[]): Value[] => {
    const env = new Map<string, Value>(plan.state.map((name, i) => [name, h[i]!]));
    return idx.map((i) => (deltaZero[i] ? h[i]! : tf.sub(full(h[i]!, shape), tf.mul(s, evalAt(plan.delta[i]!, env, shape)))));
  };

  const f = tf.customGrad((xIn, save) => {
    const xv = xIn as tf.Tensor;
    const xs = isStatic ? null : T === 1 ? [xv] : tf.split(xv, T, 0);
    const shape = isStatic ? xv.shape : xs![0]!.shape;
    const hs: tf.Tensor[][] = idx.map(() => []);
    const ys: tf.Tensor[] = [];
    const bs: tf.Tensor[] = [];
    let z: Value[] = [...init];
    let counter: tf.Tensor | null = null; // refractory steps left, per neuron
    // Each step in its own scope: only h, y, the new state and the refractory count outlive it,
    // so the forward holds about one step of temporaries, not T.
    for (let t = 0; t < T; t++) {
      const xt = isStatic ? xv : xs![t]!;
      const prevZ = z;
      const prevCounter: tf.Tensor | null = counter;
      interface StepOut {
        hT: tf.Tensor[];
        y: tf.Tensor;
        next: tf.Tensor[];
        blocked: tf.Tensor | null;
        left: tf.Tensor | null;
      }
      const out = scoped((): StepOut => {
        const env = new Map<string, Value>(plan.state.map((name, i) => [name, prevZ[i]!]));
        env.set(plan.input, xt);
        const h: Value[] = plan.update.map((e) => evalAt(e, env, shape));
        let blocked: tf.Tensor | null = null;
        if (refractory) {
          blocked = prevCounter === null ? tf.zeros(shape as number[]) : tf.cast(tf.greater(prevCounter, 0), 'float32');
          h[m] = tf.where(tf.cast(blocked, 'bool'), full(prevZ[m]!, shape), full(h[m]!, shape));
        }
        const hT = h.map((v) => full(v, shape));
        let y: tf.Tensor;
        let next: Value[];
        let left: tf.Tensor | null = null;
        if (plan.spike) {
          let s = tf.cast(spikeTest(plan, hT, shape), 'float32');
          if (blocked) s = tf.mul(s, tf.sub(1, blocked));
          y = s;
          next = afterReset(hT, s, shape);
          if (refractory) {
            const rest: tf.Tensor = prevCounter === null ? tf.zeros(shape as number[]) : tf.relu(tf.sub(prevCounter, 1));
            left = tf.where(tf.cast(s, 'bool'), tf.fill(shape as number[], plan.refractorySteps), rest);
          }
        } else {
          y = hT[m]!;
          next = hT;
        }
        return { hT, y, next: next.map((v) => full(v, shape)), blocked, left };
      });
      out.hT.forEach((v, i) => hs[i]!.push(v));
      ys.push(out.y);
      if (out.blocked) bs.push(out.blocked);
      // the previous state and count are no longer read (a state is never its own step's h)
      const live = new Set<tf.Tensor>([...out.hT, out.y, ...out.next, ...hs.flat(), ...ys]);
      for (const v of [...prevZ, prevCounter]) if (v !== null && isTensor(v) && !live.has(v)) v.dispose();
      z = out.next;
      counter = out.left;
    }
    for (const v of [...z, counter]) if (v !== null && isTensor(v) && !hs.some((l) => l.includes(v)) && !ys.includes(v)) v.dispose();
    const cat = (ts: tf.Tensor[]) => (T === 1 ? ts[0]! : tf.concat(ts, 0));
    const Y = cat(ys);
    const H = hs.map(cat);
    const B = refractory ? cat(bs) : null;
    // x is kept for the backward only where the Jacobians read it
    (save as tf.GradSaveFunc)([Y, ...H, ...(B ? [B] : []), ...(plan.backwardReadsInput ? [xv] : [])]);
    return {
      value: Y,
      gradFunc: (dy, saved) => {
        const Ys = saved[0]!;
        const Hs = saved.slice(1, 1 + k);
        const Bs = refractory ? saved[1 + k]! : null;
        const xSaved = plan.backwardReadsInput ? saved[saved.length - 1]! : null;
        const seqShape = Hs[0]!.shape;
        const stepShape = [seqShape[0]! / T, ...seqShape.slice(1)];
        const outer = new Set<tf.Tensor>([dy, ...saved]);
        // Whole-sequence factors, each computed in a scope that frees its temporaries at once:
        // direct_j = dy g dDiff_j (g = sg(diff), 0 while refractory) and R_ij = dz_i/dh_j.
        const { direct, R } = scoped(() => {
          const hEnv = new Map<string, Value>(plan.state.map((name, i) => [name, Hs[i]!]));
          if (!plan.spike) return { direct: idx.map((j) => (j === m ? dy : null)), R: idx.map((i) => idx.map((j) => (i === j ? 1 : 0))) as Value[][] };
          let g = surrogateDerivativeTensor(surrogate, full(evalAt(plan.spike.diff, hEnv, seqShape), seqShape));
          if (Bs) g = tf.mul(g, tf.sub(1, Bs));
          const gs = tf.mul(dy, g);
          const rEnv = new Map<string, Value>([...hEnv, [PLAN_SPIKE, Ys], [PLAN_SURROGATE, g]]);
          return {
            direct: idx.map((j) => times(gs, evalAt(plan.diffJac[j]!, hEnv, seqShape))),
            R: idx.map((i) => idx.map((j) => evalAt(plan.resetJac[i]![j]!, rEnv, seqShape))),
          };
        });
        // dh/dz[t-1] and dh/dx at the previous state and the input, where the Jacobians read them
        const { J, Jx } = scoped(() => {
          const zEnv = new Map<string, Value>();
          if (plan.backwardReadsState) {
            const zAll = plan.spike ? afterReset(Hs, Ys, seqShape) : Hs;
            plan.state.forEach((name, i) => {
              const first = tf.fill(stepShape, init[i]!);
              const prev = T === 1 ? first : tf.concat([first, tf.slice(full(zAll[i]!, seqShape), 0, stepShape[0]! * (T - 1))], 0);
              zEnv.set(name, prev);
            });
          }
          if (xSaved) zEnv.set(plan.input, isStatic && T > 1 ? tf.concat(new Array<tf.Tensor>(T).fill(xSaved), 0) : xSaved);
          let J: Value[][] = plan.updateJac.map((row) => row.map((e) => evalAt(e, zEnv, seqShape)));
          let Jx: Value[] = plan.inputJac.map((e) => evalAt(e, zEnv, seqShape));
          if (Bs) {
            // while refractory the membrane is held: its row is the identity, no input path
            const keep = tf.sub(1, Bs);
            J = J.map((row, i) => (i !== m ? row : row.map((v, j) => (j === m ? tf.add(tf.mul(v, keep), Bs) : tf.mul(v, keep)))));
            Jx = Jx.map((v, i) => (i !== m ? v : tf.mul(v, keep)));
          }
          return { J, Jx };
        });
        const owned = (v: Value | null): v is tf.Tensor => v !== null && isTensor(v) && !outer.has(v);
        const factors = new Set<tf.Tensor>([...direct, ...R.flat(), ...J.flat()].filter(owned));
        // the recurrence, backwards in time, one step's slices at a time
        const rows = stepShape[0]!;
        const at = (v: Value, t: number): Value => (isTensor(v) ? (T === 1 ? v : tf.slice(v, t * rows, rows)) : v);
        const gh: tf.Tensor[][] = idx.map(() => new Array<tf.Tensor>(T));
        const pieces = new Set<tf.Tensor>(); // gh[t]: kept until the end
        let gz: (tf.Tensor | null)[] = idx.map(() => null);
        for (let t = T - 1; t >= 0; t--) {
          const carried = gz;
          const out = scoped(() => {
            const ght = idx.map((j) => {
              const d = direct[j] ?? null;
              return full(sum([d === null ? null : at(d, t), ...idx.map((i) => (carried[i] === null ? null : times(carried[i]!, at(R[i]![j]!, t))))]) ?? 0, stepShape);
            });
            const next = t > 0 ? idx.map((j) => { const v = sum(idx.map((i) => times(ght[i]!, at(J[i]![j]!, t)))); return v === null ? null : full(v, stepShape); }) : idx.map(() => null);
            // a value passed straight through (dy, a factor) gets its own handle, freed on its own
            const own = (v: tf.Tensor | null) => (v !== null && (outer.has(v) || factors.has(v)) ? v.clone() : v);
            return { ght: ght.map((v) => own(v)!), next: next.map(own) };
          });
          out.ght.forEach((v, j) => {
            gh[j]![t] = v;
            pieces.add(v);
          });
          for (const v of carried) if (v !== null && !pieces.has(v) && !out.next.includes(v)) v.dispose();
          gz = out.next;
        }
        for (const v of gz) if (v !== null && !pieces.has(v)) v.dispose();
        tf.dispose([...factors]);
        const dx = scoped(() => {
          // a static input's gradient is the sum over the steps: add the pieces, no concat
          if (isStatic && T > 1 && Jx.every((v) => !isTensor(v))) return full(sum(idx.map((i) => times(tf.addN(gh[i]!), Jx[i]!))) ?? 0, stepShape);
          const ghSeq = gh.map((ts) => (T === 1 ? ts[0]! : tf.concat(ts, 0)));
          const dxSeq = full(sum(idx.map((i) => times(ghSeq[i]!, Jx[i]!))) ?? 0, seqShape);
          return !isStatic || T === 1 ? dxSeq : tf.addN(tf.split(dxSeq, T, 0));
        });
        tf.dispose([...pieces, ...Jx.filter(owned)].filter((v) => v !== dx));
        return dx;
      },
    };
  });
  return f(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}

/**
 * diff >= 0 (or > 0) as a boolean tensor; `v - c` (the usual threshold) compares v with c
 * directly: h >= thr is exactly f32(h - thr) >= 0, one op less.
 */
function spikeTest(plan: NeuronKernelPlan, h: tf.Tensor[], shape: readonly number[]): tf.Tensor {
  const d = plan.spike!.diff;
  const strict = plan.spike!.strict;
  if (d.kind === 'binary' && d.op === '-' && d.left.kind === 'var' && d.right.kind === 'num') {
    const i = plan.state.indexOf(d.left.name);
    if (i >= 0) return strict ? tf.greater(h[i]!, d.right.value) : tf.greaterEqual(h[i]!, d.right.value);
  }
  const env = new Map<string, Value>(plan.state.map((name, i) => [name, h[i]!]));
  const diff = full(evalAt(d, env, shape), shape);
  return strict ? tf.greater(diff, 0) : tf.greaterEqual(diff, 0);
}
