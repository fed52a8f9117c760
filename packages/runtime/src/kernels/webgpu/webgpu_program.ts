/**
 * What tfjs-backend-webgpu 4.22's runWebGPUProgram reads from a program (its webgpu_program.ts),
 * structurally, so these kernels need no import from the backend package. The backend wraps
 * getUserCode() with the bindings: `result` (binding 0, the one output), one read-only storage
 * array per name in variableNames, and a `uniforms` struct holding NAN, INFINITY, the shapes
 * and then our own fields; `main(index)` runs once per invocation with a flat global index.
 */
export interface WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

/** One uniform value, in declaration order (tfjs's ProgramUniform entries). */
export interface ProgramUniformValue {
  type: 'int32' | 'float32';
  data: number[];
}
