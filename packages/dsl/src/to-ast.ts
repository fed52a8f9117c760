import type { CstElement, CstNode, IToken } from 'chevrotain';
import { makeDiagnostic, type BinaryOp, type Diagnostic, type LineMap, type SourceRange, type UnaryOp } from '@snnc/ir';
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
import { isKnownUnit, KNOWN_UNITS } from './units.js';

/**
 * Builds the typed AST from Chevrotain's CST. Recovery can leave a rule without the
 * children its grammar promises (or with tokens invented at NaN offsets); such statements
 * are marked `broken` and kept, with placeholders, so that their names still resolve.
 */
export class AstBuilder {
  private broken = false;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineMap,
    private readonly textLength: number,
  ) {}

  statements(root: CstNode): Statement[] {
    const out: Statement[] = [];
    for (const s of nodes(root, 'statement')) {
      const inner = firstNode(s);
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

  private statement(n: CstNode): Statement | undefined {
    const range = this.nodeRange(n);
    switch (n.name) {
      case 'useStatement': {
        const tok = token(n, 'StringLiteral');
        if (!tok || !this.real(tok)) return { kind: 'use', path: '', pathRange: range, range, broken: true };
        this.checkClosed(tok);
        return { kind: 'use', path: unquote(tok.image), pathRange: this.tokenRange(tok), range };
      }
      case 'neuronStatement': {
        const name = this.ident(token(n, 'Identifier'), range);
        if (token(n, 'Equals') || !token(n, 'LCurly')) return { kind: 'neuron', name, value: this.expr(node(n, 'expression'), range), range };
        const pl = node(n, 'paramList');
        const items = nodes(n, 'neuronItem').flatMap((m) => {
          const it = this.neuronItem(m);
          return it ? [it] : [];
        });
        return { kind: 'neuron', name, definition: { params: pl ? this.params(pl) : [], items, range }, range };
      }
      case 'modelStatement': {
        const items = nodes(n, 'modelItem').map((m) => this.modelItem(m));
        const pl = node(n, 'paramList');
        return { kind: 'model', name: this.ident(token(n, 'Identifier'), range), params: pl ? this.params(pl) : [], hasParamList: !!pl, items, range };
      }
      case 'blockStatement': {
        const items = nodes(n, 'modelItem').map((m) => this.modelItem(m));
        const pl = node(n, 'blockParamList');
        const params = pl
          ? nodes(pl, 'blockParam').map((p) => {
              const prange = this.nodeRange(p);
              const e = node(p, 'expression');
              const param: BlockParam = { name: this.ident(token(p, 'Name'), prange), range: prange };
              if (e) param.value = this.expr(e, prange);
              return param;
            })
          : [];
        return { kind: 'block', name: this.ident(token(n, 'Identifier'), range), params, hasParamList: !!pl, items, range };
      }
      case 'experimentStatement': {
        const ids = tokens(n, 'Identifier');
        const st: Statement = { kind: 'experiment', name: this.ident(ids[0], range), fields: this.fields(node(n, 'fieldBlock')), range };
        if (ids[1]) st.base = this.ident(ids[1], range);
        else if (token(n, 'From')) this.broken = true;
        return st;
      }
      case 'sweepStatement': {
        const ids = tokens(n, 'Identifier');
        return { kind: 'sweep', name: this.ident(ids[0], range), base: this.ident(ids[1], range), axes: this.fields(node(n, 'fieldBlock')), range };
      }
      case 'networkStatement': {
        const pl = node(n, 'paramList');
        const items = nodes(n, 'networkItem').flatMap((m) => {
          const it = this.networkItem(m);
          return it ? [it] : [];
        });
        return { kind: 'network', name: this.ident(token(n, 'Identifier'), range), params: pl ? this.params(pl) : [], hasParamList: !!pl, items, range };
      }
      default:
        this.broken = true;
        return undefined;
    }
  }

  private params(n: CstNode): Param[] {
    return nodes(n, 'namedValue').map((p) => {
      const range = this.nodeRange(p);
      return { name: this.ident(token(p, 'Name'), range), value: this.expr(node(p, 'expression'), range), range };
    });
  }

  private neuronItem(n: CstNode): NeuronItem | undefined {
    const range = this.nodeRange(n);
    const ids = tokens(n, 'Identifier');
    if (token(n, 'Input')) return { kind: 'input', name: this.ident(ids[0], range), range };
    if (token(n, 'State')) return { kind: 'state', name: this.ident(ids[0], range), init: this.expr(node(n, 'expression'), range), range };
    if (token(n, 'Spike')) {
      const reset = nodes(n, 'neuronAssign').map((a) => this.neuronAssign(a));
      return { kind: 'spike', condition: this.expr(node(n, 'expression'), range), reset, range };
    }
    if (token(n, 'Refractory')) return { kind: 'refractory', value: this.expr(node(n, 'expression'), range), range };
    if (token(n, 'Surrogate')) return { kind: 'surrogate', value: this.expr(node(n, 'expression'), range), range };
    if (token(n, 'Integrate')) return { kind: 'integrate', scheme: this.ident(ids[0], range), range };
    if (token(n, 'Trainable')) return { kind: 'trainable', name: this.ident(ids[0], range), init: this.expr(node(n, 'expression'), range), range };
    if (token(n, 'Dt')) {
      const target = this.ident(ids[0], range);
      // `dv` names the derivative of `v`
      const name = target.name.startsWith('d') ? target.name.slice(1) : '';
      if (name === '' && target.name !== '') {
        this.diagnostics.push(makeDiagnostic('SNN1002', target.range, { message: `expected \`d<state>/dt\` such as \`dv/dt\`, got \`${target.name}/dt\`` }));
        this.broken = true;
      }
      const tr = target.name === '' ? target.range : this.lines.range(this.file, target.range.start + 1, target.range.end);
      return { kind: 'ode', target: { kind: 'ident', name, range: tr }, rhs: this.expr(node(n, 'expression'), range), range };
    }
    const assign = node(n, 'neuronAssign');
    if (!assign) {
      this.broken = true;
      return undefined;
    }
    const a = this.neuronAssign(assign);
    return { kind: 'update', target: a.target, op: a.op, value: a.value, range: a.range };
  }

  private neuronAssign(n: CstNode): NeuronAssign {
    const range = this.nodeRange(n);
    const op = token(n, 'Plus') ? '+=' : token(n, 'Minus') ? '-=' : '=';
    return { target: this.ident(token(n, 'Identifier'), range), op, value: this.expr(node(n, 'expression'), range), range };
  }

  private modelItem(n: CstNode): ModelItem {
    const range = this.nodeRange(n);
    if (token(n, 'Encode')) return { kind: 'encode', value: this.expr(node(n, 'expression'), range), range };
    if (token(n, 'Decode')) return { kind: 'decode', value: this.expr(node(n, 'expression'), range), range };
    const chain = node(n, 'chain');
    if (!chain) {
      this.broken = true;
      return { kind: 'chain', layers: [], range };
    }
    const item: ModelItem = { kind: 'chain', layers: nodes(chain, 'expression').map((e) => this.expr(e, range)), range: this.nodeRange(chain) };
    const name = token(chain, 'Identifier');
    if (name) item.name = this.ident(name, item.range);
    return item;
  }

  private fields(block: CstNode | undefined): Field[] {
    if (!block) {
      this.broken = true;
      return [];
    }
    return nodes(block, 'field').map((f) => {
      const range = this.nodeRange(f);
      const path = tokens(f, 'Name').map((t) => this.ident(t, range));
      return { path, value: this.expr(node(f, 'expression'), range), range };
    });
  }

  private networkItem(n: CstNode): NetworkItem | undefined {
    const inner = firstNode(n);
    if (!inner) {
      this.broken = true;
      return undefined;
    }
    const range = this.nodeRange(inner);
    switch (inner.name) {
      case 'settingItem': {
        const setting = token(inner, 'Dt') ? 'dt' : token(inner, 'Seed') ? 'seed' : 'run';
        return { kind: 'setting', setting, value: this.expr(node(inner, 'expression'), range), range };
      }
      case 'inputItem':
        return { kind: 'input', name: this.ident(token(inner, 'Identifier'), range), value: this.expr(node(inner, 'expression'), range), range };
      case 'ensembleItem':
        return { kind: 'ensemble', name: this.ident(token(inner, 'Identifier'), range), value: this.expr(node(inner, 'expression'), range), range };
      case 'subnetworkItem':
        return { kind: 'subnetwork', name: this.ident(token(inner, 'Identifier'), range), value: this.expr(node(inner, 'expression'), range), range };
      case 'connectItem': {
        const eps = nodes(inner, 'endpoint');
        const al = node(inner, 'argList');
        const nameTok = token(inner, 'Identifier');
        const item: NetworkItem = { kind: 'connect', pre: this.endpoint(eps[0], range), post: this.endpoint(eps[1], range), args: al ? this.args(al) : null, range };
        if (nameTok) item.name = this.ident(nameTok, range);
        return item;
      }
      case 'probeItem': {
        const al = node(inner, 'argList');
        const nameTok = token(inner, 'Identifier');
        const item: NetworkItem = { kind: 'probe', target: this.endpoint(node(inner, 'endpoint'), range), args: al ? this.args(al) : null, range };
        if (nameTok) item.name = this.ident(nameTok, range);
        return item;
      }
      default:
        this.broken = true;
        return undefined;
    }
  }

  private endpoint(n: CstNode | undefined, fallback: SourceRange): Endpoint {
    if (!n) {
      this.broken = true;
      return { name: this.placeholderIdent(fallback), parts: [], range: fallback };
    }
    const range = this.nodeRange(n);
    const parts: EndpointPart[] = [];
    const names = tokens(n, 'Name');
    const dots = tokens(n, 'Dot');
    dots.forEach((d, i) => {
      const nm = this.ident(names[i], range);
      parts.push({ kind: 'attr', name: nm, range: this.span(this.tokenRange(d), nm.range) });
    });
    for (const s of nodes(n, 'slice')) parts.push({ kind: 'slice', spec: this.slice(s), range: this.nodeRange(s) });
    parts.sort((a, b) => a.range.start - b.range.start);
    return { name: this.ident(token(n, 'Identifier'), range), parts, range };
  }

  private slice(n: CstNode): SliceSpec {
    const range = this.nodeRange(n);
    const exprs = nodes(n, 'expression');
    const colon = token(n, 'Colon');
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

  private args(n: CstNode): Arg[] {
    return nodes(n, 'argument').map((a) => {
      const range = this.nodeRange(a);
      const nameTok = token(a, 'Name');
      const arg: Arg = { value: this.expr(node(a, 'expression'), range), range };
      if (nameTok) arg.name = this.ident(nameTok, range);
      return arg;
    });
  }

  // --- expressions ------------------------------------------------------------------

  expr(n: CstNode | undefined, fallback: SourceRange): AstExpr {
    if (!n) {
      this.broken = true;
      return { kind: 'number', value: NaN, text: '', range: fallback };
    }
    if (n.recoveredNode) this.broken = true;
    switch (n.name) {
      case 'expression':
        return this.binaryChain(n, 'conjunction', ['OrOr'], fallback);
      case 'conjunction':
        return this.binaryChain(n, 'comparison', ['AndAnd'], fallback);
      case 'comparison':
        return this.binaryChain(n, 'additive', ['LessEqual', 'GreaterEqual', 'EqEq', 'NotEq', 'Less', 'Greater'], fallback);
      case 'additive':
        return this.binaryChain(n, 'multiplicative', ['Plus', 'Minus'], fallback);
      case 'multiplicative':
        return this.binaryChain(n, 'unary', ['Star', 'Slash', 'Percent'], fallback);
      case 'unary': {
        const inner = node(n, 'unary');
        const op = token(n, 'Minus') ?? token(n, 'Plus') ?? token(n, 'Bang');
        if (op && inner) {
          const arg = this.expr(inner, fallback);
          return { kind: 'unary', op: op.image as UnaryOp, arg, range: this.span(this.tokenRange(op), arg.range) };
        }
        return this.expr(node(n, 'power'), fallback);
      }
      case 'power': {
        const base = this.expr(node(n, 'postfix'), fallback);
        const exp = node(n, 'unary');
        if (!exp) return base;
        const right = this.expr(exp, fallback);
        return { kind: 'binary', op: '^', left: base, right, range: this.span(base.range, right.range) };
      }
      case 'postfix':
        return this.postfix(n, fallback);
      case 'primary':
        return this.primary(n, fallback);
      default:
        throw new Error(`to-ast: expected an expression rule, got ${n.name}`);
    }
  }

  private binaryChain(n: CstNode, operand: string, ops: string[], fallback: SourceRange): AstExpr {
    const operandNodes = nodes(n, operand);
    // Most values are a single operand: skip the operator bookkeeping (hot on large files).
    if (operandNodes.length === 1 && !n.recoveredNode) return this.expr(operandNodes[0], fallback);
    const operands = operandNodes.map((o) => this.expr(o, fallback));
    const opTokens = ops.flatMap((o) => tokens(n, o)).sort((a, b) => a.startOffset - b.startOffset);
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

  private postfix(n: CstNode, fallback: SourceRange): AstExpr {
    let target = this.expr(node(n, 'primary'), fallback);
    if (!n.children['argList'] && !n.children['LBracket'] && !n.children['Name']) return target;
    // Children of one rule are grouped by name; put the suffixes back in text order.
    const suffixes: { start: number; el: CstElement; kind: 'call' | 'index' | 'member' }[] = [];
    for (const a of nodes(n, 'argList')) suffixes.push({ start: this.startOf(a), el: a, kind: 'call' });
    const idx = nodes(n, 'expression');
    tokens(n, 'LBracket').forEach((b, i) => {
      const e = idx[i];
      if (e) suffixes.push({ start: b.startOffset, el: e, kind: 'index' });
    });
    tokens(n, 'Name').forEach((nm) => suffixes.push({ start: nm.startOffset, el: nm, kind: 'member' }));
    suffixes.sort((a, b) => a.start - b.start);
    for (const s of suffixes) {
      switch (s.kind) {
        case 'call': {
          const al = s.el as CstNode;
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
          const index = this.expr(s.el as CstNode, fallback);
          const close = tokens(n, 'RBracket').find((t) => t.startOffset >= index.range.end);
          const end = close && this.real(close) ? this.tokenRange(close) : index.range;
          target = { kind: 'index', target, index, range: this.span(target.range, end) };
          break;
        }
        case 'member': {
          const name = this.ident(s.el as IToken, fallback);
          target = { kind: 'member', target, name, range: this.span(target.range, name.range) };
          break;
        }
        default:
          throw new Error(`to-ast: unexpected postfix ${String(s.kind)}`);
      }
    }
    return target;
  }

  private primary(n: CstNode, fallback: SourceRange): AstExpr {
    const num = token(n, 'NumberLiteral');
    if (num) return this.number(num);
    const str = token(n, 'StringLiteral');
    if (str) {
      this.checkClosed(str);
      return { kind: 'string', value: unquote(str.image), range: this.tokenRange(str) };
    }
    const range = this.nodeRange(n, fallback);
    const id = token(n, 'Identifier');
    if (id) return this.ident(id, range);
    const list = node(n, 'list');
    if (list) return { kind: 'list', items: nodes(list, 'expression').map((e) => this.expr(e, range)), range: this.nodeRange(list, range) };
    const map = node(n, 'map');
    if (map) {
      const entries: MapEntry[] = nodes(map, 'mapEntry').map((en) => {
        const er = this.nodeRange(en, range);
        const [k, v] = nodes(en, 'expression');
        return { key: this.expr(k, er), value: this.expr(v, er), range: er };
      });
      return { kind: 'map', entries, range: this.nodeRange(map, range) };
    }
    const inner = node(n, 'expression');
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

function node(n: CstNode, name: string): CstNode | undefined {
  return n.children[name]?.[0] as CstNode | undefined;
}

function nodes(n: CstNode, name: string): CstNode[] {
  return (n.children[name] as CstNode[] | undefined) ?? [];
}

function token(n: CstNode, name: string): IToken | undefined {
  return n.children[name]?.[0] as IToken | undefined;
}

function tokens(n: CstNode, name: string): IToken[] {
  return (n.children[name] as IToken[] | undefined) ?? [];
}

function firstNode(n: CstNode): CstNode | undefined {
  for (const list of Object.values(n.children)) {
    const first = list[0];
    if (first && 'children' in first) return first;
  }
  return undefined;
}

/** String literals: `\"`, `\\`, `\n` and `\t` escapes. */
export function unquote(image: string): string {
  const body = image.length > 1 && image.endsWith('"') ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
