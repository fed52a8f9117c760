import * as tf from '@tensorflow/tfjs-core';
import { assertNever, builtinAsEquations, liftConstants, neuronKernelPlan, type Layer, type LiftedPlan, type NeuronDef, type NeuronKernelPlan } from '@snnc/ir';
import { fusedNeuron } from '../../kernels/fused_neuron.js';
import { planBpttNeuron } from '../../kernels/plan_bptt.js';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { makeVariable } from '../init.js';
import { alifCell } from '../neurons/alif.js';
import { ifCell } from '../neurons/if.js';
import { lifCell } from '../neurons/lif.js';
import { plifCell, plifInitialW } from '../neurons/plif.js';
import { neuronStepper, runComposed, type NeuronStepper, type SequenceResult } from '../neurons/sequence.js';
import type { NeuronCell } from '../neurons/types.js';
import { buildEquationNeuron } from '../neurons/equation-layer.js';
import { selectPath } from '../neurons/path.js';
import { toRuntimeShape } from '../layout.js';

/**
 * How neuron layers run their time loop.
 * - `fused`: one JS kernel over all T steps, forward and backward (IF/LIF on cpu and wasm).
 * - `bptt`: tfjs ops forward, hand-written vectorised BPTT backward (IF/LIF, any backend).
 * - `composed`: tfjs ops, gradients by autodiff (every neuron kind, any backend).
 * - `auto`: the fastest measured that applies: fused where registered, else bptt for
 *   IF/LIF (tensorflow), else composed (PLIF's learnable tau, ALIF's adaptive threshold).
 */
export type NeuronImpl = 'auto' | 'fused' | 'bptt' | 'composed';
type Path = 'fused' | 'bptt' | 'composed';

export interface NeuronRuntime extends LayerRuntime {
  readonly def: NeuronDef;
  /** A fresh per-step runner (composed ops), for layers inside a recurrent loop. */
  stepper(): NeuronStepper;
  /**
   * x: [T*B, ...] time-major, or [B, ...] when ctx.folded is false (a static input, the same
   * at every step). Returns spikes [T*B, ...] and, when asked, H before firing.
   */
  run(x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult;
  /** Whether run() would use the fused kernel on the active backend. */
  usesFused(wantMembrane: boolean): boolean;
  /** The implementation run() uses on the active backend. */
  path(wantMembrane: boolean): Path;
}

/** A neuron's kernel plan, with its numbers (for tfjs ops) and lifted (for generated kernels). */
export interface NeuronPlans {
  plan: NeuronKernelPlan;
  lifted: LiftedPlan;
}

/**
 * The kernel plan of `def` (@snnc/ir `neuronKernelPlan`: its update, spike and reset with their
 * symbolic derivatives), or null where the fused and BPTT kernels do not apply: PLIF's and other
 * trainable scalars and per-neuron parameters are learned or read through composed ops. The
 * built-ins are planned from their definitions as equations (`builtinAsEquations`).
 */
export function neuronPlanFor(def: NeuronDef): NeuronPlans | null {
  if (def.kind === 'plif') return null; // its 1/tau is learned
  // The built-in ALIF's detach_reset cuts only the membrane's reset: its threshold still adapts
  // through the undetached spike. As equations the adaptation is a reset (`fired = 1`), which
  // detach_reset cuts too; the built-in keeps its own gradients through the composed ops.
  if (def.kind === 'alif' && def.detachReset) return null;
  const r = neuronKernelPlan(def.kind === 'equations' ? def : builtinAsEquations(def));
  return r.ok ? { plan: r.plan, lifted: liftConstants(r.plan) } : null;
}

/** Runs a planned neuron on the fused kernels or the plan's tfjs-ops BPTT. */
export function runPlanned(plans: NeuronPlans, def: NeuronDef, x: tf.Tensor, ctx: ForwardContext, path: 'fused' | 'bptt'): SequenceResult {
  const call = { steps: ctx.steps, staticInput: !ctx.folded, surrogate: def.surrogate };
  return { spikes: path === 'fused' ? fusedNeuron(x, { ...call, lifted: plans.lifted }) : planBpttNeuron(x, { ...call, plan: plans.plan }) };
}

/**
 * [B, ...] -> [T*B, ...] time-major, the frame repeated at every step. A concat (copies, and
 * slices in the backward) rather than tf.tile, whose wasm kernel measured ~10x slower.
 */
export function repeatSteps(x: tf.Tensor, steps: number): tf.Tensor {
  return steps === 1 ? x : tf.concat(Array.from({ length: steps }, () => x), 0);
}

export function buildNeuron(layer: Extract<Layer, { kind: 'neuron' }>, impl: NeuronImpl): NeuronRuntime {
  const def = layer.neuron;
  if (def.kind === 'equations') return buildEquationNeuron(layer.id, def, impl, toRuntimeShape(layer.outShape));
  const weights: Record<string, tf.Variable> = {};
  let cell: NeuronCell;
  switch (def.kind) {
    case 'if':
      cell = ifCell(def.threshold);
      break;
    case 'lif':
      cell = lifCell(def.tau, def.threshold, def.resetValue, def.decayInput);
      break;
    case 'plif': {
      const w = makeVariable(tf.scalar(plifInitialW(def.tau)), true);
      weights['w'] = w;
      cell = plifCell(w, def.threshold, def.resetValue, def.decayInput);
      break;
    }
    case 'alif':
      cell = alifCell(def.tau, def.threshold, def.resetValue, def.decayInput, def.tauAdapt, def.beta);
      break;
    default:
      return assertNever(def);
  }
  const plans = neuronPlanFor(def); // IF/LIF/ALIF: the fused and bptt paths apply
  const path = (wantMembrane: boolean): Path => selectPath(impl, wantMembrane, plans?.lifted ?? null, layer.id, def.kind);
  const usesFused = (wantMembrane: boolean): boolean => path(wantMembrane) === 'fused';
  const run = (x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult => {
    const p = path(wantMembrane);
    if (p !== 'composed' && plans !== null) return runPlanned(plans, def, x, ctx, p);
    return runComposed(cell, ctx.folded ? x : repeatSteps(x, ctx.steps), {
      steps: ctx.steps,
      reset: def.reset,
      vReset: def.resetValue,
      detachReset: def.detachReset,
      surrogate: def.surrogate,
      wantMembrane,
    });
  };
  return {
    id: layer.id,
    def,
    weights,
    trainable: Object.values(weights),
    run,
    stepper: () => neuronStepper(cell, { reset: def.reset, vReset: def.resetValue, detachReset: def.detachReset, surrogate: def.surrogate }),
    usesFused,
    path,
    apply: (x, ctx) => run(x, ctx, false).spikes,
  };
}
