import { assertNever, constantSlot, literalValue, planHash, type Expr, type LiftedPlan } from '@snnc/ir';
import { planNames, sparseDot } from './plan-terms.js';

/**
 * Emits the fused multi-step kernel of a lifted neuron plan as C (C99) for the native TensorFlow
 * ops (packages/runtime/native/): the same two loops as emit-js.ts, with the same arithmetic, so
 * the tensorflow backend gives the spikes and gradients the cpu and wasm backends give.
 * - The forward computes in `float`: x86-64 evaluates float expressions in single precision
 *   (FLT_EVAL_METHOD 0) and the library is compiled with -ffp-contract=off (no fused a*b+c), so
 *   each operation rounds exactly as the JS kernel's Math.fround does. Functions (exp, tanh, ...)
 *   run in double and round once, as Math.exp then fround does in JS.
 * - The backward computes in `double`, as the JS BPTT loop does.
 * Used only at build time (tools/codegen/neuron-kernels.mjs); the output is a committed file
 * that a test checks for staleness.
 *
 * Contract (time-major, element i of step t at t * n + i), as emit-js.ts:
 *   forward(x, out, c, T, n, xStride, refr, lo, hi); backward(dy, saved, x, dx, c, T, n, xStride, sg, lo, hi)
 * over the neurons lo <= i < hi only (threads take disjoint ranges). `sg` is the surrogate
 * (snnc_neuron.h), `c` the lifted constants in double.
 */

type Env = ReadonlyMap<string, string>;

function emit(e: Expr, env: Env, f32: boolean): string {
  const lit = (v: number) => (f32 ? `((float)${numLit(v)})` : numLit(v));
  // Functions run in double; in the float forward their result rounds once to float.
  const fn = (s: string) => (f32 ? `((float)${s})` : s);
  switch (e.kind) {
    case 'num':
      return lit(e.value);
    case 'var': {
      const slot = constantSlot(e.name);
      if (slot >= 0) return `${f32 ? 'k' : 'c'}${slot}`;
      const name = env.get(e.name);
      if (name === undefined) throw new Error(`emit-c: no value for \`${e.name}\``);
      return name;
    }
    case 'index':
      throw new Error('emit-c: indexing is not part of neuron equations');
    case 'unary': {
      const a = emit(e.arg, env, f32);
      const op = e.op;
      switch (op) {
        case '-':
          return `(-${a})`;
        case '+':
          return a;
        case '!':
          return `(${a} == 0 ? ${lit(1)} : ${lit(0)})`;
        default:
          return assertNever(op);
      }
    }
    case 'binary': {
      const a = emit(e.left, env, f32);
      const b = emit(e.right, env, f32);
      const op = e.op;
      const bool = (cond: string) => `(${cond} ? ${lit(1)} : ${lit(0)})`;
      switch (op) {
        case '+':
        case '-':
        case '*':
        case '/':
          return `(${a} ${op} ${b})`;
        case '^':
          return literalValue(e.right) === 2 ? `(${a} * ${a})` : fn(`pow(${a}, ${b})`);
        case '%':
          return fn(`fmod(${a}, ${b})`);
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=':
          return bool(`${a} ${op} ${b}`);
        case '&&':
          return bool(`${a} != 0 && ${b} != 0`);
        case '||':
          return bool(`${a} != 0 || ${b} != 0`);
        default:
          return assertNever(op);
      }
    }
    case 'call': {
      const args = e.args.map((a) => emit(a, env, f32));
      const a0 = args[0] ?? 'NAN';
      switch (e.fn) {
        case 'sin':
        case 'cos':
        case 'tan':
        case 'exp':
        case 'log':
        case 'tanh':
        case 'sqrt':
        case 'floor':
        case 'ceil':
          return fn(`${e.fn}(${a0})`);
        case 'abs':
          return fn(`fabs(${a0})`);
        case 'sign':
          return fn(`snnc_sign(${a0})`);
        // JS's Math.min/max: NaN when either argument is NaN (fmin/fmax would drop it)
        case 'min':
        case 'max':
          return fn(args.slice(1).reduce((acc, x) => `snnc_${e.fn}(${acc}, ${x})`, a0));
        case 'if':
        case 'where':
          return `(${a0} != 0 ? ${args[1] ?? 'NAN'} : ${args[2] ?? 'NAN'})`;
        case 'clip':
          return fn(`snnc_min(snnc_max(${a0}, ${args[1] ?? 'NAN'}), ${args[2] ?? 'NAN'})`);
        default:
          return assertNever(e.fn);
      }
    }
    default:
      return assertNever(e);
  }
}

function numLit(v: number): string {
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INFINITY' : '(-INFINITY)';
  // Shortest round-trip decimal (JS's String) with a decimal point, so C reads a double.
  const s = String(v);
  const d = /[.eE]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${d})` : d;
}

export interface EmittedCKernel {
  /** @snnc/ir `planHash` of the key. */
  hash: string;
  /** `k<hash>`: the functions are `<name>_forward` and `<name>_backward`. */
  name: string;
  source: string;
}

/** The forward and backward C functions of one plan, named after its key's hash. */
export function emitCKernel(lifted: LiftedPlan): EmittedCKernel {
  const { plan, key } = lifted;
  const hash = planHash(key);
  const name = `k${hash}`;
  const k = plan.state.length;
  const idx = plan.state.map((_, i) => i);
  const refractory = plan.refractorySteps > 0;
  const spiking = plan.spike !== null;
  const { z, h, zp, hp } = planNames(plan.state, plan.input, 'X');
  const m = 0; // the membrane (held while refractory, the output of non-spiking neurons)
  const f32 = (e: Expr, env: Env) => emit(e, env, true);
  const f64 = (e: Expr, env: Env) => emit(e, env, false);

  // Blocked loops: BLK neurons at a time, time steps outside, neurons inside, so every row is read
  // and written in order (a neuron-outer order strides by n between steps, which for layer sizes
  // that are multiples of 4 KiB aliases in the cache: 3-4x slower here) and the inner loop can
  // vectorise; emit-js.ts blocks its loops the same way. The state of the block's neurons lives in small arrays between steps.
  const fwd: string[] = [];
  fwd.push(`static void ${name}_forward(const float *x, float *const *out, const double *c, int64_t T, int64_t n, int64_t xStride, int64_t refr, int64_t lo, int64_t hi) {`);
  fwd.push(`  float *Y = out[0];`);
  for (const i of idx) fwd.push(`  float *H${i} = out[${i + 1}];`);
  if (refractory) fwd.push(`  float *B = out[${k + 1}];`);
  else fwd.push(`  (void)refr;`);
  const fwdConsts = fwd.length;
  fwd.push(`  for (int64_t i0 = lo; i0 < hi; i0 += SNNC_BLOCK) {`);
  fwd.push(`    const int64_t m = hi - i0 < SNNC_BLOCK ? hi - i0 : SNNC_BLOCK;`);
  fwd.push(`    ${idx.map((i) => `float Z${i}[SNNC_BLOCK];`).join(' ')}`);
  if (refractory) fwd.push(`    int64_t RC[SNNC_BLOCK];`);
  fwd.push(`    for (int64_t q = 0; q < m; q++) {`);
  for (const i of idx) fwd.push(`      Z${i}[q] = ${f32(plan.init[i]!, z)};`);
  if (refractory) fwd.push(`      RC[q] = 0;`);
  fwd.push(`    }`);
  fwd.push(`    for (int64_t t = 0; t < T; t++) {`);
  fwd.push(`      const float *xr = x + t * xStride + i0;`);
  fwd.push(`      const int64_t r = t * n + i0;`);
  fwd.push(`      for (int64_t q = 0; q < m; q++) {`);
  fwd.push(`        const int64_t j = r + q;`);
  fwd.push(`        const float X = xr[q];`);
  fwd.push(`        (void)X;`);
  for (const i of idx) fwd.push(`        const float z${i} = Z${i}[q];`);
  if (refractory) fwd.push(`        int64_t rc = RC[q];`);
  for (const i of idx) fwd.push(`        ${refractory && i === m ? '' : 'const '}float h${i} = ${f32(plan.update[i]!, z)};`);
  if (refractory) {
    fwd.push(`        const int b = rc > 0;`);
    fwd.push(`        if (b) { h${m} = z${m}; rc--; }`);
    fwd.push(`        B[j] = b ? 1.0f : 0.0f;`);
  }
  for (const i of idx) fwd.push(`        H${i}[j] = h${i};`);
  if (spiking) {
    const test = `${f32(plan.spike!.diff, h)} ${plan.spike!.strict ? '>' : '>='} 0`;
    fwd.push(`        const int sp = ${refractory ? `!b && ` : ''}${test};`);
    fwd.push(`        Y[j] = sp ? 1.0f : 0.0f;`);
    for (const i of idx) {
      const d = plan.delta[i]!;
      // delta = h itself is a reset to 0 (h - h), written as the constant
      const reset = d.kind === 'var' && d.name === plan.state[i] ? '0.0f' : `(h${i} - ${f32(d, h)})`;
      if (literalValue(d) !== 0) fwd.push(`        Z${i}[q] = sp ? ${reset} : h${i};`);
      else fwd.push(`        Z${i}[q] = h${i};`);
    }
    if (refractory) fwd.push(`        RC[q] = sp ? refr : rc;`);
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
    `static void ${name}_backward(const float *dy, const float *const *saved, const float *x, float *dx, const double *c, int64_t T, int64_t n, int64_t xStride, snnc_surrogate sg, int64_t lo, int64_t hi) {`,
  );
  bwd.push(`  const float *Y = saved[0];`);
  for (const i of idx) bwd.push(`  const float *H${i} = saved[${i + 1}];`);
  if (refractory) bwd.push(`  const float *B = saved[${k + 1}];`);
  bwd.push(`  (void)Y; (void)x; (void)sg;`);
  const bwdConsts = bwd.length;
  bwd.push(`  const int isStatic = xStride == 0;`);
  bwd.push(`  for (int64_t i0 = lo; i0 < hi; i0 += SNNC_BLOCK) {`);
  bwd.push(`    const int64_t m = hi - i0 < SNNC_BLOCK ? hi - i0 : SNNC_BLOCK;`);
  bwd.push(`    ${idx.map((i) => `double GZ${i}[SNNC_BLOCK];`).join(' ')}`);
  bwd.push(`    double GX[SNNC_BLOCK];`);
  bwd.push(`    for (int64_t q = 0; q < m; q++) {`);
  bwd.push(`      ${idx.map((i) => `GZ${i}[q] = 0.0;`).join(' ')}`);
  bwd.push(`      GX[q] = 0.0;`);
  bwd.push(`    }`);
  bwd.push(`    for (int64_t t = T - 1; t >= 0; t--) {`);
  bwd.push(`      const int64_t r = t * n + i0;`);
  bwd.push(`      const int64_t xr = t * xStride + i0;`);
  if (spiking) {
    // The surrogate in its own pass over the block: its switch on the kind stays out of the
    // main loop, which then vectorises.
    bwd.push(`      double G[SNNC_BLOCK];`);
    bwd.push(`      for (int64_t q = 0; q < m; q++) {`);
    bwd.push(`        const int64_t j = r + q;`);
    for (const i of idx) bwd.push(`        const double h${i} = H${i}[j];`);
    bwd.push(`        const double sp = Y[j];`);
    bwd.push(`        (void)j; (void)sp;`);
    bwd.push(`        G[q] = ${f64(plan.spike!.diff, h)};`);
    bwd.push(`      }`);
    bwd.push(`      snnc_surrogate_block(sg, G, m);`);
  }
  const body: string[] = [];
  body.push(`const int64_t j = r + q;`);
  body.push(`const int64_t xi = xr + q;`);
  body.push(`(void)xi;`);
  for (const i of idx) body.push(`double gz${i} = GZ${i}[q];`);
  for (const i of idx) body.push(`const double h${i} = H${i}[j];`);
  if (refractory) body.push(`const int b = B[j] != 0;`);
  if (spiking) {
    body.push(`const double sp = Y[j];`);
    body.push(`const double g = ${refractory ? 'b ? 0.0 : ' : ''}G[q];`);
    body.push(`const double gs = (double)dy[j] * g;`);
    body.push(`(void)sp; (void)gs;`);
    for (const jj of idx) {
      const direct = literalValue(plan.diffJac[jj]!) === 0 ? [] : [literalValue(plan.diffJac[jj]!) === 1 ? 'gs' : `gs * ${f64(plan.diffJac[jj]!, h)}`];
      const carried = sparseDot(idx.map((ii) => ({ value: `gz${ii}`, factor: plan.resetJac[ii]![jj]!, code: () => f64(plan.resetJac[ii]![jj]!, h) })), '0.0');
      body.push(`const double gh${jj} = ${[...direct, carried].join(' + ')};`);
    }
  } else {
    for (const jj of idx) body.push(`const double gh${jj} = gz${jj}${jj === m ? ' + (double)dy[j]' : ''};`);
  }
  if (plan.backwardReadsState) {
    body.push(`${idx.map((i) => `double p${i};`).join(' ')}`);
    body.push(`if (t > 0) {`);
    for (const i of idx) body.push(`  const double q${i} = H${i}[j - n];`);
    if (spiking) {
      body.push(`  const double sq = Y[j - n];`);
      for (const i of idx) body.push(literalValue(plan.delta[i]!) === 0 ? `  p${i} = q${i};` : `  p${i} = sq != 0 ? q${i} - ${f64(plan.delta[i]!, hp)} : q${i};`);
    } else for (const i of idx) body.push(`  p${i} = q${i};`);
    body.push(`} else {`);
    for (const i of idx) body.push(`  p${i} = ${f64(plan.init[i]!, zp)};`);
    body.push(`}`);
  }
  if (plan.backwardReadsInput) body.push(`const double X = x[xi];`);
  // dL/dz[t-1] and dL/dx[t]; while refractory the membrane's row is the identity (held)
  const gzRow = (skipM: boolean) =>
    idx.map((jj) => {
      const terms = idx.filter((ii) => !(skipM && ii === m)).map((ii) => ({ value: `gh${ii}`, factor: plan.updateJac[ii]![jj]!, code: () => f64(plan.updateJac[ii]![jj]!, zp) }));
      const held = skipM && jj === m ? ` + gh${m}` : '';
      return `gz${jj} = ${sparseDot(terms, '0.0')}${held};`;
    });
  const gxOf = (skipM: boolean) => sparseDot(idx.filter((ii) => !(skipM && ii === m)).map((ii) => ({ value: `gh${ii}`, factor: plan.inputJac[ii]!, code: () => f64(plan.inputJac[ii]!, zp) })), '0.0');
  if (refractory) {
    body.push(`double gxt;`);
    body.push(`if (b) { ${gzRow(true).join(' ')} gxt = ${gxOf(true)}; }`);
    body.push(`else { ${gzRow(false).join(' ')} gxt = ${gxOf(false)}; }`);
  } else {
    body.push(...gzRow(false));
    body.push(`const double gxt = ${gxOf(false)};`);
  }
  for (const i of idx) body.push(`GZ${i}[q] = gz${i};`);
  // One loop per input layout, so the store is not a branch inside the loop.
  const loop = (store: string) => [`        for (int64_t q = 0; q < m; q++) {`, ...body.map((l) => `          ${l}`), `          ${store}`, `        }`];
  bwd.push(`      if (isStatic) {`);
  bwd.push(...loop('GX[q] += gxt;'));
  bwd.push(`      } else {`);
  bwd.push(...loop('dx[xi] = (float)gxt;'));
  bwd.push(`      }`);
  bwd.push(`    }`);
  bwd.push(`    if (isStatic) for (int64_t q = 0; q < m; q++) dx[i0 + q] = (float)GX[q];`);
  bwd.push(`  }`);
  bwd.push(`}`);
  declareConstants(fwd, fwdConsts, 'k', (slot) => `const float k${slot} = (float)c[${slot}];`);
  declareConstants(bwd, bwdConsts, 'c', (slot) => `const double c${slot} = c[${slot}];`);
  return { hash, name, source: `${fwd.join('\n')}\n\n${bwd.join('\n')}\n` };
}

/** Declares, at `at`, the constants (`k3`, `c3`) that the function's body reads. */
function declareConstants(lines: string[], at: number, prefix: string, decl: (slot: number) => string): void {
  const body = lines.slice(at).join('\n');
  const used = new Set<number>();
  for (const m of body.matchAll(new RegExp(`\\b${prefix}(\\d+)\\b`, 'g'))) used.add(Number(m[1]));
  lines.splice(at, 0, ...[...used].sort((a, b) => a - b).map((slot) => `  ${decl(slot)}`));
}
