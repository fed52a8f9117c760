import { assertNever, type BinaryOp, type Expr } from '@snnc/ir';

/** Binding strength, loosest first; `^` is right-associative. */
const PRECEDENCE: Record<BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '==': 3,
  '!=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '^': 7,
};
/** Unary operators bind between `*` and `^`; indexing binds tightest. */
const UNARY = 6;
const INDEX = 8;

/** Prints an expression tree as `.snn` source, with only the parentheses it needs. */
export function exprText(e: Expr, parent = 0): string {
  switch (e.kind) {
    case 'num':
      return formatNumber(e.value);
    case 'var':
      return e.name;
    case 'index':
      return `${exprText(e.target, INDEX)}[${e.index}]`;
    case 'unary': {
      const s = `${e.op}${exprText(e.arg, UNARY)}`;
      return parent > UNARY ? `(${s})` : s;
    }
    case 'binary': {
      const p = PRECEDENCE[e.op];
      const rightAssoc = e.op === '^';
      // Left-associative: an equal-precedence child needs parentheses only on the right.
      const s = `${exprText(e.left, rightAssoc ? p + 1 : p)} ${e.op} ${exprText(e.right, rightAssoc ? p : p + 1)}`;
      return p < parent ? `(${s})` : s;
    }
    case 'call':
      return `${e.fn}(${e.args.map((a) => exprText(a)).join(', ')})`;
    default:
      return assertNever(e);
  }
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}
