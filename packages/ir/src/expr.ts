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

export type UnaryOp = '-' | '+' | '!';
/** Comparisons and `&&`/`||` give 1 (true) or 0 (false); a value is true when it is not 0. */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

/**
 * Built-in functions with their arity (`min`/`max` take two or more arguments, or one vector
 * such as `x`, whose elements they compare). `if(c, a, b)` (alias `where`, as NumPy's) is `a`
 * where c is not 0, else `b`; only the chosen branch is evaluated. `clip(v, lo, hi)`.
 */
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
  min: -1,
  max: -1,
  if: 3,
  where: 3,
  clip: 3,
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
      const op = expr.op;
      switch (op) {
        case '-':
          return (env) => -a(env);
        case '+':
          return a;
        case '!':
          return (env) => (a(env) === 0 ? 1 : 0);
        default:
          return assertNever(op);
      }
    }
    case 'binary':
      return compileBinary(expr.op, compileExpr(expr.left), compileExpr(expr.right));
    case 'call':
      if ((expr.fn === 'min' || expr.fn === 'max') && expr.args.length === 1) return compileVectorExtreme(expr.fn, expr.args[0]!);
      return compileCall(expr.fn, expr.args.map(compileExpr));
    default:
      return assertNever(expr);
  }
}

/** `min(x)` / `max(x)` over the elements of a vector (`x` or an input's name). */
function compileVectorExtreme(fn: 'min' | 'max', arg: Expr): CompiledExpr {
  const pick = fn === 'min' ? Math.min : Math.max;
  const start = fn === 'min' ? Infinity : -Infinity;
  if (arg.kind === 'var' && !(arg.name in BUILTIN_CONSTANTS) && arg.name !== 't') {
    const name = arg.name;
    const read = name === 'x' ? (env: ExprEnv) => env.x : (env: ExprEnv) => env.vars[name];
    return (env) => {
      const v = read(env);
      if (v === undefined || v.length === 0) return NaN;
      let m = start;
      for (let i = 0; i < v.length; i++) m = pick(m, v[i]!);
      return m;
    };
  }
  return compileExpr(arg);
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
    case '<':
      return (env) => (a(env) < b(env) ? 1 : 0);
    case '<=':
      return (env) => (a(env) <= b(env) ? 1 : 0);
    case '>':
      return (env) => (a(env) > b(env) ? 1 : 0);
    case '>=':
      return (env) => (a(env) >= b(env) ? 1 : 0);
    case '==':
      return (env) => (a(env) === b(env) ? 1 : 0);
    case '!=':
      return (env) => (a(env) !== b(env) ? 1 : 0);
    case '&&':
      return (env) => (a(env) !== 0 && b(env) !== 0 ? 1 : 0);
    case '||':
      return (env) => (a(env) !== 0 || b(env) !== 0 ? 1 : 0);
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
    case 'if':
    case 'where': {
      const yes = args[1] ?? (() => NaN);
      const no = args[2] ?? (() => NaN);
      return (env) => (a(env) !== 0 ? yes(env) : no(env));
    }
    case 'clip': {
      const lo = args[1] ?? (() => NaN);
      const hi = args[2] ?? (() => NaN);
      return (env) => Math.min(Math.max(a(env), lo(env)), hi(env));
    }
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
    case 'call':
      // min(x) / max(x) read the whole vector; its size is not known here
      if (expr.args.length === 1 && (expr.fn === 'min' || expr.fn === 'max') && expr.args[0]!.kind === 'var' && expr.args[0]!.name === 'x') return 0;
      return expr.args.reduce((m, a) => Math.max(m, maxInputIndex(a)), -1);
    case 'index':
      return expr.target.kind === 'var' && expr.target.name === 'x' ? expr.index : maxInputIndex(expr.target);
    case 'unary':
      return maxInputIndex(expr.arg);
    case 'binary':
      return Math.max(maxInputIndex(expr.left), maxInputIndex(expr.right));
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
