import { assertNever, constantSlot, literalValue, planHash, type Expr, type LiftedPlan } from '@snnc/ir';
import { planNames, sparseDot } from './plan-terms.js';

/**
 * Emits the fused multi-step kernel of a lifted neuron plan (@snnc/ir `liftConstants`) as
 * TypeScript source: a forward loop over all T steps in float32 arithmetic (every operation
 * rounded with Math.fround, in the order the composed tfjs ops run, so spikes are bit-identical)
 * and a BPTT loop in float64 built from the plan's symbolic derivatives. Used only at build time
 * by tools/codegen/neuron-kernels.mjs: the output is a committed file that is checked for staleness,
 * so nothing is compiled from text at run time.
 *
 * Kernel contract (time-major, element i of step t at t * n + i):
 *   forward(x, out, c, T, n, xStride, refr): out = [y, h_0 .. h_{k-1}, (blocked)], y the spikes
 *     (or h of the membrane for a non-spiking neuron); xStride 0 reads one static frame.
 *   backward(dy, saved, x, dx, c, T, n, xStride, sg): saved = out of the forward; x is read only
 *     when the Jacobians depend on it; dx is [T*n] or, static, [n] summed over the steps.
 */

type Env = ReadonlyMap<string, string>;

/** Neurons per block of the emitted loops (the C kernels' SNNC_BLOCK is the same size). */
export const JS_NEURON_BLOCK = 256;

function fn32(e: Expr, env: Env): string {
  return emit(e, env, true);
}
function fn64(e: Expr, env: Env): string {
  return emit(e, env, false);
}

function emit(e: Expr, env: Env, f32: boolean): string {
  const r = (s: string) => (f32 ? `f(${s})` : `(${s})`);
  switch (e.kind) {
    case 'num':
      return f32 ? `f(${numLit(e.value)})` : numLit(e.value);
    case 'var': {
      const slot = constantSlot(e.name);
      if (slot >= 0) return `${f32 ? 'k' : 'c'}${slot}`;
      const name = env.get(e.name);
      if (name === undefined) throw new Error(`emit-js: no value for \`${e.name}\``);
      return name;
    }
    case 'index':
      throw new Error('emit-js: indexing is not part of neuron equations');
    case 'unary': {
      const a = emit(e.arg, env, f32);
      const op = e.op;
      switch (op) {
        case '-':
          return `(-${a})`;
        case '+':
          return a;
        case '!':
          return `(${a} === 0 ? 1 : 0)`;
        default:
          return assertNever(op);
      }
    }
    case 'binary': {
      const a = emit(e.left, env, f32);
      const b = emit(e.right, env, f32);
      const op = e.op;
      switch (op) {
        case '+':
        case '-':
        case '*':
        case '/':
          return r(`${a} ${op} ${b}`);
        case '^':
          return literalValue(e.right) === 2 ? r(`${a} * ${a}`) : r(`Math.pow(${a}, ${b})`);
        case '%':
          return r(`${a} % ${b}`);
        case '<':
        case '<=':
        case '>':
        case '>=':
          return `(${a} ${op} ${b} ? 1 : 0)`;
        case '==':
          return `(${a} === ${b} ? 1 : 0)`;
        case '!=':
          return `(${a} !== ${b} ? 1 : 0)`;
        case '&&':
          return `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`;
        case '||':
          return `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`;
        default:
          return assertNever(op);
      }
    }
    case 'call': {
      const args = e.args.map((a) => emit(a, env, f32));
      const a0 = args[0] ?? 'NaN';
      switch (e.fn) {
        case 'sin':
        case 'cos':
        case 'tan':
        case 'exp':
        case 'log':
        case 'tanh':
        case 'abs':
        case 'sqrt':
        case 'sign':
        case 'floor':
        case 'ceil':
          return r(`Math.${e.fn}(${a0})`);
        case 'min':
        case 'max':
          return `Math.${e.fn}(${args.join(', ')})`;
        case 'if':
        case 'where':
          return `(${a0} !== 0 ? ${args[1] ?? 'NaN'} : ${args[2] ?? 'NaN'})`;
        case 'clip':
          return `Math.min(Math.max(${a0}, ${args[1] ?? 'NaN'}), ${args[2] ?? 'NaN'})`;
        default:
          return assertNever(e.fn);
      }
    }
    default:
      return assertNever(e);
  }
}

function numLit(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return v < 0 ? `(${String(v)})` : String(v);
}

export interface EmittedKernel {
  /** @snnc/ir `planHash` of the key: the registry's key. */
  hash: string;
  /** `k<hash>`: the functions are `<name>Forward` and `<name>Backward`. */
  name: string;
  source: string;
}

/** The forward and backward functions of one plan, named after its key's hash. */
export function emitKernel(lifted: LiftedPlan): EmittedKernel {
  const { plan, key } = lifted;
  const hash = planHash(key);
  const name = `k${hash}`;
  const k = plan.state.length;
  const idx = plan.state.map((_, i) => i);
  const refractory = plan.refractorySteps > 0;
  const spiking = plan.spike !== null;
  const { z, h, zp, hp } = planNames(plan.state, plan.input, 'X');
  const m = 0; // the membrane (held while refractory, the output of non-spiking neurons)

  const fwd: string[] = [];
  fwd.push(`function ${name}Forward(x: ArrayLike<number>, out: Float32Array[], c: ArrayLike<number>, T: number, n: number, xStride: number, refr: number): void {`);
  fwd.push(`  const Y = out[0]!;`);
  for (const i of idx) fwd.push(`  const H${i} = out[${i + 1}]!;`);
  if (refractory) fwd.push(`  const B = out[${k + 1}]!;`);
  else fwd.push(`  void refr;`);
  const fwdConsts = fwd.length;
  // Blocked loops (time outside, JS_NEURON_BLOCK neurons inside, the state of a block in small
  // arrays): the neuron-outer order touches T rows n floats apart for every neuron, and when
  // n * 4 bytes is a multiple of 4 KiB (28x28x32 layers are) those rows share L1 sets and thrash.
  // Float64Array holds any state value exactly, so the arithmetic is unchanged.
  for (const i of idx) fwd.push(`  const Z${i} = new Float64Array(${JS_NEURON_BLOCK});`);
  if (refractory) fwd.push(`  const RC = new Int32Array(${JS_NEURON_BLOCK});`);
  fwd.push(`  for (let lo = 0; lo < n; lo += ${JS_NEURON_BLOCK}) {`);
  fwd.push(`    const len = Math.min(${JS_NEURON_BLOCK}, n - lo);`);
  for (const i of idx) fwd.push(`    Z${i}.fill(${fn32(plan.init[i]!, z)}, 0, len);`);
  if (refractory) fwd.push(`    RC.fill(0, 0, len);`);
  fwd.push(`    for (let t = 0; t < T; t++) {`);
  fwd.push(`      const jo = t * n + lo;`);
  fwd.push(`      const xo = t * xStride + lo;`);
  fwd.push(`      for (let q = 0; q < len; q++) {`);
  fwd.push(`        const j = jo + q;`);
  fwd.push(`        const X = x[xo + q]!;`);
  fwd.push(`        ${idx.map((i) => `const z${i} = Z${i}[q]!;`).join(' ')}`);
  if (refractory) fwd.push(`        let rc = RC[q]!;`);
  for (const i of idx) fwd.push(`        ${refractory && i === m ? 'let' : 'const'} h${i} = ${fn32(plan.update[i]!, z)};`);
  if (refractory) {
    fwd.push(`        const b = rc > 0;`);
    fwd.push(`        if (b) { h${m} = z${m}; rc--; }`);
    fwd.push(`        B[j] = b ? 1 : 0;`);
  }
  for (const i of idx) fwd.push(`        H${i}[j] = h${i};`);
  if (spiking) {
    const test = `${fn32(plan.spike!.diff, h)} ${plan.spike!.strict ? '>' : '>='} 0`;
    fwd.push(`        const sp = ${refractory ? `!b && ` : ''}${test} ? 1 : 0;`);
    fwd.push(`        Y[j] = sp;`);
    for (const i of idx) {
      const d = plan.delta[i]!;
      // delta = h itself is a reset to 0 (h - h), written as the constant
      const reset = d.kind === 'var' && d.name === plan.state[i] ? '0' : `f(h${i} - ${fn32(d, h)})`;
      if (literalValue(d) !== 0) fwd.push(`        Z${i}[q] = sp === 1 ? ${reset} : h${i};`);
      else fwd.push(`        Z${i}[q] = h${i};`);
    }
    if (refractory) fwd.push(`        RC[q] = sp === 1 ? refr : rc;`);
  } else {
    fwd.push(`        Y[j] = h${m};`);
    for (const i of idx) fwd.push(`        Z${i}[q] = h${i};`);
    if (refractory) fwd.push(`        RC[q] = rc;`);
  }
  fwd.push(`      }`);
  fwd.push(`    }`);
  fwd.push(`  }`);
  fwd.push(`}`);

  const bwd: string[] = [];
  bwd.push(
    `function ${name}Backward(dy: ArrayLike<number>, saved: ArrayLike<number>[], x: ArrayLike<number> | null, dx: Float32Array, c: ArrayLike<number>, T: number, n: number, xStride: number, sg: (u: number) => number): void {`,
  );
  bwd.push(`  const Y = saved[0]!;`);
  for (const i of idx) bwd.push(`  const H${i} = saved[${i + 1}]!;`);
  if (refractory) bwd.push(`  const B = saved[${k + 1}]!;`);
  if (!spiking) bwd.push(`  void Y; void sg;`);
  if (!plan.backwardReadsInput) bwd.push(`  void x;`);
  else bwd.push(`  if (x === null) throw new Error('fused neuron: this neuron\\'s backward reads its input');`);
  const bwdConsts = bwd.length;
  bwd.push(`  const isStatic = xStride === 0;`);
  for (const i of idx) bwd.push(`  const GZ${i} = new Float64Array(${JS_NEURON_BLOCK});`);
  bwd.push(`  const GX = new Float64Array(${JS_NEURON_BLOCK});`);
  bwd.push(`  for (let lo = 0; lo < n; lo += ${JS_NEURON_BLOCK}) {`);
  bwd.push(`    const len = Math.min(${JS_NEURON_BLOCK}, n - lo);`);
  bwd.push(`    ${idx.map((i) => `GZ${i}.fill(0, 0, len);`).join(' ')}`);
  bwd.push(`    GX.fill(0, 0, len);`);
  bwd.push(`    for (let t = T - 1; t >= 0; t--) {`);
  bwd.push(`      const jo = t * n + lo;`);
  bwd.push(`      const xo = t * xStride + lo;`);
  bwd.push(`      for (let q = 0; q < len; q++) {`);
  bwd.push(`        const j = jo + q;`);
  bwd.push(`        const xi = xo + q;`);
  bwd.push(`        ${idx.map((i) => `let gz${i} = GZ${i}[q]!;`).join(' ')}`);
  for (const i of idx) bwd.push(`        const h${i} = H${i}[j]!;`);
  if (refractory) bwd.push(`        const b = B[j]! !== 0;`);
  if (spiking) {
    bwd.push(`        const sp = Y[j]!;`);
    bwd.push(`        const g = ${refractory ? 'b ? 0 : ' : ''}sg(${fn64(plan.spike!.diff, h)});`);
    bwd.push(`        const gs = dy[j]! * g;`);
    for (const jj of idx) {
      const direct = literalValue(plan.diffJac[jj]!) === 0 ? [] : [literalValue(plan.diffJac[jj]!) === 1 ? 'gs' : `gs * ${fn64(plan.diffJac[jj]!, h)}`];
      const carried = sparseDot(idx.map((ii) => ({ value: `gz${ii}`, factor: plan.resetJac[ii]![jj]!, code: () => fn64(plan.resetJac[ii]![jj]!, h) })), '0');
      bwd.push(`        const gh${jj} = ${[...direct, carried].join(' + ')};`);
    }
  } else {
    for (const jj of idx) bwd.push(`        const gh${jj} = gz${jj}${jj === m ? ' + dy[j]!' : ''};`);
  }
  if (plan.backwardReadsState) {
    bwd.push(`        ${idx.map((i) => `let p${i}: number;`).join(' ')}`);
    bwd.push(`        if (t > 0) {`);
    for (const i of idx) bwd.push(`          const q${i} = H${i}[j - n]!;`);
    if (spiking) {
      bwd.push(`          const sq = Y[j - n]!;`);
      for (const i of idx) bwd.push(literalValue(plan.delta[i]!) === 0 ? `          p${i} = q${i};` : `          p${i} = sq !== 0 ? q${i} - ${fn64(plan.delta[i]!, hp)} : q${i};`);
    } else for (const i of idx) bwd.push(`          p${i} = q${i};`);
    bwd.push(`        } else {`);
    for (const i of idx) bwd.push(`          p${i} = ${fn64(plan.init[i]!, zp)};`);
    bwd.push(`        }`);
  }
  if (plan.backwardReadsInput) bwd.push(`        const X = x![xi]!;`);
  // dL/dz[t-1] and dL/dx[t]; while refractory the membrane's row is the identity (held)
  const gzRow = (skipM: boolean) =>
    idx.map((jj) => {
      const terms = idx.filter((ii) => !(skipM && ii === m)).map((ii) => ({ value: `gh${ii}`, factor: plan.updateJac[ii]![jj]!, code: () => fn64(plan.updateJac[ii]![jj]!, zp) }));
      const held = skipM && jj === m ? ` + gh${m}` : '';
      return `gz${jj} = ${sparseDot(terms, '0')}${held};`;
    });
  const gxOf = (skipM: boolean) => sparseDot(idx.filter((ii) => !(skipM && ii === m)).map((ii) => ({ value: `gh${ii}`, factor: plan.inputJac[ii]!, code: () => fn64(plan.inputJac[ii]!, zp) })), '0');
  if (refractory) {
    bwd.push(`        let gxt: number;`);
    bwd.push(`        if (b) { ${gzRow(true).join(' ')} gxt = ${gxOf(true)}; }`);
    bwd.push(`        else { ${gzRow(false).join(' ')} gxt = ${gxOf(false)}; }`);
  } else {
    for (const line of gzRow(false)) bwd.push(`        ${line}`);
    bwd.push(`        const gxt = ${gxOf(false)};`);
  }
  bwd.push(`        ${idx.map((i) => `GZ${i}[q] = gz${i};`).join(' ')}`);
  bwd.push(`        if (isStatic) GX[q] = GX[q]! + gxt;`);
  bwd.push(`        else dx[xi] = gxt;`);
  bwd.push(`      }`);
  bwd.push(`    }`);
  bwd.push(`    if (isStatic) for (let q = 0; q < len; q++) dx[lo + q] = GX[q]!;`);
  bwd.push(`  }`);
  bwd.push(`}`);
  declareConstants(fwd, fwdConsts, 'k', (slot) => `f(c[${slot}]!)`);
  declareConstants(bwd, bwdConsts, 'c', (slot) => `c[${slot}]!`);
  return { hash, name, source: `${fwd.join('\n')}\n\n${bwd.join('\n')}\n` };
}

/** Declares, at `at`, the constants (`k3`, `c3`) that the function's body reads. */
function declareConstants(lines: string[], at: number, prefix: string, value: (slot: number) => string): void {
  const body = lines.slice(at).join('\n');
  const used = new Set<number>();
  for (const m of body.matchAll(new RegExp(`\\b${prefix}(\\d+)\\b`, 'g'))) used.add(Number(m[1]));
  lines.splice(at, 0, ...[...used].sort((a, b) => a - b).map((slot) => `  const ${prefix}${slot} = ${value(slot)};`));
}
