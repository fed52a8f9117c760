/**
 * The winner-keeping max pool's loops on flat NHWC arrays, for the JS kernels (cpu, wasm) of
 * argmax_maxpool.ts. Same semantics as the native ops (packages/runtime/native/snnc_maxpool.c):
 * 'valid' windows, output size floor((H - KH) / SH) + 1; argmax holds the winner's offset
 * kh * KW + kw inside its window; ties go to the first maximum in row-major window order (strict
 * >); overlapping windows add their gradients. Both run on one thread, so they are written for
 * contiguous access: each window offset is one pass along a whole output row over contiguous
 * channels, and the backward zeroes each image just before scattering into it (still in cache).
 */

/** A pooling problem: input [B, H, W, C], window KH x KW, stride SH x SW, output [B, OH, OW, C]. */
export interface PoolGeometry {
  B: number;
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  OH: number;
  OW: number;
}

/** The largest window side and stride (as the native ops: larger ones are surely a mistake). */
const MAX_ATTR = 1024;

function checkAttr(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_ATTR) {
    throw new Error(`snnc max pool: ${name} must be an integer in 1..${MAX_ATTR}, got ${String(v)}`);
  }
  return v;
}

/** The geometry of pooling an input of `shape` (NHWC) with these attributes; throws on bad ones. */
export function poolGeometry(shape: readonly number[], kernelH: unknown, kernelW: unknown, strideH: unknown, strideW: unknown): PoolGeometry {
  const KH = checkAttr('kernelH', kernelH);
  const KW = checkAttr('kernelW', kernelW);
  const SH = checkAttr('strideH', strideH);
  const SW = checkAttr('strideW', strideW);
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`snnc max pool: expected a rank-4 NHWC shape of positive sizes, got [${shape.join(', ')}]`);
  }
  const [B, H, W, C] = shape as [number, number, number, number];
  if (H < KH || W < KW) throw new Error(`snnc max pool: input ${H}x${W} is smaller than one ${KH}x${KW} window`);
  return { B, H, W, C, KH, KW, SH, SW, OH: Math.floor((H - KH) / SH) + 1, OW: Math.floor((W - KW) / SW) + 1 };
}

/** Number of output values (y, argmax, dy): B * OH * OW * C. */
export function pooledSize(g: PoolGeometry): number {
  return g.B * g.OH * g.OW * g.C;
}

/** y and argmax (both [B, OH, OW, C]) from x [B, H, W, C]; writes every element of both. */
export function maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
  const { H, W, C, KH, KW, SH, SW, OH, OW } = g;
  const rowSize = OW * C;
  const stepX = SW * C; // input elements between neighbouring windows along a row
  for (let row = 0; row < g.B * OH; row++) {
    const b = Math.floor(row / OH);
    const oh = row - b * OH;
    const out = row * rowSize;
    for (let dh = 0; dh < KH; dh++) {
      for (let dw = 0; dw < KW; dw++) {
        const start = ((b * H + oh * SH + dh) * W + dw) * C;
        const off = dh * KW + dw;
        if (off === 0) {
          for (let ow = 0; ow < OW; ow++) {
            const xi = start + ow * stepX;
            const yi = out + ow * C;
            for (let c = 0; c < C; c++) {
              y[yi + c] = x[xi + c]!;
              argmax[yi + c] = 0;
            }
          }
          continue;
        }
        for (let ow = 0; ow < OW; ow++) {
          const xi = start + ow * stepX;
          const yi = out + ow * C;
          for (let c = 0; c < C; c++) {
            const v = x[xi + c]!;
            // strictly greater: the first maximum in row-major window order wins
            if (v > y[yi + c]!) {
              y[yi + c] = v;
              argmax[yi + c] = off;
            }
          }
        }
      }
    }
  }
}

/**
 * Throws unless every offset lies inside the window. Called before the backward allocates or
 * writes anything: a bad offset would otherwise scatter outside its window (or outside dx).
 */
export function checkOffsets(g: PoolGeometry, argmax: Int32Array): void {
  const window = g.KH * g.KW;
  let bad = 0;
  for (let i = 0; i < argmax.length; i++) {
    const o = argmax[i]!;
    bad |= (o < 0 ? 1 : 0) | (o >= window ? 1 : 0);
  }
  if (bad !== 0) throw new Error('SnncMaxPoolGrad: argmax holds an offset outside the window');
}

/**
 * dx [B, H, W, C] from dy and argmax ([B, OH, OW, C]): each dy goes to its window's winner, and
 * where windows overlap the contributions add up (in output order, as the native op). Writes
 * every element of dx. The offsets must have passed checkOffsets.
 */
export function maxPoolBackward(g: PoolGeometry, dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  const { H, W, C, KW, SH, SW, OH, OW } = g;
  const image = H * W * C;
  // Element distance from a window's first element to the one at each offset (one lookup
  // instead of a division per value).
  const jump = new Int32Array(g.KH * KW);
  for (let off = 0; off < jump.length; off++) jump[off] = (Math.floor(off / KW) * W + (off % KW)) * C;
  const stepX = SW * C;
  for (let b = 0; b < g.B; b++) {
    dx.fill(0, b * image, (b + 1) * image);
    for (let oh = 0; oh < OH; oh++) {
      const out = (b * OH + oh) * OW * C;
      const rowStart = (b * H + oh * SH) * W * C;
      for (let ow = 0; ow < OW; ow++) {
        const o = out + ow * C;
        const base = rowStart + ow * stepX;
        for (let c = 0; c < C; c++) {
          const i = base + jump[argmax[o + c]!]! + c;
          dx[i] = dx[i]! + dy[o + c]!;
        }
      }
    }
  }
}
