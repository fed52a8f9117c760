/**
 * How many outputs along one axis read input index i, for i in [0, inSize): output o covers
 * inputs o*stride - pad .. o*stride - pad + kernel - 1, and padded positions are not inputs, so
 * edge inputs feed fewer outputs and with stride > kernel some inputs feed none. Exact, unlike
 * the kernel*kernel/stride^2 average some counters use.
 */
export function axisFanout(inSize: number, kernel: number, stride: number, pad: number, outSize: number): number[] {
  const fan = new Array<number>(inSize).fill(0);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - pad;
    for (let k = 0; k < kernel; k++) {
      const i = start + k;
      if (i >= 0 && i < inSize) fan[i]!++;
    }
  }
  return fan;
}

export interface ConvGeometry {
  /** Input [C, H, W] and output [F, OH, OW] (IR order, channels first). */
  inShape: readonly number[];
  outShape: readonly number[];
  kernel: readonly [number, number];
  stride: readonly [number, number];
  padding: readonly [number, number];
}

/**
 * Output positions (OH x OW, one filter) each input pixel (row-major H x W) feeds. A spike at
 * (c, y, x) triggers map[y*W + x] * filters synaptic operations, whatever its channel.
 */
export function convFanoutMap(g: ConvGeometry): Float32Array {
  const [, H, W] = g.inShape as [number, number, number];
  const [, OH, OW] = g.outShape as [number, number, number];
  const rows = axisFanout(H, g.kernel[0], g.stride[0], g.padding[0], OH);
  const cols = axisFanout(W, g.kernel[1], g.stride[1], g.padding[1], OW);
  const map = new Float32Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) map[y * W + x] = rows[y]! * cols[x]!;
  return map;
}

/** Synapses (weights actually multiplied) of one conv application: sum of the map x C_in x filters. */
export function convConnections(g: ConvGeometry): number {
  const map = convFanoutMap(g);
  let s = 0;
  for (const v of map) s += v;
  return s * g.inShape[0]! * g.outShape[0]!;
}
