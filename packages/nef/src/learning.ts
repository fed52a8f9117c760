import { assertNever, type LearningRule, type Synapse } from '@snnc/ir';
import { FilterState } from './synapses.js';

/**
 * One learning rule at run time, with Nengo 4.1's update equations (`builder/learning_rules.py`).
 * Activities are in Hz (a spike is 1/dt for one step). Each step the simulator first fills
 * the rule's signal (PES error, Voja learning signal), then calls `apply()`, which updates the
 * weights from the filtered activities of the previous steps and then feeds this step's
 * activities into the rule's filters (so, as in Nengo, a spike reaches the update one filter
 * step later, and the connection used the old weights this step).
 */
export interface RuleRuntime {
  apply(): void;
  reset(): void;
}

export interface RuleParts {
  rule: LearningRule;
  dt: number;
  /**
   * The learned matrix: for PES, BCM and Oja the connection's rows (pre x width: weight from
   * pre element i to post element o at i * width + o); for Voja the post's scaled encoders (n x dims).
   */
  weights: Float64Array;
  width: number;
  /** This step's pre activities (the pre neurons the rows belong to), or null for Voja from an input. */
  preOut: Float64Array | null;
  /** This step's post neuron outputs (BCM, Oja, Voja). */
  postOut: Float64Array | null;
  /** PES error (post dims) or Voja learning signal (1). */
  signal: Float64Array;
  /** Voja: the connection's decoded value delivered to the post this step. */
  delivered: Float64Array | null;
  /** Voja: gain / radius of each post neuron. */
  encoderScale: Float64Array | null;
}

/** A filter over `width` activities, or the raw activities when the synapse is null. */
class Filtered {
  private readonly f: FilterState | null;
  private readonly raw: Float64Array;
  /** The raw values of the previous step (what a null synapse gives, matching the one-step read). */
  private readonly last: Float64Array;

  constructor(synapse: Synapse | null, dt: number, raw: Float64Array) {
    this.raw = raw;
    this.f = synapse === null ? null : FilterState.of(synapse, dt, raw.length);
    this.last = new Float64Array(raw.length);
  }

  /** The filtered activities as of the previous step. */
  get value(): Float64Array {
    return this.f === null ? this.last : this.f.output;
  }

  advance(): void {
    if (this.f === null) this.last.set(this.raw);
    else this.f.step(this.raw);
  }

  reset(): void {
    this.f?.reset();
    this.last.fill(0);
  }
}

export function makeRule(p: RuleParts): RuleRuntime {
  const { rule, dt, weights: w, width } = p;
  switch (rule.kind) {
    case 'pes': {
      const pre = new Filtered(rule.preSynapse, dt, p.preOut!);
      const n = p.preOut!.length;
      const e = p.signal;
      return {
        apply() {
          // dW[o, i] = -rate dt / n_pre * e[o] a_pre[i]
          const alpha = (-rule.learningRate * dt) / n;
          const a = pre.value;
          for (let i = 0; i < n; i++) {
            const ai = a[i]!;
            if (ai === 0) continue;
            const base = i * width;
            for (let o = 0; o < width; o++) w[base + o] = w[base + o]! + alpha * e[o]! * ai;
          }
          pre.advance();
        },
        reset: () => pre.reset(),
      };
    }
    case 'bcm': {
      const pre = new Filtered(rule.preSynapse, dt, p.preOut!);
      const post = new Filtered(rule.postSynapse, dt, p.postOut!);
      const theta = new Filtered(rule.thetaSynapse, dt, p.postOut!);
      const nPre = p.preOut!.length;
      return {
        apply() {
          // dW[j, i] = rate dt a_post[j] (a_post[j] - theta[j]) a_pre[i]
          const alpha = rule.learningRate * dt;
          const a = pre.value;
          const b = post.value;
          const th = theta.value;
          for (let i = 0; i < nPre; i++) {
            const ai = a[i]!;
            if (ai === 0) continue;
            const base = i * width;
            for (let j = 0; j < width; j++) w[base + j] = w[base + j]! + alpha * b[j]! * (b[j]! - th[j]!) * ai;
          }
          pre.advance();
          post.advance();
          theta.advance();
        },
        reset() {
          pre.reset();
          post.reset();
          theta.reset();
        },
      };
    }
    case 'oja': {
      const pre = new Filtered(rule.preSynapse, dt, p.preOut!);
      const post = new Filtered(rule.postSynapse, dt, p.postOut!);
      const nPre = p.preOut!.length;
      return {
        apply() {
          // dW[j, i] = rate dt (a_post[j] a_pre[i] - beta a_post[j]^2 W[j, i])
          const alpha = rule.learningRate * dt;
          const a = pre.value;
          const b = post.value;
          for (let i = 0; i < nPre; i++) {
            const ai = a[i]!;
            const base = i * width;
            for (let j = 0; j < width; j++) {
              const bj = b[j]!;
              if (bj === 0) continue;
              w[base + j] = w[base + j]! + alpha * (bj * ai - rule.beta * bj * bj * w[base + j]!);
            }
          }
          pre.advance();
          post.advance();
        },
        reset() {
          pre.reset();
          post.reset();
        },
      };
    }
    case 'voja': {
      const post = new Filtered(rule.postSynapse, dt, p.postOut!);
      const n = p.postOut!.length;
      const x = p.delivered!;
      const scale = p.encoderScale!;
      const s = p.signal;
      return {
        apply() {
          // dE[j] = rate dt s (scale[j] a_post[j] x - a_post[j] E[j]), E the scaled encoders
          const alpha = rule.learningRate * dt * s[0]!;
          const b = post.value;
          if (alpha !== 0)
            for (let j = 0; j < n; j++) {
              const bj = b[j]!;
              if (bj === 0) continue;
              const base = j * width;
              for (let k = 0; k < width; k++) w[base + k] = w[base + k]! + alpha * bj * (scale[j]! * x[k]! - w[base + k]!);
            }
          post.advance();
        },
        reset: () => post.reset(),
      };
    }
    default:
      return assertNever(rule);
  }
}
