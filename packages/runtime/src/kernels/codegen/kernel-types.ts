/**
 * A fused neuron kernel emitted from a plan (emit-js.ts): the signatures of the functions in
 * kernels/generated/neuron-kernels.generated.ts.
 */
export interface GeneratedNeuronKernel {
  /** The lifted plan's key (@snnc/ir `liftConstants`): the kernel serves exactly this shape. */
  key: string;
  /** x -> out = [y, h_0 .. h_{k-1}, (blocked)]; xStride 0 re-reads one static frame. */
  forward(x: ArrayLike<number>, out: Float32Array[], c: ArrayLike<number>, T: number, n: number, xStride: number, refr: number): void;
  /** dy, the forward's outputs (and x where the Jacobians read it) -> dx. */
  backward(
    dy: ArrayLike<number>,
    saved: ArrayLike<number>[],
    x: ArrayLike<number> | null,
    dx: Float32Array,
    c: ArrayLike<number>,
    T: number,
    n: number,
    xStride: number,
    sg: (u: number) => number,
  ): void;
}
