import type { CstNode, IToken } from 'chevrotain';
import { assertNever, makeDiagnostic, type BinaryOp, type Diagnostic, type LineMap, type SourceRange, type UnaryOp } from '@snnc/ir';
import type {
  Arg,
  AstExpr,
  BlockParam,
  Endpoint,
  EndpointPart,
  Field,
  Ident,
  MapEntry,
  ModelItem,
  NetworkItem,
  NeuronAssign,
  NeuronItem,
  Param,
  SliceSpec,
  Statement,
} from './ast.js';
import type {
  AdditiveCstNode,
  ArgListCstNode,
  ComparisonCstNode,
  ConjunctionCstNode,
  EndpointCstNode,
  ExpressionCstNode,
  FieldBlockCstNode,
  FileCstNode,
  ModelItemCstNode,
  MultiplicativeCstNode,
  NetworkItemCstNode,
  NeuronAssignCstNode,
  NeuronItemCstNode,
  ParamListCstNode,
  PostfixCstNode,
  PowerCstNode,
  PrimaryCstNode,
  SliceCstNode,
  StatementCstChildren,
  UnaryCstNode,
} from './cst.generated.js';
import { isKnownUnit, KNOWN_UNITS } from './units.js';

/** The node of one statement: the `statement` rule is a choice between these rules. */
type StatementNode = ChildNode<StatementCstChildren>;
/** The rules of the expression grammar, one per precedence level. */
type ExprNode = ExpressionCstNode | ConjunctionCstNode | ComparisonCstNode | AdditiveCstNode | MultiplicativeCstNode | UnaryCstNode | PowerCstNode | PostfixCstNode | PrimaryCstNode;

/** A postfix suffix, with where it starts (the CST groups a rule's children by name). */
type Suffix = { start: number; kind: 'call'; el: ArgListCstNode } | { start: number; kind: 'index'; el: ExpressionCstNode } | { start: number; kind: 'member'; el: IToken };

/**
 * Builds the typed AST from Chevrotain's CST. Children are read through the CST types generated
 * from the grammar (cst.generated.ts), so a renamed rule or token is a type error here. Recovery
 * can leave a rule without the children its grammar promises (or with tokens invented at NaN
 * offsets); such statements are marked `broken` and kept, with placeholders, so that their names
 * still resolve.
 */
export class AstBuilder {
  private broken = false;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineMap,
    private readonly textLength: number,
  ) {}

  statements(root: FileCstNode): Statement[] {
    const out: Statement[] = [];
    for (const s of all(root.children.statement)) {
      const inner = onlyChild(s.children);
      if (!inner) continue;
      this.broken = hasRecovery(s);
      const st = this.statement(inner);
      if (st) {
        if (this.broken) st.broken = true;
        out.push(st);
      }
    }
    return out;
  }

  private statement(n: StatementNode): Statement {
    const range = this.nodeRange(n);
    switch (n.name) {
      case 'useStatement': {
        const tok = first(n.children.StringLiteral);
        if (!tok || !this.real(tok)) return { kind: 'use', path: '', pathRange: range, range, broken: true };
        this.checkClosed(tok);
        return { kind: 'use', path: unquote(tok.image), pathRange: this.tokenRange(tok), range };
      }
      case 'neuronStatement': {
        const name = this.ident(first(n.children.Identifier), range);
        if (first(n.children.Equals) || !first(n.children.LCurly)) return { kind: 'neuron', name, value: this.expr(first(n.children.expression), range), range };
        const pl = first(n.children.paramList);
        const items = all(n.children.neuronItem).flatMap((m) => {
          const it = this.neuronItem(m);
          return it ? [it] : [];
        });
        return { kind: 'neuron', name, definition: { params: pl ? this.params(pl) : [], items, range }, range };
      }
      case 'modelStatement': {
        const items = all(n.children.modelItem).map((m) => this.modelItem(m));
        const pl = first(n.children.paramList);
        return { kind: 'model', name: this.ident(first(n.children.Identifier), range), params: pl ? this.params(pl) : [], hasParamList: !!pl, items, range };
      }
      case 'blockStatement': {
        const items = all(n.children.modelItem).map((m) => this.modelItem(m));
        const pl = first(n.children.blockParamList);
        const params = pl
          ? all(pl.children.blockParam).map((p) => {
              const prange = this.nodeRange(p);
              const e = first(p.children.expression);
              const param: BlockParam = { name: this.ident(first(p.children.Name), prange), range: prange };
              if (e) param.value = this.expr(e, prange);
              return param;
            })
          : [];
        return { kind: 'block', name: this.ident(first(n.children.Identifier), range), params, hasParamList: !!pl, items, range };
      }
      case 'experimentStatement': {
        const ids = all(n.children.Identifier);
        const st: Statement = { kind: 'experiment', name: this.ident(ids[0], range), fields: this.fields(first(n.children.fieldBlock)), range };
        if (ids[1]) st.base = this.ident(ids[1], range);
        else if (first(n.children.From)) this.broken = true;
        return st;
      }
      case 'sweepStatement': {
        const ids = all(n.children.Identifier);
        return { kind: 'sweep', name: this.ident(ids[0], range), base: this.ident(ids[1], range), axes: this.fields(first(n.children.fieldBlock)), range };
      }
      case 'networkStatement': {
        const pl = first(n.children.paramList);
        const items = all(n.children.networkItem).flatMap((m) => {
          const it = this.networkItem(m);
          return it ? [it] : [];
        });
        return { kind: 'network', name: this.ident(first(n.children.Identifier), range), params: pl ? this.params(pl) : [], hasParamList: !!pl, items, range };
      }
      default:
        return assertNever(n);
    }
  }

  private params(n: ParamListCstNode): Param[] {
    return all(n.children.namedValue).map((p) => {
      const range = this.nodeRange(p);
      return { name: this.ident(first(p.children.Name), range), value: this.expr(first(p.children.expression), range), range };
    });
  }

  private neuronItem(n: NeuronItemCstNode): NeuronItem | undefined {
    const range = this.nodeRange(n);
    const ids = all(n.children.Identifier);
    if (first(n.children.Input)) return { kind: 'input', name: this.ident(ids[0], range), range };
    if (first(n.children.State)) return { kind: 'state', name: this.ident(ids[0], range), init: this.expr(first(n.children.expression), range), range };
    if (first(n.children.Spike)) {
      const reset = all(n.children.neuronAssign).map((a) => this.neuronAssign(a));
      return { kind: 'spike', condition: this.expr(first(n.children.expression), range), reset, range };
    }
    if (first(n.children.Refractory)) return { kind: 'refractory', value: this.expr(first(n.children.expression), range), range };
    if (first(n.children.Surrogate)) return { kind: 'surrogate', value: this.expr(first(n.children.expression), range), range };
    if (first(n.children.Integrate)) return { kind: 'integrate', scheme: this.ident(ids[0], range), range };
    if (first(n.children.Trainable)) return { kind: 'trainable', name: this.ident(ids[0], range), init: this.expr(first(n.children.expression), range), range };
    if (first(n.children.Dt)) {
      const target = this.ident(ids[0], range);
      // `dv` names the derivative of `v`
      const name = target.name.startsWith('d') ? target.name.slice(1) : '';
      if (name === '' && target.name !== '') {
        this.diagnostics.push(makeDiagnostic('SNN1002', target.range, { message: `expected \`d<state>/dt\` such as \`dv/dt\`, got \`${target.name}/dt\`` }));
        this.broken = true;
      }
      const tr = target.name === '' ? target.range : this.lines.range(this.file, target.range.start + 1, target.range.end);
      return { kind: 'ode', target: { kind: 'ident', name, range: tr }, rhs: this.expr(first(n.children.expression), range), range };
    }
    const assign = first(n.children.neuronAssign);
    if (!assign) {
      this.broken = true;
      return undefined;
    }
    const a = this.neuronAssign(assign);
    return { kind: 'update', target: a.target, op: a.op, value: a.value, range: a.range };
  }

  private neuronAssign(n: NeuronAssignCstNode): NeuronAssign {
    const range = this.nodeRange(n);
    const op = first(n.children.Plus) ? '+=' : first(n.children.Minus) ? '-=' : '=';
    return { target: this.ident(first(n.children.Identifier), range), op, value: this.expr(first(n.children.expression), range), range };
  }

  private modelItem(n: ModelItemCstNode): ModelItem {
    const range = this.nodeRange(n);
    if (first(n.children.Encode)) return { kind: 'encode', value: this.expr(first(n.children.expression), range), range };
    if (first(n.children.Decode)) return { kind: 'decode', value: this.expr(first(n.children.expression), range), range };
    const chain = first(n.children.chain);
    if (!chain) {
      this.broken = true;
      return { kind: 'chain', layers: [], range };
    }
    const item: ModelItem = { kind: 'chain', layers: all(chain.children.expression).map((e) => this.expr(e, range)), range: this.nodeRange(chain) };
    const name = first(chain.children.Identifier);
    if (name) item.name = this.ident(name, item.range);
    return item;
  }

  private fields(block: FieldBlockCstNode | undefined): Field[] {
    if (!block) {
      this.broken = true;
      return [];
    }
    return all(block.children.field).map((f) => {
      const range = this.nodeRange(f);
      const path = all(f.children.Name).map((t) => this.ident(t, range));
      return { path, value: this.expr(first(f.children.expression), range), range };
    });
  }

  private networkItem(n: NetworkItemCstNode): NetworkItem | undefined {
    const inner = onlyChild(n.children);
    if (!inner) {
      this.broken = true;
      return undefined;
    }
    const range = this.nodeRange(inner);
    switch (inner.name) {
      case 'settingItem': {
        const setting = first(inner.children.Dt) ? 'dt' : first(inner.children.Seed) ? 'seed' : 'run';
        return { kind: 'setting', setting, value: this.expr(first(inner.children.expression), range), range };
      }
      case 'inputItem':
        return { kind: 'input', name: this.ident(first(inner.children.Identifier), range), value: this.expr(first(inner.children.expression), range), range };
      case 'ensembleItem':
        return { kind: 'ensemble', name: this.ident(first(inner.children.Identifier), range), value: this.expr(first(inner.children.expression), range), range };
      case 'subnetworkItem':
        return { kind: 'subnetwork', name: this.ident(first(inner.children.Identifier), range), value: this.expr(first(inner.children.expression), range), range };
      case 'connectItem': {
        const eps = all(inner.children.endpoint);
        const al = first(inner.children.argList);
        const nameTok = first(inner.children.Identifier);
        const item: NetworkItem = { kind: 'connect', pre: this.endpoint(eps[0], range), post: this.endpoint(eps[1], range), args: al ? this.args(al) : null, range };
        if (nameTok) item.name = this.ident(nameTok, range);
        return item;
      }
      case 'probeItem': {
        const al = first(inner.children.argList);
        const nameTok = first(inner.children.Identifier);
        const item: NetworkItem = { kind: 'probe', target: this.endpoint(first(inner.children.endpoint), range), args: al ? this.args(al) : null, range };
        if (nameTok) item.name = this.ident(nameTok, range);
        return item;
      }
      default:
        return assertNever(inner);
    }
  }

  private endpoint(n: EndpointCstNode | undefined, fallback: SourceRange): Endpoint {
    if (!n) {
      this.broken = true;
      return { name: this.placeholderIdent(fallback), parts: [], range: fallback };
    }
    const range = this.nodeRange(n);
    const parts: EndpointPart[] = [];
    const names = all(n.children.Name);
    const dots = all(n.children.Dot);
    dots.forEach((d, i) => {
      const nm = this.ident(names[i], range);
      parts.push({ kind: 'attr', name: nm, range: this.span(this.tokenRange(d), nm.range) });
    });
    for (const s of all(n.children.slice)) parts.push({ kind: 'slice', spec: this.slice(s), range: this.nodeRange(s) });
    parts.sort((a, b) => a.range.start - b.range.start);
    return { name: this.ident(first(n.children.Identifier), range), parts, range };
  }

  private slice(n: SliceCstNode): SliceSpec {
    const range = this.nodeRange(n);
    const exprs = all(n.children.expression);
    const colon = first(n.children.Colon);
    if (colon) {
      const spec: SliceSpec = { kind: 'range', range };
      for (const e of exprs) {
        const ex = this.expr(e, range);
        if (ex.range.start < colon.startOffset) spec.start = ex;
        else spec.end = ex;
      }
      return spec;
    }
    if (exprs.length === 1) return { kind: 'index', index: this.expr(exprs[0], range), range };
    if (exprs.length === 0) {
      this.diagnostics.push(makeDiagnostic('SNN1002', range, { message: 'empty slice `[]`: give an index, a range `a:b` or a list' }));
      this.broken = true;
    }
    return { kind: 'list', items: exprs.map((e) => this.expr(e, range)), range };
  }

  private args(n: ArgListCstNode): Arg[] {
    return all(n.children.argument).map((a) => {
      const range = this.nodeRange(a);
      const nameTok = first(a.children.Name);
      const arg: Arg = { value: this.expr(first(a.children.expression), range), range };
      if (nameTok) arg.name = this.ident(nameTok, range);
      return arg;
    });
  }

  // --- expressions ------------------------------------------------------------------

  expr(n: ExprNode | undefined, fallback: SourceRange): AstExpr {
    if (!n) {
      this.broken = true;
      return { kind: 'number', value: NaN, text: '', range: fallback };
    }
    if (n.recoveredNode) this.broken = true;
    switch (n.name) {
      case 'expression':
        return this.binaryChain(n, n.children.conjunction, [n.children.OrOr], fallback);
      case 'conjunction':
        return this.binaryChain(n, n.children.comparison, [n.children.AndAnd], fallback);
      case 'comparison': {
        const c = n.children;
        return this.binaryChain(n, c.additive, [c.LessEqual, c.GreaterEqual, c.EqEq, c.NotEq, c.Less, c.Greater], fallback);
      }
      case 'additive':
        return this.binaryChain(n, n.children.multiplicative, [n.children.Plus, n.children.Minus], fallback);
      case 'multiplicative':
        return this.binaryChain(n, n.children.unary, [n.children.Star, n.children.Slash, n.children.Percent], fallback);
      case 'unary': {
        const inner = first(n.children.unary);
        const op = first(n.children.Minus) ?? first(n.children.Plus) ?? first(n.children.Bang);
        if (op && inner) {
          const arg = this.expr(inner, fallback);
          return { kind: 'unary', op: op.image as UnaryOp, arg, range: this.span(this.tokenRange(op), arg.range) };
        }
        return this.expr(first(n.children.power), fallback);
      }
      case 'power': {
        const base = this.expr(first(n.children.postfix), fallback);
        const exp = first(n.children.unary);
        if (!exp) return base;
        const right = this.expr(exp, fallback);
        return { kind: 'binary', op: '^', left: base, right, range: this.span(base.range, right.range) };
      }
      case 'postfix':
        return this.postfix(n, fallback);
      case 'primary':
        return this.primary(n, fallback);
      default:
        return assertNever(n);
    }
  }

  /** `a op b op c`, left-associative: `operandList` are the operands, `opLists` the operator tokens by kind. */
  private binaryChain(n: CstNode, operandList: readonly ExprNode[] | undefined, opLists: readonly (readonly IToken[] | undefined)[], fallback: SourceRange): AstExpr {
    const operandNodes = all(operandList);
    // Most values are a single operand: skip the operator bookkeeping (hot on large files).
    if (operandNodes.length === 1 && !n.recoveredNode) return this.expr(operandNodes[0], fallback);
    const operands = operandNodes.map((o) => this.expr(o, fallback));
    const opTokens = opLists.flatMap((list) => all(list)).sort((a, b) => a.startOffset - b.startOffset);
    if (operands.length === 0) return this.expr(undefined, fallback);
    if (operands.length !== opTokens.length + 1) this.broken = true;
    let left = operands[0]!;
    for (let i = 1; i < operands.length; i++) {
      const right = operands[i]!;
      const op = (opTokens[i - 1]?.image ?? '+') as BinaryOp;
      left = { kind: 'binary', op, left, right, range: this.span(left.range, right.range) };
    }
    return left;
  }

  private postfix(n: PostfixCstNode, fallback: SourceRange): AstExpr {
    let target = this.expr(first(n.children.primary), fallback);
    if (!n.children.argList && !n.children.LBracket && !n.children.Name) return target;
    // Children of one rule are grouped by name; put the suffixes back in text order.
    const suffixes: Suffix[] = [];
    for (const a of all(n.children.argList)) suffixes.push({ start: this.startOf(a), el: a, kind: 'call' });
    const idx = all(n.children.expression);
    all(n.children.LBracket).forEach((b, i) => {
      const e = idx[i];
      if (e) suffixes.push({ start: b.startOffset, el: e, kind: 'index' });
    });
    all(n.children.Name).forEach((nm) => suffixes.push({ start: nm.startOffset, el: nm, kind: 'member' }));
    suffixes.sort((a, b) => a.start - b.start);
    for (const s of suffixes) {
      switch (s.kind) {
        case 'call': {
          const al = s.el;
          const range = this.span(target.range, this.nodeRange(al));
          const args = this.args(al);
          if (target.kind !== 'ident') {
            this.diagnostics.push(makeDiagnostic('SNN1002', target.range, { message: 'only a name can be called, as in `dense(10)`' }));
            this.broken = true;
            target = { kind: 'call', callee: { kind: 'ident', name: '', range: target.range }, args, range };
          } else target = { kind: 'call', callee: target, args, range };
          break;
        }
        case 'index': {
          const index = this.expr(s.el, fallback);
          const close = all(n.children.RBracket).find((t) => t.startOffset >= index.range.end);
          const end = close && this.real(close) ? this.tokenRange(close) : index.range;
          target = { kind: 'index', target, index, range: this.span(target.range, end) };
          break;
        }
        case 'member': {
          const name = this.ident(s.el, fallback);
          target = { kind: 'member', target, name, range: this.span(target.range, name.range) };
          break;
        }
        default:
          assertNever(s);
      }
    }
    return target;
  }

  private primary(n: PrimaryCstNode, fallback: SourceRange): AstExpr {
    const num = first(n.children.NumberLiteral);
    if (num) return this.number(num);
    const str = first(n.children.StringLiteral);
    if (str) {
      this.checkClosed(str);
      return { kind: 'string', value: unquote(str.image), range: this.tokenRange(str) };
    }
    const range = this.nodeRange(n, fallback);
    const id = first(n.children.Identifier);
    if (id) return this.ident(id, range);
    const list = first(n.children.list);
    if (list) return { kind: 'list', items: all(list.children.expression).map((e) => this.expr(e, range)), range: this.nodeRange(list, range) };
    const map = first(n.children.map);
    if (map) {
      const entries: MapEntry[] = all(map.children.mapEntry).map((en) => {
        const er = this.nodeRange(en, range);
        const [k, v] = all(en.children.expression);
        return { key: this.expr(k, er), value: this.expr(v, er), range: er };
      });
      return { kind: 'map', entries, range: this.nodeRange(map, range) };
    }
    const inner = first(n.children.expression);
    return { kind: 'paren', inner: this.expr(inner, range), range };
  }

  private number(tok: IToken): AstExpr {
    const range = this.tokenRange(tok);
    const m = /^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([A-Za-z_]*)$/.exec(tok.image);
    const digits = m?.[1] ?? tok.image;
    const unit = m?.[2] ?? '';
    const value = Number(digits);
    if (!Number.isFinite(value)) this.diagnostics.push(makeDiagnostic('SNN1005', range, { text: tok.image }));
    if (unit === '') return { kind: 'number', value, text: tok.image, range };
    if (!isKnownUnit(unit)) {
      const ur = this.lines.range(this.file, range.start + digits.length, range.end);
      this.diagnostics.push(makeDiagnostic('SNN1004', ur, { unit, known: KNOWN_UNITS.join(', ') }));
    }
    return { kind: 'number', value, unit, text: tok.image, range };
  }

  // --- tokens and ranges --------------------------------------------------------------

  private ident(tok: IToken | undefined, fallback: SourceRange): Ident {
    if (!tok || !this.real(tok)) return this.placeholderIdent(fallback);
    return { kind: 'ident', name: tok.image, range: this.tokenRange(tok) };
  }

  /** An unterminated string (already reported by the lexer) leaves its statement unusable. */
  private checkClosed(tok: IToken): void {
    if ((tok as { unterminated?: boolean }).unterminated) this.broken = true;
  }

  private placeholderIdent(fallback: SourceRange): Ident {
    this.broken = true;
    return { kind: 'ident', name: '', range: fallback };
  }

  private real(tok: IToken): boolean {
    if (tok.isInsertedInRecovery || Number.isNaN(tok.startOffset)) {
      this.broken = true;
      return false;
    }
    return true;
  }

  tokenRange(tok: IToken): SourceRange {
    return this.lines.range(this.file, tok.startOffset, tok.startOffset + tok.image.length);
  }

  private startOf(n: CstNode): number {
    const s = n.location?.startOffset;
    return s === undefined || Number.isNaN(s) ? this.textLength : s;
  }

  nodeRange(n: CstNode, fallback?: SourceRange): SourceRange {
    const loc = n.location;
    const start = loc?.startOffset;
    const end = loc?.endOffset;
    if (start === undefined || Number.isNaN(start)) {
      this.broken = true;
      return fallback ?? this.lines.range(this.file, this.textLength, this.textLength);
    }
    const e = end === undefined || Number.isNaN(end) ? start : end + 1;
    return this.lines.range(this.file, start, Math.max(start, e));
  }

  private span(a: SourceRange, b: SourceRange): SourceRange {
    return this.lines.range(this.file, Math.min(a.start, b.start), Math.max(a.end, b.end));
  }
}

/**
 * Whether recovery touched this subtree: a rule it re-synced (which may have skipped tokens,
 * so the subtree can look complete while missing a field) or a token it invented.
 */
function hasRecovery(root: CstNode): boolean {
  const stack: CstNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.recoveredNode) return true;
    for (const list of Object.values(n.children)) {
      for (const el of list) {
        if ('children' in el) stack.push(el);
        else if (el.isInsertedInRecovery || Number.isNaN(el.startOffset)) return true;
      }
    }
  }
  return false;
}

/** The first of a rule's children under one name (absent when recovery cut the rule short). */
function first<T>(list: readonly T[] | undefined): T | undefined {
  return list?.[0];
}

/** All of a rule's children under one name, in text order. */
function all<T>(list: readonly T[] | undefined): readonly T[] {
  return list ?? [];
}

/** The sub-rule nodes of a rule whose children are all sub-rules. */
type ChildNode<C> = { [K in keyof C]-?: NonNullable<C[K]> extends readonly (infer N)[] ? N : never }[keyof C];

/** The one sub-rule node of a rule that chooses between sub-rules (`statement`, `networkItem`). */
function onlyChild<C extends { [K in keyof C]?: readonly CstNode[] }>(children: C): ChildNode<C> | undefined {
  for (const list of Object.values<readonly CstNode[] | undefined>(children)) {
    const first = list?.[0];
    // The grammar gives each key of C exactly the node type ChildNode<C> names.
    if (first) return first as ChildNode<C>;
  }
  return undefined;
}

/** String literals: `\"`, `\\`, `\n` and `\t` escapes. */
export function unquote(image: string): string {
  const body = image.length > 1 && image.endsWith('"') ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
