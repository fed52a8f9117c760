import { assertNever, constantSlot, literalValue, planHash, type Expr, type NeuronKernelPlan, type SurrogateKind } from '@snnc/ir';
import { surrogateWgsl } from '../webgpu/surrogate_wgsl.js';
import { planNames, sparseDot } from './plan-terms.js';
import type { ProgramUniformValue } from '../webgpu/webgpu_program.js';

/**
 * Emits the fused multi-step kernel of a lifted neuron plan (@snnc/ir `liftConstants`) as WGSL
 * compute programs for tfjs's `webgpu` backend, at run time from the kernels' `key` attribute.
 * The semantics are emit-js.ts's, statement for statement: the forward in f32 in the same
 * operation order (so spikes match the generated JS kernels and the composed ops), the BPTT
 * loop from the plan's symbolic derivatives (in f32: WGSL has no f64). WGSL has no `precise`:
 * a GPU compiler may fuse a*b+c into one rounding, which moves a membrane by an ulp (a spike
 * only where it sits within that of the threshold).
 *
 * One invocation owns one neuron i and walks all T steps of it (time-major, element i of step
 * t at t * n + i). The numeric constants (`$cK`) are uniforms `c0, c1, ...`, not literals, so
 * an instance with another tau or threshold reuses the compiled pipeline: the shader key is
 * the plan key's hash plus what the source depends on (output, static input, surrogate kind).
 *
 * Outputs: tfjs's program runner binds one output per program, and the forward has 1 + k (+1)
 * of them (y, h_0 .. h_{k-1}, blocked). We run one program per output, each running the whole
 * (cheap, per-element) recurrence and storing one of its values: this reads x once and writes
 * each output once per program, less memory traffic than packing all outputs into one buffer
 * and copying slices out of it, and needs no intermediate buffer or slice kernel.
 */

/** A plan as the kernels' `key` attribute carries it: liftConstants's JSON (no surrogate). */
export type PlanShape = Omit<NeuronKernelPlan, 'surrogate' | 'refractorySteps'> & { refractorySteps: 'some' | 'none' };

/** What one run of a program sets: its uniforms' values. */
export interface WgslRun {
  steps: number;
  /** Neurons per step. */
  n: number;
  refractorySteps: number;
  /** The surrogate's alpha (backward only). */
  alpha: number;
  constants: readonly number[];
}

/** One emitted program: everything a tfjs WebGPUProgram needs but its shapes. */
export interface WgslNeuronProgram {
  shaderKey: string;
  /** Storage inputs the code reads (WGSL names)... */
  variableNames: string[];
  /** ... and the kernel inputs (`x`, `dy`, `y`, `h0`, `b`) to bind to them, in the same order. */
  inputs: string[];
  /** Fields of tfjs's uniforms struct; `uniformValues` gives their values in this order. */
  uniforms: string;
  code: string;
  uniformValues(run: WgslRun): ProgramUniformValue[];
}

export interface ParsedKey {
  shape: PlanShape;
  hash: string;
  /** Number of `$cK` slots: the length `constants` must have. */
  constants: number;
}

const parsedKeys = new Map<string, ParsedKey>();
const keyOfHash = new Map<string, string>();
const programs = new Map<string, WgslNeuronProgram>();

/** The plan of a key, parsed once per process; its hash must name no other key (shader keys). */
export function parsePlanKey(key: string): ParsedKey {
  const known = parsedKeys.get(key);
  if (known !== undefined) return known;
  const shape = JSON.parse(key) as PlanShape;
  const k = Array.isArray(shape.state) ? shape.state.length : 0;
  const square = (m: unknown) => Array.isArray(m) && m.length === k && m.every((row) => Array.isArray(row) && row.length === k);
  const vector = (v: unknown) => Array.isArray(v) && v.length === k;
  if (k === 0 || !vector(shape.init) || !vector(shape.update) || !vector(shape.delta) || !vector(shape.inputJac) || !vector(shape.diffJac) || !square(shape.updateJac) || !square(shape.resetJac)) {
    throw new Error('emit-wgsl: the key is not a lifted neuron kernel plan');
  }
  const hash = planHash(key);
  const other = keyOfHash.get(hash);
  if (other !== undefined && other !== key) throw new Error(`emit-wgsl: two plan keys share the hash ${hash}`);
  keyOfHash.set(hash, key);
  const all = [...shape.init, ...shape.update, ...(shape.spike ? [shape.spike.diff] : []), ...shape.delta, ...shape.updateJac.flat(), ...shape.inputJac, ...shape.diffJac, ...shape.resetJac.flat()];
  const parsed: ParsedKey = { shape, hash, constants: all.reduce((m, e) => Math.max(m, maxSlot(e) + 1), 0) };
  parsedKeys.set(key, parsed);
  return parsed;
}

function maxSlot(e: Expr): number {
  switch (e.kind) {
    case 'num':
      return -1;
    case 'var':
      return constantSlot(e.name);
    case 'index':
      return maxSlot(e.target);
    case 'unary':
      return maxSlot(e.arg);
    case 'binary':
      return Math.max(maxSlot(e.left), maxSlot(e.right));
    case 'call':
      return e.args.reduce((m, a) => Math.max(m, maxSlot(a)), -1);
    default:
      return assertNever(e);
  }
}

// ---------------------------------------------------------------------------------------
// Expressions

type Env = ReadonlyMap<string, string>;

/** WGSL's pow is undefined for a negative base; Math.pow takes one with an integer exponent. */
const POW_HELPER = `
fn snncPow(a : f32, b : f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a >= 0.0) { return pow(a, b); }
  if (b != trunc(b)) { return uniforms.NAN; }
  let m = pow(-a, b);
  return select(m, -m, (b % 2.0) != 0.0);
}`;

/** Emits expressions; `usesPow` records whether the program needs {@link POW_HELPER}. */
class ExprWriter {
  usesPow = false;

  expr(e: Expr, env: Env): string {
    switch (e.kind) {
      case 'num':
        return wgslNumber(e.value);
      case 'var': {
        const slot = constantSlot(e.name);
        if (slot >= 0) return `uniforms.c${slot}`;
        const name = env.get(e.name);
        if (name === undefined) throw new Error(`emit-wgsl: no value for \`${e.name}\``);
        return name;
      }
      case 'index':
        throw new Error('emit-wgsl: indexing is not part of neuron equations');
      case 'unary': {
        const a = this.expr(e.arg, env);
        const op = e.op;
        switch (op) {
          case '-':
            return `(-(${a}))`;
          case '+':
            return a;
          case '!':
            return `select(0.0, 1.0, ${a} == 0.0)`;
          default:
            return assertNever(op);
        }
      }
      case 'binary':
        return this.binary(e, env);
      case 'call':
        return this.call(e, env);
      default:
        return assertNever(e);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, env: Env): string {
    const a = this.expr(e.left, env);
    const b = this.expr(e.right, env);
    const op = e.op;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
        return `(${a} ${op} ${b})`;
      case '^':
        if (literalValue(e.right) === 2) return `(${a} * ${a})`;
        this.usesPow = true;
        return `snncPow(${a}, ${b})`;
      case '%':
        // WGSL's f32 `%` truncates (the result takes the dividend's sign), as JS's
        return `(${a} % ${b})`;
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '==':
      case '!=':
        return `select(0.0, 1.0, ${a} ${op} ${b})`;
      case '&&':
        return `select(0.0, 1.0, (${a} != 0.0) && (${b} != 0.0))`;
      case '||':
        return `select(0.0, 1.0, (${a} != 0.0) || (${b} != 0.0))`;
      default:
        return assertNever(op);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, env: Env): string {
    const args = e.args.map((a) => this.expr(a, env));
    const arg = (i: number): string => {
      const s = args[i];
      if (s === undefined) throw new Error(`emit-wgsl: \`${e.fn}\` expects more arguments`);
      return s;
    };
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
        return `${e.fn}(${arg(0)})`;
      case 'min':
      case 'max':
        return args.slice(1).reduce((m, a) => `${e.fn}(${m}, ${a})`, arg(0));
      case 'if':
      case 'where':
        return `select(${arg(2)}, ${arg(1)}, ${arg(0)} != 0.0)`;
      case 'clip':
        return `min(max(${arg(0)}, ${arg(1)}), ${arg(2)})`;
      default:
        return assertNever(e.fn);
    }
  }
}

/** An f32 WGSL value: the float32 rounding of `v` (what emit-js's `f(v)` is), or NaN/±Inf. */
function wgslNumber(v: unknown): string {
  if (typeof v !== 'number') throw new Error(`emit-wgsl: expected a number literal, got ${String(v)}`);
  const f = Math.fround(v);
  if (Number.isNaN(f)) return 'uniforms.NAN';
  if (!Number.isFinite(f)) return f > 0 ? 'uniforms.INFINITY' : '(-uniforms.INFINITY)';
  const s = String(Math.abs(f));
  const lit = `${/[.eE]/.test(s) ? s : `${s}.0`}f`;
  return f < 0 ? `(-${lit})` : lit;
}

// ---------------------------------------------------------------------------------------
// Programs

/** The membrane: held while refractory, the output of non-spiking neurons. */
const M = 0;

/** Storage input names: distinct from the locals below (z0, h0, sp, ...). */
const FORWARD_INPUT = 'xs';

function uniformFields(shape: PlanShape, constants: number, backward: boolean): { decl: string; values: (r: WgslRun) => ProgramUniformValue[] } {
  const refractory = shape.refractorySteps === 'some';
  const alpha = backward && shape.spike !== null;
  const decl = [
    'steps : i32,',
    'n : i32,',
    ...(refractory && !backward ? ['refr : i32,'] : []),
    ...(alpha ? ['alpha : f32,'] : []),
    ...Array.from({ length: constants }, (_, i) => `c${i} : f32,`),
  ].join(' ');
  const values = (r: WgslRun): ProgramUniformValue[] => {
    if (r.constants.length !== constants) throw new Error(`emit-wgsl: expected ${constants} constants, got ${r.constants.length}`);
    if ((r.refractorySteps > 0) !== refractory) throw new Error('emit-wgsl: the refractory period does not match the plan');
    return [
      { type: 'int32', data: [r.steps] },
      { type: 'int32', data: [r.n] },
      ...(refractory && !backward ? [{ type: 'int32' as const, data: [r.refractorySteps] }] : []),
      ...(alpha ? [{ type: 'float32' as const, data: [r.alpha] }] : []),
      ...r.constants.map((c) => ({ type: 'float32' as const, data: [c] })),
    ];
  };
  return { decl, values };
}

/**
 * Drops the loads (`let a = buf[...]`) whose value nothing reads, then keeps the storage inputs
 * the code still reads. tfjs binds every input it is given, and a binding the shader does not
 * use is missing from the pipeline's `auto` layout: the bind group fails validation and the
 * whole submission is dropped (every output reads 0). `candidates`: [WGSL name, kernel input].
 */
function finish(body: readonly string[], candidates: readonly (readonly [string, string])[]): { body: string; variableNames: string[]; inputs: string[] } {
  const load = /^\s*let (\w+) = \w+\[/;
  const kept = body.filter((line, i) => {
    const m = load.exec(line);
    if (m === null) return true;
    const local = new RegExp(`\\b${m[1]!}\\b`);
    return body.some((other, k) => k !== i && local.test(other));
  });
  const text = kept.join('\n');
  const used = candidates.filter(([name]) => new RegExp(`\\b${name}\\[`).test(text));
  return { body: text, variableNames: used.map(([name]) => name), inputs: used.map(([, input]) => input) };
}

/** Number of forward outputs of a plan: y, one h per state, and the blocked mask if refractory. */
export function wgslForwardOutputs(key: string): number {
  const { shape } = parsePlanKey(key);
  return 1 + shape.state.length + (shape.refractorySteps === 'some' ? 1 : 0);
}

/**
 * The forward program storing output `output` (0: y, the spikes or the membrane of a
 * non-spiking neuron; 1 + i: h_i; 1 + k: the blocked mask) from the input `xs`.
 */
export function emitWgslForward(key: string, output: number, staticInput: boolean): WgslNeuronProgram {
  const parsed = parsePlanKey(key);
  const shaderKey = `snncNeuronF${output}_${parsed.hash}_${staticInput ? 'static' : 'seq'}`;
  const cached = programs.get(shaderKey);
  if (cached !== undefined) return cached;
  const { shape } = parsed;
  const k = shape.state.length;
  const idx = shape.state.map((_, i) => i);
  const refractory = shape.refractorySteps === 'some';
  if (!Number.isInteger(output) || output < 0 || output >= wgslForwardOutputs(key)) throw new Error(`emit-wgsl: no forward output ${output}`);
  const w = new ExprWriter();
  const z = new Map<string, string>([...shape.state.map((s, i) => [s, `z${i}`] as const), [shape.input, 'xv']]);
  const h = new Map<string, string>(shape.state.map((s, i) => [s, `h${i}`] as const));
  const spike = shape.spike;

  const body: string[] = [];
  body.push('  let n = uniforms.n;');
  body.push('  if (index >= n) { return; }');
  body.push(`  let xStride = ${staticInput ? '0' : 'n'};`);
  for (const i of idx) body.push(`  var z${i} : f32 = ${w.expr(shape.init[i]!, z)};`);
  if (refractory) body.push('  var rc = 0;');
  body.push('  var j = index;');
  body.push('  var xi = index;');
  body.push('  for (var t = 0; t < uniforms.steps; t = t + 1) {');
  body.push(`    let xv = ${FORWARD_INPUT}[xi];`);
  for (const i of idx) body.push(`    ${refractory && i === M ? 'var' : 'let'} h${i} = ${w.expr(shape.update[i]!, z)};`);
  if (refractory) {
    body.push('    let b = rc > 0;');
    body.push(`    if (b) { h${M} = z${M}; rc = rc - 1; }`);
  }
  if (spike) body.push(`    let sp = ${refractory ? '!b && ' : ''}(${w.expr(spike.diff, h)} ${spike.strict ? '>' : '>='} 0.0);`);
  let stored: string;
  if (output === 0) stored = spike ? 'select(0.0, 1.0, sp)' : `h${M}`;
  else if (output <= k) stored = `h${output - 1}`;
  else stored = 'select(0.0, 1.0, b)';
  body.push(`    result[j] = ${stored};`);
  if (spike) {
    for (const i of idx) {
      const d = shape.delta[i]!;
      // delta = h itself is a reset to 0 (h - h), written as the constant (as emit-js)
      const reset = d.kind === 'var' && d.name === shape.state[i] ? '0.0' : `(h${i} - ${w.expr(d, h)})`;
      body.push(literalValue(d) === 0 ? `    z${i} = h${i};` : `    z${i} = select(h${i}, ${reset}, sp);`);
    }
    if (refractory) body.push('    if (sp) { rc = uniforms.refr; }');
  } else {
    for (const i of idx) body.push(`    z${i} = h${i};`);
  }
  body.push('    j = j + n;');
  body.push('    xi = xi + xStride;');
  body.push('  }');

  const u = uniformFields(shape, parsed.constants, false);
  const used = finish(body, [[FORWARD_INPUT, 'x']]);
  const program: WgslNeuronProgram = {
    shaderKey,
    variableNames: used.variableNames,
    inputs: used.inputs,
    uniforms: u.decl,
    code: `${w.usesPow ? POW_HELPER : ''}\nfn main(index : i32) {\n${used.body}\n}\n`,
    uniformValues: u.values,
  };
  programs.set(shaderKey, program);
  return program;
}

/** The BPTT program: {dy, y, h_i, (b), (x)} -> dx ([T*n], or [n] summed over T for a static input). */
export function emitWgslBackward(key: string, staticInput: boolean, surrogate: SurrogateKind): WgslNeuronProgram {
  const parsed = parsePlanKey(key);
  const { shape } = parsed;
  const spiking = shape.spike !== null;
  const shaderKey = `snncNeuronB_${parsed.hash}_${staticInput ? 'static' : 'seq'}${spiking ? `_${surrogate}` : ''}`;
  const cached = programs.get(shaderKey);
  if (cached !== undefined) return cached;
  const idx = shape.state.map((_, i) => i);
  const refractory = shape.refractorySteps === 'some';
  const w = new ExprWriter();
  const { h, zp, hp } = planNames(shape.state, shape.input, 'xv');

  const body: string[] = [];
  body.push('  let n = uniforms.n;');
  body.push('  if (index >= n) { return; }');
  body.push('  let steps = uniforms.steps;');
  body.push(`  let xStride = ${staticInput ? '0' : 'n'};`);
  for (const i of idx) body.push(`  var gz${i} = 0.0;`);
  body.push('  var gx = 0.0;');
  body.push('  var j = index + (steps - 1) * n;');
  body.push('  var xi = index + (steps - 1) * xStride;');
  body.push('  for (var t = steps - 1; t >= 0; t = t - 1) {');
  for (const i of idx) body.push(`    let h${i} = hs${i}[j];`);
  if (refractory) body.push('    let b = bs[j] != 0.0;');
  if (spiking) {
    const sg = `snncSurrogate(${w.expr(shape.spike!.diff, h)})`;
    body.push('    let sp = ys[j];');
    body.push(`    let g = ${refractory ? `select(${sg}, 0.0, b)` : sg};`);
    body.push('    let gs = dy[j] * g;');
    for (const jj of idx) {
      const d = shape.diffJac[jj]!;
      const direct = literalValue(d) === 0 ? [] : [literalValue(d) === 1 ? 'gs' : `gs * ${w.expr(d, h)}`];
      const carried = sparseDot(idx.map((ii) => ({ value: `gz${ii}`, factor: shape.resetJac[ii]![jj]!, code: () => w.expr(shape.resetJac[ii]![jj]!, h) })), '0.0');
      body.push(`    let gh${jj} = ${[...direct, carried].join(' + ')};`);
    }
  } else {
    for (const jj of idx) body.push(`    let gh${jj} = gz${jj}${jj === M ? ' + dy[j]' : ''};`);
  }
  if (shape.backwardReadsState) {
    for (const i of idx) body.push(`    var p${i} : f32;`);
    body.push('    if (t > 0) {');
    for (const i of idx) body.push(`      let q${i} = hs${i}[j - n];`);
    if (spiking) {
      body.push('      let sq = ys[j - n] != 0.0;');
      for (const i of idx) body.push(literalValue(shape.delta[i]!) === 0 ? `      p${i} = q${i};` : `      p${i} = select(q${i}, q${i} - ${w.expr(shape.delta[i]!, hp)}, sq);`);
    } else for (const i of idx) body.push(`      p${i} = q${i};`);
    body.push('    } else {');
    for (const i of idx) body.push(`      p${i} = ${w.expr(shape.init[i]!, zp)};`);
    body.push('    }');
  }
  if (shape.backwardReadsInput) body.push('    let xv = xs[xi];');
  // dL/dz[t-1] and dL/dx[t]; while refractory the membrane's row is the identity (held)
  const gzRow = (skipM: boolean) =>
    idx.map((jj) => {
      const terms = idx.filter((ii) => !(skipM && ii === M)).map((ii) => ({ value: `gh${ii}`, factor: shape.updateJac[ii]![jj]!, code: () => w.expr(shape.updateJac[ii]![jj]!, zp) }));
      return `gz${jj} = ${sparseDot(terms, '0.0')}${skipM && jj === M ? ` + gh${M}` : ''};`;
    });
  const gxOf = (skipM: boolean) => sparseDot(idx.filter((ii) => !(skipM && ii === M)).map((ii) => ({ value: `gh${ii}`, factor: shape.inputJac[ii]!, code: () => w.expr(shape.inputJac[ii]!, zp) })), '0.0');
  if (refractory) {
    body.push('    var gxt : f32;');
    body.push(`    if (b) { ${gzRow(true).join(' ')} gxt = ${gxOf(true)}; }`);
    body.push(`    else { ${gzRow(false).join(' ')} gxt = ${gxOf(false)}; }`);
  } else {
    for (const line of gzRow(false)) body.push(`    ${line}`);
    body.push(`    let gxt = ${gxOf(false)};`);
  }
  body.push(staticInput ? '    gx = gx + gxt;' : '    result[xi] = gxt;');
  body.push('    j = j - n;');
  body.push('    xi = xi - xStride;');
  body.push('  }');
  if (staticInput) body.push('  result[index] = gx;');

  const surrogateFn = spiking ? `\nfn snncSurrogate(u : f32) -> f32 {\n  let a = uniforms.alpha;\n  ${surrogateWgsl(surrogate)}\n}` : '';
  const u = uniformFields(shape, parsed.constants, true);
  const candidates = [
    ['dy', 'dy'],
    ['ys', 'y'],
    ...idx.map((i) => [`hs${i}`, `h${i}`] as const),
    ['bs', 'b'],
    ['xs', 'x'],
  ] as const;
  const used = finish(body, candidates);
  const program: WgslNeuronProgram = {
    shaderKey,
    variableNames: used.variableNames,
    inputs: used.inputs,
    uniforms: u.decl,
    code: `${w.usesPow ? POW_HELPER : ''}${surrogateFn}\nfn main(index : i32) {\n${used.body}\n}\n`,
    uniformValues: u.values,
  };
  programs.set(shaderKey, program);
  return program;
}
