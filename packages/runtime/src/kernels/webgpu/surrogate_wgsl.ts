import { assertNever, type SurrogateKind } from '@snnc/ir';

/** f32 literal for WGSL from a JS number (exact for the constants used here). */
function f32Literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`webgpu neuron: expected a finite constant, got ${v}`);
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * dS/du of the spike for u = diff (left - right of the spike condition), as the body of a WGSL
 * function of `u` and `a` (alpha): the same formulas as model/surrogate.ts's
 * surrogateDerivative, in f32.
 */
export function surrogateWgsl(kind: SurrogateKind): string {
  switch (kind) {
    case 'atan':
      return `let w = (${f32Literal(Math.PI / 2)} * a) * u; return a / (2.0 * (1.0 + w * w));`;
    case 'sigmoid':
      return 'let e = 1.0 / (1.0 + exp(-a * u)); return a * e * (1.0 - e);';
    case 'fast_sigmoid':
      return 'let d = 1.0 + a * abs(u); return 1.0 / (d * d);';
    case 'triangle':
      return 'return a * max(0.0, 1.0 - abs(u));';
    case 'piecewise_quadratic':
      return 'return max(0.0, a - a * a * abs(u));';
    default:
      return assertNever(kind);
  }
}
