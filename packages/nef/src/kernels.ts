import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/**
 * The WebAssembly SIMD kernels of kernels.wat, for the two loops that dominate a decoder
 * solve (Gram matrix and Cholesky updates). WebAssembly with SIMD runs in Node 16.4+ and
 * every current browser (also in web workers); where it is missing, or a problem is too big
 * for one 32-bit memory, the solver uses its plain TypeScript loops instead (same maths,
 * summation order differs in the last bits).
 */
export interface WasmKernels {
  memory: WebAssembly.Memory;
  block4x2(a: number, b: number, stride: number, from: number, to: number, out: number): void;
  dot4(a: number, stride: number, b: number, len: number, out: number): void;
  dot8(a: number, stride: number, b: number, len: number, out: number): void;
  gramStrip(rows: number, stride: number, i: number, j0: number, j1: number, ilo: number, ihi: number, lo2: number, hi2: number, g: number, gStride: number, tmp: number): void;
  cholStrip8(g: number, stride: number, i0: number, tmp: number): void;
  lif(n: number, j: number, v: number, ref: number, out: number, active: number, dt: number, invTau: number, minV: number, mode: number, bias: number, enc: number, x0: number): number;
}

/** Views into wasm memory with their byte addresses, valid until the next `workspace` call. */
export interface Workspace {
  kernels: WasmKernels | null;
  arrays: Float64Array[];
  /** Byte address of each array in wasm memory (0 for plain arrays). */
  ptrs: number[];
}

let cached: WasmKernels | null | undefined;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let module: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  module = null;
  try {
    if (typeof WebAssembly === 'undefined') return module;
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    if (WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  return module;
}

/** The solver's shared instance (null without WebAssembly SIMD, or when disabled). */
export function wasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  const mod = disabled ? null : kernelModule();
  if (mod !== null) cached = new WebAssembly.Instance(mod, {}).exports as unknown as WasmKernels;
  return cached;
}

/**
 * A fresh instance whose memory holds at least `bytes` (a simulator's neuron state lives
 * there for its whole life, apart from the solver's scratch memory), or null.
 */
export function newKernelInstance(bytes: number): WasmKernels | null {
  const mod = disabled ? null : kernelModule();
  if (mod === null || bytes > MAX_WASM_BYTES) return null;
  try {
    const k = new WebAssembly.Instance(mod, {}).exports as unknown as WasmKernels;
    const have = k.memory.buffer.byteLength;
    if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
    return k;
  } catch {
    return null;
  }
}

let disabled = false;

/** For tests and benchmarks: force the TypeScript fallback (true) or allow wasm again. */
export function disableWasmKernels(disable: boolean): void {
  disabled = disable;
  cached = undefined;
}

const MAX_WASM_BYTES = 2 ** 31 - 65536;

/**
 * Arrays of the given lengths (zeroed), in wasm memory when the kernels are available and
 * everything fits, otherwise ordinary Float64Arrays.
 */
export function workspace(lengths: number[]): Workspace {
  const k = wasmKernels();
  const bytes = lengths.reduce((s, n) => s + align16(n * 8), 0);
  if (k !== null && bytes <= MAX_WASM_BYTES) {
    try {
      const have = k.memory.buffer.byteLength;
      if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
      const buf = k.memory.buffer;
      const arrays: Float64Array[] = [];
      const ptrs: number[] = [];
      let at = 0;
      for (const n of lengths) {
        const a = new Float64Array(buf, at, n);
        a.fill(0);
        arrays.push(a);
        ptrs.push(at);
        at += align16(n * 8);
      }
      return { kernels: k, arrays, ptrs };
    } catch {
      // memory could not grow: fall through to plain arrays
    }
  }
  return { kernels: null, arrays: lengths.map((n) => new Float64Array(n)), ptrs: lengths.map(() => 0) };
}

/** Workspaces above this size are not kept: the next solve instantiates a fresh module. */
const KEEP_BYTES = 64 * 2 ** 20;

/**
 * Called after a solve: a wasm memory can only grow, so after a big problem (a 10,000-neuron
 * ensemble needs ~65 MB) the instance is dropped and its memory left to the garbage collector,
 * instead of being held for the rest of the page's or process's life.
 */
export function releaseWorkspace(): void {
  if (cached && cached.memory.buffer.byteLength > KEEP_BYTES) cached = undefined;
}

export function align16(n: number): number {
  return (n + 15) & ~15;
}
