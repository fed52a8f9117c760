import type { BuiltEnsemble, BuiltNetwork } from './built.js';
import { align16, newKernelInstance } from './kernels.js';
import { makeLifWasmStep, makeNeuronStep, type LifCurrent, type LifPointers, type NeuronState, type NeuronStep } from './neurons.js';

/** Every ensemble's neuron arrays; LIF populations live in a wasm instance's memory. */
export interface Populations {
  x: Float64Array[];
  jIn: Float64Array[];
  out: Float64Array[];
  active: Int32Array[];
  states: NeuronState[];
  steppers: NeuronStep[];
  activeCount: Int32Array;
  encodedByKernel: boolean[];
  hasDirect: boolean[];
  /** Scaled encoders this run uses (copies for ensembles whose encoders Voja learns). */
  encoders: Float64Array[];
}

export function allocatePopulations(built: BuiltNetwork): Populations {
  const { dt } = built;
  const ens = built.ensembles;
  const vojaPost = new Set(built.connections.filter((c) => c.learning?.rule.kind === 'voja').map((c) => c.learning!.post));
  const x = ens.map((e) => new Float64Array(e.dims));
  const p: Populations = { x, jIn: [], out: [], active: [], states: [], steppers: [], activeCount: new Int32Array(ens.length), encodedByKernel: [], hasDirect: [], encoders: [] };
  p.hasDirect = ens.map((_, i) => built.connections.some((c) => c.post.kind === 'neurons' && c.post.ensemble === i));
  p.encoders = ens.map((e, i) => (vojaPost.has(i) ? Float64Array.from(e.scaledEncoders) : e.scaledEncoders));
  // LIF populations live in the memory of their own wasm instance and step on its SIMD
  // kernel (bit-identical to the TypeScript loop, about twice as fast); other neuron types,
  // and every type where WebAssembly SIMD is missing, use plain arrays.
  const onKernel = (e: BuiltEnsemble): boolean => e.neuron.kind === 'lif' && dt / e.neuron.tauRc <= 0.1;
  const lanes = (n: number): number => n + (n & 1);
  // 1-D LIF ensembles also encode on the kernel (J = bias + enc x[0] (+ direct input)),
  // unless Voja changes their encoders during the run
  const encodes = (e: BuiltEnsemble, i: number): boolean => onKernel(e) && e.dims === 1 && !vojaPost.has(i);
  const kernelBytes = ens.reduce((s, e, i) => (onKernel(e) ? s + (encodes(e, i) ? 6 : 4) * align16(lanes(e.n) * 8) + align16(lanes(e.n) * 4) : s), 0);
  const kernel = kernelBytes > 0 ? newKernelInstance(kernelBytes) : null;
  let at = 0;
  const take = (bytes: number): number => {
    const q = at;
    at += align16(bytes);
    return q;
  };
  ens.forEach((e, ei) => {
    if (kernel !== null && e.neuron.kind === 'lif' && onKernel(e)) {
      const buf = kernel.memory.buffer;
      const l = lanes(e.n);
      const ptrs: LifPointers = { j: take(l * 8), v: take(l * 8), ref: take(l * 8), out: take(l * 8), active: take(l * 4), bias: 0, enc: 0, lanes: l };
      let current: LifCurrent = { kind: 'given' };
      if (encodes(e, ei)) {
        ptrs.bias = take(l * 8);
        ptrs.enc = take(l * 8);
        new Float64Array(buf, ptrs.bias, e.n).set(e.bias);
        new Float64Array(buf, ptrs.enc, e.n).set(e.scaledEncoders);
        current = { kind: p.hasDirect[ei] ? 'encode' : 'encode-only', x: x[ei]! };
      }
      p.encodedByKernel.push(current.kind !== 'given');
      p.jIn.push(new Float64Array(buf, ptrs.j, e.n));
      p.out.push(new Float64Array(buf, ptrs.out, e.n));
      p.active.push(new Int32Array(buf, ptrs.active, l));
      p.states.push({ voltage: new Float64Array(buf, ptrs.v, e.n), refractory: new Float64Array(buf, ptrs.ref, e.n) });
      p.steppers.push(makeLifWasmStep(e.neuron, dt, kernel, ptrs, current));
    } else {
      p.encodedByKernel.push(false);
      p.jIn.push(new Float64Array(e.n));
      p.out.push(new Float64Array(e.n));
      p.active.push(new Int32Array(e.n));
      p.states.push({ voltage: new Float64Array(e.n), refractory: new Float64Array(e.n) });
      p.steppers.push(makeNeuronStep(e.neuron, dt));
    }
  });
  return p;
}
