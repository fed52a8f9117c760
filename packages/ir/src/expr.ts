import type { SourceRange } from './source.js';

/**
 * The `.snn` expression sub-language, as data. NEF connection functions (`x[0] * x[1]`),
 * input signals (`sin(2*pi*t)`) and probe expectations (`a * b`) are kept as this tree and
 * evaluated by {@link compileExpr}, which builds closures from it. User text is never passed
 * to `eval` or `new Function`, so a shared `.snn` file cannot run code.
 */
export type Expr =
  | { kind: 'num'; value: number; range?: SourceRange }
  /** `t` (seconds), `x` (the connection's input vector), `pi`, `e`, or an input's name. */
  | { kind: 'var'; name: string; range?: SourceRange }
  /** `target[index]`; the index is a non-negative integer constant. */
  | { kind: 'index'; target: Expr; index: number; range?: SourceRange }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; range?: SourceRange }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; range?: SourceRange }
  | { kind: 'call'; fn: BuiltinFunction; args: Expr[]; range?: SourceRange };

export type UnaryOp = '-' | '+';
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '%';

/** Built-in functions with their arity (`min`/`max` take two or more arguments). */
export const BUILTIN_FUNCTIONS = {
  sin: 1,
  cos: 1,
  tan: 1,
  exp: 1,
  log: 1,
  tanh: 1,
  abs: 1,
  sqrt: 1,
  sign: 1,
  floor: 1,
  ceil: 1,
  min: -2,
  max: -2,
} as const satisfies Record<string, number>;

export type BuiltinFunction = keyof typeof BUILTIN_FUNCTIONS;

export const BUILTIN_CONSTANTS = { pi: Math.PI, e: Math.E } as const;

export function isBuiltinFunction(name: string): name is BuiltinFunction {
  return Object.prototype.hasOwnProperty.call(BUILTIN_FUNCTIONS, name);
}

/** Values an expression may read: `t` in seconds, `x` the input vector, other named vectors. */
export interface ExprEnv {
  t: number;
  x: ArrayLike<number>;
  vars: Readonly<Record<string, ArrayLike<number>>>;
}

export type CompiledExpr = (env: ExprEnv) => number;

/**
 * Compiles an expression tree into nested closures. Names are resolved at call time from
 * `env.vars` (a scalar name reads element 0). Throws only on trees that the compiler's checks
 * reject (an unknown function), never on values: NaN propagates as in IEEE arithmetic.
 */
export function compileExpr(expr: Expr): CompiledExpr {
  switch (expr.kind) {
    case 'num': {
      const v = expr.value;
      return () => v;
    }
    case 'var':
      return compileVar(expr.name);
    case 'index': {
      const i = expr.index;
      const target = expr.target;
      if (target.kind === 'var') {
        const name = target.name;
        if (name === 'x') return (env) => env.x[i] ?? NaN;
        return (env) => env.vars[name]?.[i] ?? NaN;
      }
      const inner = compileExpr(target);
      return (env) => (i === 0 ? inner(env) : NaN);
    }
    case 'unary': {
      const a = compileExpr(expr.arg);
      return expr.op === '-' ? (env) => -a(env) : a;
    }
    case 'binary':
      return compileBinary(expr.op, compileExpr(expr.left), compileExpr(expr.right));
    case 'call':
      return compileCall(expr.fn, expr.args.map(compileExpr));
    default:
      return assertNever(expr);
  }
}

function compileVar(name: string): CompiledExpr {
  if (name === 't') return (env) => env.t;
  if (name === 'x') return (env) => env.x[0] ?? NaN;
  if (name === 'pi') return () => Math.PI;
  if (name === 'e') return () => Math.E;
  return (env) => env.vars[name]?.[0] ?? NaN;
}

function compileBinary(op: BinaryOp, a: CompiledExpr, b: CompiledExpr): CompiledExpr {
  switch (op) {
    case '+':
      return (env) => a(env) + b(env);
    case '-':
      return (env) => a(env) - b(env);
    case '*':
      return (env) => a(env) * b(env);
    case '/':
      return (env) => a(env) / b(env);
    case '^':
      return (env) => Math.pow(a(env), b(env));
    case '%':
      return (env) => a(env) % b(env);
    default:
      return assertNever(op);
  }
}

function compileCall(fn: BuiltinFunction, args: CompiledExpr[]): CompiledExpr {
  const a = args[0] ?? (() => NaN);
  switch (fn) {
    case 'sin':
      return (env) => Math.sin(a(env));
    case 'cos':
      return (env) => Math.cos(a(env));
    case 'tan':
      return (env) => Math.tan(a(env));
    case 'exp':
      return (env) => Math.exp(a(env));
    case 'log':
      return (env) => Math.log(a(env));
    case 'tanh':
      return (env) => Math.tanh(a(env));
    case 'abs':
      return (env) => Math.abs(a(env));
    case 'sqrt':
      return (env) => Math.sqrt(a(env));
    case 'sign':
      return (env) => Math.sign(a(env));
    case 'floor':
      return (env) => Math.floor(a(env));
    case 'ceil':
      return (env) => Math.ceil(a(env));
    case 'min':
      return (env) => args.reduce((m, f) => Math.min(m, f(env)), Infinity);
    case 'max':
      return (env) => args.reduce((m, f) => Math.max(m, f(env)), -Infinity);
    default:
      return assertNever(fn);
  }
}

/** The largest `x[i]` index an expression reads, or -1 when it does not index `x`. */
export function maxInputIndex(expr: Expr): number {
  switch (expr.kind) {
    case 'num':
      return -1;
    case 'var':
      return expr.name === 'x' ? 0 : -1;
    case 'index':
      return expr.target.kind === 'var' && expr.target.name === 'x' ? expr.index : maxInputIndex(expr.target);
    case 'unary':
      return maxInputIndex(expr.arg);
    case 'binary':
      return Math.max(maxInputIndex(expr.left), maxInputIndex(expr.right));
    case 'call':
      return expr.args.reduce((m, a) => Math.max(m, maxInputIndex(a)), -1);
    default:
      return assertNever(expr);
  }
}

/** Names an expression reads (other than built-in constants). */
export function freeVariables(expr: Expr, out: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'num':
      break;
    case 'var':
      if (!(expr.name in BUILTIN_CONSTANTS)) out.add(expr.name);
      break;
    case 'index':
      freeVariables(expr.target, out);
      break;
    case 'unary':
      freeVariables(expr.arg, out);
      break;
    case 'binary':
      freeVariables(expr.left, out);
      freeVariables(expr.right, out);
      break;
    case 'call':
      for (const a of expr.args) freeVariables(a, out);
      break;
    default:
      assertNever(expr);
  }
  return out;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
