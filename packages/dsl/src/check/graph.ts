import { recurrentGroups, type Layer, type Shape, type SourceRange } from '@snnc/ir';
import type { AstExpr, BlockStatement, CallExpr, ModelItem } from '../ast.js';
import { asCall, bindArgs } from './args.js';
import { describeValue, unwrapParens } from './describe.js';
import { resolveLayer, type LayerSpec, type ModelEnvCtx } from './layers.js';
import { readNumber } from './read.js';
import { inferShape, shapeText } from './shapes.js';

/**
 * A model body as a graph. Each chain continues from the previous chain's result (so the old
 * one-chain models mean what they did), or starts from a named result (`h -> dense(10)`, `x`
 * = the input of the model or block) or from a merge of names (`add(x, h)`). `h = chain`
 * names a chain's result. A name may be used before the chain that defines it (a recurrent
 * edge); every loop must then pass a `delay`. Blocks are inlined with their arguments.
 */

/** The name of the input of a model or a block, as PyTorch's `forward(self, x)`. */
export const INPUT_NAME = 'x';

export const MERGES = ['add', 'concat', 'iand'] as const;
type MergeKind = (typeof MERGES)[number];

/** A reference to a result: a node index, the model input, or a name used before it is defined. */
type Ref = number | typeof MODEL_IN | Forward;
const MODEL_IN = -1;
interface Forward {
  name: string;
  range: SourceRange;
  names: Map<string, Ref>;
}

interface Node {
  spec: LayerSpec;
  label: string;
  id: string;
  inputs: Ref[];
  /** The model-level name of this result, for traces. */
  name?: string;
  /** The name (`h = ...`, in a model or a block) messages call this result by. */
  display?: string;
}

interface Frame {
  ctx: ModelEnvCtx;
  names: Map<string, Ref>;
  /** Names a later chain of this body defines: a use before then is a recurrent edge. */
  later: Set<string>;
  /** Blocks being inlined, outermost first (to report a block that uses itself). */
  blocks: string[];
  /** The block this body belongs to, or undefined for the model. */
  block?: string;
}

export interface GraphResult {
  layers: Layer[];
  output?: string;
  /** Per node, for hovers. */
  shapes: { range: SourceRange; shape: Shape; label: string }[];
  /** The decoded node's label and range, for messages. */
  outputLabel: string;
}

export class ModelGraph {
  private readonly nodes: Node[] = [];
  private readonly counters = new Map<string, number>();
  private ok = true;

  constructor(
    private readonly input: Shape,
    private readonly modelName: { name: string; range: SourceRange },
  ) {}

  /** Runs a model body; returns undefined after reporting. */
  build(items: readonly ModelItem[], ctx: ModelEnvCtx): GraphResult | undefined {
    const out = this.body(items, { ctx, names: new Map([[INPUT_NAME, MODEL_IN]]), later: new Set(), blocks: [] }, MODEL_IN);
    if (!this.ok || out === undefined) return undefined;
    const sink = ctx.sink;
    // A name that only renames itself (`a = b  b = a`) names no layer: a loop without a delay.
    const resolveOrReport = (r: Ref): number | undefined => {
      const i = this.resolve(r);
      if (i === undefined && typeof r !== 'number') sink.report('SNN4202', r.range, { cycle: `\`${r.name}\`` });
      return i;
    };
    const inputs = this.nodes.map((n) => n.inputs.map(resolveOrReport));
    if (inputs.some((ins) => ins.some((r) => r === undefined))) return undefined;
    const edges = inputs as number[][];
    const outIndex = resolveOrReport(out);
    if (outIndex === undefined) return undefined;
    if (outIndex === MODEL_IN) {
      sink.report('SNN4005', this.modelName.range, { model: this.modelName.name });
      return undefined;
    }

    // Loops must pass a delay: look for cycles once the edges into delays are cut.
    const cut = { layers: this.nodes.map((n, i) => ({ id: String(i), inputs: n.spec.kind === 'delay' ? [] : edges[i]!.filter((j) => j !== MODEL_IN).map(String) })) };
    const loops = recurrentGroups(cut);
    for (const loop of loops) {
      const members = loop.map(Number);
      const first = this.nodes[members[0]!]!;
      sink.report('SNN4202', first.spec.range!, { cycle: members.map((i) => this.describe(i)).join(', ') });
    }
    if (loops.length > 0) return undefined;

    const shapes = this.inferShapes(edges, ctx);
    if (shapes === undefined) return undefined;

    // Execution order: topological over the cut edges, ties in source order.
    const order = topoOrder(cut.layers.map((l) => l.inputs.map(Number)));
    const layers: Layer[] = [];
    const result: GraphResult = { layers, shapes: [], outputLabel: this.nodes[outIndex]!.label };
    order.forEach((i, pos) => {
      const n = this.nodes[i]!;
      const ids = edges[i]!.map((j) => (j === MODEL_IN ? 'input' : this.nodes[j]!.id));
      const chainInput = pos === 0 ? 'input' : this.nodes[order[pos - 1]!]!.id;
      const first = edges[i]![0]!;
      const layer = { ...n.spec, id: n.id, inShape: first === MODEL_IN ? this.input : shapes[first]!, outShape: shapes[i]! } as Layer;
      if (!(ids.length === 1 && ids[0] === chainInput)) layer.inputs = ids;
      if (n.name !== undefined) layer.name = n.name;
      layers.push(layer);
      result.shapes.push({ range: n.spec.range!, shape: shapes[i]!, label: n.label });
    });
    if (order[order.length - 1] !== outIndex) result.output = this.nodes[outIndex]!.id;
    return result;
  }

  /** The items of a model or block body applied to `start`; returns the last chain's result. */
  private body(items: readonly ModelItem[], frame: Frame, start: Ref): Ref | undefined {
    for (const item of items) if (item.kind === 'chain' && item.name) frame.later.add(item.name.name);
    let current: Ref = start;
    for (const item of items) {
      if (item.kind !== 'chain') {
        if (frame.block !== undefined) {
          frame.ctx.sink.report('SNN2201', item.range, { what: item.kind, block: frame.block });
          this.ok = false;
        }
        continue;
      }
      const v = this.chain(item.layers, frame, current);
      if (v === undefined) {
        this.ok = false;
        return undefined;
      }
      if (item.name) {
        const name = item.name.name;
        if (frame.names.has(name)) {
          frame.ctx.sink.report('SNN2002', item.name.range, { what: 'result', name });
          this.ok = false;
        }
        frame.names.set(name, v);
        if (typeof v === 'number' && v !== MODEL_IN) {
          const node = this.nodes[v]!;
          node.display ??= name;
          if (frame.block === undefined) node.name ??= name;
        }
      }
      current = v;
    }
    return current;
  }

  private chain(elements: readonly AstExpr[], frame: Frame, current: Ref): Ref | undefined {
    let v: Ref = current;
    for (let k = 0; k < elements.length; k++) {
      const e = elements[k]!;
      const bare = unwrapParens(e);
      if (k === 0 && bare.kind === 'ident' && this.isResultName(bare.name, frame)) {
        const r = this.lookup(bare.name, bare.range, frame);
        if (r === undefined) return undefined;
        v = r;
        continue;
      }
      const call = asCall(e);
      const callee = call?.callee.name;
      if (call && (MERGES as readonly string[]).includes(callee!) && !frame.ctx.scope.get(callee!, 'neuron')) {
        const operands = this.mergeOperands(call, frame);
        if (operands === undefined) return undefined;
        const all = k === 0 && operands.length >= 2 ? operands : [v, ...operands];
        const merge = callee as MergeKind;
        const need = merge === 'iand' ? [2, 2] : [2, Infinity];
        if (all.length < need[0]! || all.length > need[1]!) {
          frame.ctx.sink.report('SNN3201', call.range, { merge, expected: merge === 'iand' ? 'exactly 2' : 'at least 2', actual: all.length });
          return undefined;
        }
        v = this.add({ kind: merge, range: call.range } as LayerSpec, merge, all);
        continue;
      }
      const block = call ? frame.ctx.scope.get(callee!, 'block') : undefined;
      if (call && block) {
        const r = this.instantiate(block, call, frame, v);
        if (r === undefined) return undefined;
        v = r;
        continue;
      }
      const layer = resolveLayer(e, frame.ctx);
      if (!layer) return undefined;
      v = this.add(layer.spec, layer.label, [v]);
    }
    return v;
  }

  /** `h` (\`LIF\`) for a named result, else its label. */
  private describe(i: number): string {
    const n = this.nodes[i]!;
    return n.display !== undefined ? `\`${n.display}\` (\`${n.label}\`)` : `\`${n.label}\``;
  }

  private isResultName(name: string, frame: Frame): boolean {
    return frame.names.has(name) || frame.later.has(name);
  }

  private lookup(name: string, range: SourceRange, frame: Frame): Ref | undefined {
    const r = frame.names.get(name);
    if (r !== undefined) return r;
    if (frame.later.has(name)) return { name, range, names: frame.names };
    frame.ctx.sink.report('SNN2001', range, { what: 'result', name });
    return undefined;
  }

  private mergeOperands(call: CallExpr, frame: Frame): Ref[] | undefined {
    const out: Ref[] = [];
    for (const a of call.args) {
      const e = unwrapParens(a.value);
      if (a.name || e.kind !== 'ident') {
        frame.ctx.sink.report('SNN3200', a.range, { merge: call.callee.name, actual: a.name ? `a named argument \`${a.name.name}:\`` : describeValue(a.value) });
        return undefined;
      }
      const r = this.lookup(e.name, e.range, frame);
      if (r === undefined) return undefined;
      out.push(r);
    }
    return out;
  }

  /** Inlines `block` applied to `input` with the call's arguments. */
  private instantiate(block: BlockStatement, call: CallExpr, frame: Frame, input: Ref): Ref | undefined {
    const sink = frame.ctx.sink;
    const name = block.name.name;
    if (block.broken) return undefined;
    if (frame.blocks.includes(name)) {
      sink.report('SNN2200', call.callee.range, { name, cycle: [...frame.blocks.slice(frame.blocks.indexOf(name)), name].join(' -> ') });
      return undefined;
    }
    const params = block.params.map((p) => p.name.name);
    const before = sink.errorCount;
    const args = bindArgs(call.args, { owner: `block \`${name}\``, positional: params, named: [], required: block.params.filter((p) => !p.value).map((p) => p.name.name) }, call.range, sink);
    if (sink.errorCount !== before) return undefined;
    const names = new Map(frame.ctx.env.names);
    for (const p of block.params) {
      const a = args.get(p.name.name);
      // An argument reads the caller's names; a default reads the block's earlier parameters.
      const value = a ? readNumber(a.value, p.name.name, {}, frame.ctx) : readNumber(p.value!, p.name.name, {}, { ...frame.ctx, env: { names, what: `parameter of block \`${name}\`` } });
      if (value === undefined) return undefined;
      names.set(p.name.name, value);
    }
    const ctx: ModelEnvCtx = { ...frame.ctx, env: { names, what: `parameter of block \`${name}\`` } };
    return this.body(block.items, { ctx, names: new Map([[INPUT_NAME, input]]), later: new Set(), blocks: [...frame.blocks, name], block: name }, input);
  }

  private add(spec: LayerSpec, label: string, inputs: Ref[]): number {
    const n = this.counters.get(spec.kind) ?? 0;
    this.counters.set(spec.kind, n + 1);
    this.nodes.push({ spec, label, id: `${spec.kind}_${n}`, inputs });
    return this.nodes.length - 1;
  }

  private resolve(r: Ref, depth = 0): number | undefined {
    if (typeof r === 'number') return r;
    const target = r.names.get(r.name);
    // `a = b  b = a` names nothing; the guard keeps such an alias loop finite.
    if (target === undefined || depth > this.nodes.length + 8) return undefined;
    return this.resolve(target, depth + 1);
  }

  /** Shapes to a fixed point: a node's shape once its first input's is known (all, for concat). */
  private inferShapes(edges: number[][], ctx: ModelEnvCtx): Shape[] | undefined {
    const sink = ctx.sink;
    const shapes: (Shape | undefined)[] = this.nodes.map(() => undefined);
    const failed = new Set<number>();
    const shapeOf = (j: number) => (j === MODEL_IN ? this.input : shapes[j]);
    const labelOf = (j: number) => (j === MODEL_IN ? 'the input' : this.describe(j));
    let progress = true;
    while (progress) {
      progress = false;
      this.nodes.forEach((n, i) => {
        if (shapes[i] !== undefined || failed.has(i)) return;
        const ins = edges[i]!;
        if (ins.some((j) => j !== MODEL_IN && failed.has(j))) {
          failed.add(i);
          progress = true;
          return;
        }
        const kind = n.spec.kind;
        let out: Shape | undefined;
        if (kind === 'add' || kind === 'iand') {
          const known = ins.find((j) => shapeOf(j) !== undefined);
          if (known === undefined) return;
          out = shapeOf(known);
        } else if (kind === 'concat') {
          if (ins.some((j) => shapeOf(j) === undefined)) return;
          out = this.concatShape(n, ins, shapeOf, labelOf, ctx);
        } else {
          const s = shapeOf(ins[0]!);
          if (s === undefined) return;
          out = inferShape(n.spec, n.label, s, ins[0] === MODEL_IN ? 'the input' : this.nodes[ins[0]!]!.label, sink);
        }
        progress = true;
        if (out === undefined) failed.add(i);
        else shapes[i] = out;
      });
    }
    let ok = failed.size === 0;
    this.nodes.forEach((n, i) => {
      if (shapes[i] === undefined && !failed.has(i)) {
        sink.report('SNN4203', n.spec.range!, { layer: `\`${n.label}\`` });
        ok = false;
      }
    });
    if (!ok) return undefined;
    // Same-shape merges: every input against the first.
    this.nodes.forEach((n, i) => {
      if (n.spec.kind !== 'add' && n.spec.kind !== 'iand') return;
      const ins = edges[i]!;
      const a = shapeOf(ins[0]!)!;
      for (const j of ins.slice(1)) {
        const b = shapeOf(j)!;
        if (shapeText(a) !== shapeText(b)) {
          sink.report('SNN4200', n.spec.range!, { merge: n.spec.kind, left: labelOf(ins[0]!), a: shapeText(a), right: labelOf(j), b: shapeText(b) });
          ok = false;
        }
      }
    });
    return ok ? (shapes as Shape[]) : undefined;
  }

  private concatShape(n: Node, ins: number[], shapeOf: (j: number) => Shape | undefined, labelOf: (j: number) => string, ctx: ModelEnvCtx): Shape | undefined {
    const a = shapeOf(ins[0]!)!;
    let channels = a[0]!;
    for (const j of ins.slice(1)) {
      const b = shapeOf(j)!;
      if (b.length !== a.length || b.some((d, k) => k > 0 && d !== a[k])) {
        ctx.sink.report('SNN4201', n.spec.range!, { left: labelOf(ins[0]!), a: shapeText(a), right: labelOf(j), b: shapeText(b) });
        return undefined;
      }
      channels += b[0]!;
    }
    return [channels, ...a.slice(1)];
  }
}

/** Kahn's algorithm over `deps` (node -> its inputs), smallest index first among the ready. */
function topoOrder(deps: readonly number[][]): number[] {
  const remaining = deps.map((d) => new Set(d).size);
  const readers: number[][] = deps.map(() => []);
  deps.forEach((d, i) => new Set(d).forEach((j) => readers[j]!.push(i)));
  const ready = remaining.flatMap((r, i) => (r === 0 ? [i] : []));
  const out: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => b - a);
    const u = ready.pop()!;
    out.push(u);
    for (const r of readers[u]!) if (--remaining[r]! === 0) ready.push(r);
  }
  return out;
}
