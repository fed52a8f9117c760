import type { WgslNeuronProgram } from '../codegen/emit-wgsl.js';
import type { WebgpuProgram } from './webgpu_program.js';

/** Invocations per workgroup: 64 is the usual sweet spot for 1-D elementwise work. */
const WORKGROUP = 64;

/**
 * A fused neuron program emitted from a kernel plan (codegen/emit-wgsl.ts), as tfjs's
 * WebGPUProgram: one invocation per neuron of a step (n of them), each walking all T steps.
 */
export class NeuronPlanProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms: string;
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  private readonly code: string;

  constructor(outputShape: number[], n: number, emitted: WgslNeuronProgram) {
    this.outputShape = outputShape;
    this.shaderKey = emitted.shaderKey;
    this.variableNames = emitted.variableNames;
    this.uniforms = emitted.uniforms;
    this.code = emitted.code;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    // tfjs reshapes a dispatch above the per-dimension limit (65535) into 2-D/3-D itself.
    this.dispatch = [Math.max(1, Math.ceil(n / WORKGROUP)), 1, 1];
  }

  getUserCode(): string {
    return this.code;
  }
}
