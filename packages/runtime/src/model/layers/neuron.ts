import * as tf from '@tensorflow/tfjs-core';
import { assertNever, recogniseLinearNeuron, type Layer, type NeuronDef } from '@snnc/ir';
import { fusedNeuron } from '../../kernels/fused_neuron.js';
import { bpttNeuron } from '../../kernels/neuron_bptt.js';
import type { FusedNeuronConfig } from '../../kernels/neuron_loops.js';
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

/** The fused kernel's config for `def`, or null where fusion does not apply (PLIF, ALIF). */
export function fusedConfigFor(def: NeuronDef, steps: number): FusedNeuronConfig | null {
  if (def.kind === 'equations') {
    // a definition recognised (symbolically) as IF/LIF runs on their kernels; others composed
    const shape = recogniseLinearNeuron(def);
    return shape && { steps, ...shape, detachReset: def.detachReset, surrogate: def.surrogate };
  }
  const common = {
    steps,
    threshold: def.threshold,
    reset: def.reset,
    vReset: def.resetValue,
    detachReset: def.detachReset,
    surrogate: def.surrogate,
  };
  switch (def.kind) {
    case 'if':
      return { ...common, charge: 'if', invTau: 0, decayInput: false };
    case 'lif':
      return { ...common, charge: 'lif', invTau: 1 / def.tau, decayInput: def.decayInput };
    case 'plif': // learnable tau: its gradient is not fused
    case 'alif': // adaptive threshold: composed
      return null;
    default:
      return assertNever(def);
  }
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
  if (def.kind === 'equations') return buildEquationNeuron(layer.id, def, impl, fusedConfigFor(def, 1) !== null, toRuntimeShape(layer.outShape));
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
  const linear = fusedConfigFor(def, 1) !== null; // IF/LIF: the fused and bptt paths apply
  const path = (wantMembrane: boolean): Path => selectPath(impl, wantMembrane, linear, layer.id, def.kind);
  const usesFused = (wantMembrane: boolean): boolean => path(wantMembrane) === 'fused';
  const run = (x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult => {
    const p = path(wantMembrane);
    const cfg = p === 'composed' ? null : fusedConfigFor(def, ctx.steps);
    if (cfg !== null) {
      const full = { ...cfg, staticInput: !ctx.folded };
      return { spikes: p === 'fused' ? fusedNeuron(x, full) : bpttNeuron(x, full) };
    }
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
