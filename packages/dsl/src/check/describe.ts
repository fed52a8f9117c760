import { assertNever } from '@snnc/ir';
import type { AstExpr } from '../ast.js';

/** How a value is named in messages: `got a list`, `got \`adam(...)\``, `got 7.5`. */
export function describeValue(e: AstExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return 'a string';
    case 'ident':
      return `\`${e.name}\``;
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
    case 'call':
      return `\`${e.callee.name}(...)\``;
    case 'unary':
    case 'binary':
    case 'index':
    case 'member':
      return 'an expression';
    case 'paren':
      return describeValue(e.inner);
    default:
      return assertNever(e);
  }
}

/** Numbers printed in messages: integers as is, others to at most 6 significant digits. */
export function fmtNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

export function unwrapParens(e: AstExpr): AstExpr {
  let x = e;
  while (x.kind === 'paren') x = x.inner;
  return x;
}
