import { compile, parse, type LayerShapeInfo } from '@snnc/dsl';
import type { Endpoint, ModelItem, NetworkItem, SnnFile, Statement } from '@snnc/dsl';
import { assertNever, type Diagnostic, type Model, type Program, type Shape, type SourceRange } from '@snnc/ir';

/** A name the user defined, for go-to-definition, completion and hovers. */
export interface SymbolDef {
  name: string;
  kind: 'neuron' | 'model' | 'block' | 'result' | 'experiment' | 'sweep' | 'network' | 'input' | 'ensemble' | 'probe' | 'param';
  /** The defining identifier. */
  range: SourceRange;
  /** For names local to a model or network: the offsets of that block (end exclusive). */
  scope?: { start: number; end: number };
  /** For top-level definitions: the offsets of the whole statement (end exclusive). */
  body?: { start: number; end: number };
  /** One line shown in completions and hovers. */
  detail: string;
}

/** One layer of one model instance, with the shapes the compiler inferred. */
export interface LayerInfo {
  start: number;
  end: number;
  /** `csnn` or `csnn(conv: 32)` when experiments instantiate a model with other parameters. */
  instance: string;
  id: string;
  /** The layer as written (`conv2d(32)`), when the IR was not available. */
  label?: string;
  /** Unknown when the file has errors (only the compiler's per-layer output shapes are known). */
  inShape?: Shape;
  outShape: Shape;
}

/** Something the Run button can start. */
export interface RunTarget {
  kind: 'network' | 'experiment';
  name: string;
}

export interface Analysis {
  version: number;
  file: string;
  diagnostics: Diagnostic[];
  /** Present iff the file compiled without errors. */
  program?: Program;
  symbols: SymbolDef[];
  layers: LayerInfo[];
  targets: RunTarget[];
  /** Time spent compiling, milliseconds. */
  ms: number;
}

/** Reads other `.snn` files for `use "..."`; paths are as the compiler asks for them. */
export type FileReader = (path: string) => string | undefined;

/**
 * Memory a run in the page may use, bytes: training and NEF runs live in a wasm32 heap (it
 * addresses 4 GiB) beside the tab's own; the compiler refuses what cannot fit (SNN4400/SNN5400).
 */
export const BROWSER_MEMORY_BYTES = 4 * 2 ** 30;

/** Compiles a document and collects everything the editor features need from it. */
export function analyze(text: string, file: string, version: number, readFile: FileReader): Analysis {
  const t0 = performance.now();
  // The compiler resolves `use` paths against `file` itself and asks for the resolved path.
  const compiled = compile(text, { file, readFile, memoryBytes: BROWSER_MEMORY_BYTES });
  const ms = performance.now() - t0;
  // The symbol table comes from the syntax tree, so it survives type errors elsewhere.
  const ast = compiled.ast ?? parse(text, { file }).ast;
  const program = compiled.ir;
  const symbols = ast ? symbolsOf(ast) : [];
  const result: Analysis = {
    version,
    file,
    diagnostics: compiled.diagnostics,
    symbols,
    layers: program ? layersOf(program, file) : partialLayers(compiled.layerShapes, file),
    targets: program ? targetsOf(program) : [],
    ms,
  };
  if (program) result.program = program;
  return result;
}

export function symbolsOf(ast: SnnFile): SymbolDef[] {
  const out: SymbolDef[] = [];
  for (const s of ast.statements) statementSymbols(s, out);
  return out;
}

function statementSymbols(s: Statement, out: SymbolDef[]): void {
  switch (s.kind) {
    case 'use':
      return;
    case 'neuron':
      out.push({ name: s.name.name, kind: 'neuron', range: s.name.range, body: bodyOf(s), detail: `neuron ${s.name.name}` });
      return;
    case 'model': {
      const scope = bodyOf(s);
      out.push({ name: s.name.name, kind: 'model', range: s.name.range, body: scope, detail: `model ${s.name.name}(${s.params.map((p) => p.name.name).join(', ')})` });
      for (const p of s.params) out.push({ name: p.name.name, kind: 'param', range: p.name.range, scope, detail: `parameter of model ${s.name.name}` });
      resultSymbols(s.items, scope, `model ${s.name.name}`, out);
      return;
    }
    case 'block': {
      const scope = bodyOf(s);
      out.push({ name: s.name.name, kind: 'block', range: s.name.range, body: scope, detail: `block ${s.name.name}(${s.params.map((p) => p.name.name).join(', ')})` });
      for (const p of s.params) out.push({ name: p.name.name, kind: 'param', range: p.name.range, scope, detail: `parameter of block ${s.name.name}` });
      resultSymbols(s.items, scope, `block ${s.name.name}`, out);
      return;
    }
    case 'experiment':
      out.push({ name: s.name.name, kind: 'experiment', range: s.name.range, body: bodyOf(s), detail: s.base ? `experiment ${s.name.name} from ${s.base.name}` : `experiment ${s.name.name}` });
      return;
    case 'sweep':
      out.push({ name: s.name.name, kind: 'sweep', range: s.name.range, body: bodyOf(s), detail: `sweep ${s.name.name} from ${s.base.name}` });
      return;
    case 'network': {
      const scope = bodyOf(s);
      out.push({ name: s.name.name, kind: 'network', range: s.name.range, body: scope, detail: `network ${s.name.name}` });
      for (const p of s.params) out.push({ name: p.name.name, kind: 'param', range: p.name.range, scope, detail: `parameter of network ${s.name.name}` });
      for (const item of s.items) networkItemSymbol(item, scope, out);
      return;
    }
    default:
      assertNever(s);
  }
}

/** `h = ...` in a model or block body: a name later chains and merges read. */
function resultSymbols(items: readonly ModelItem[], scope: { start: number; end: number }, owner: string, out: SymbolDef[]): void {
  for (const item of items) if (item.kind === 'chain' && item.name) out.push({ name: item.name.name, kind: 'result', range: item.name.range, scope, detail: `result of ${owner}` });
}

function bodyOf(s: Statement): { start: number; end: number } {
  return { start: s.range.start, end: s.range.end };
}

function networkItemSymbol(item: NetworkItem, scope: { start: number; end: number }, out: SymbolDef[]): void {
  switch (item.kind) {
    case 'setting':
    case 'connect':
      return;
    case 'input':
      out.push({ name: item.name.name, kind: 'input', range: item.name.range, scope, detail: `input ${item.name.name}` });
      return;
    case 'ensemble':
      out.push({ name: item.name.name, kind: 'ensemble', range: item.name.range, scope, detail: `ensemble ${item.name.name}` });
      return;
    case 'subnetwork':
      out.push({ name: item.name.name, kind: 'network', range: item.name.range, scope, detail: `network instance ${item.name.name}` });
      return;
    case 'probe':
      if (item.name) out.push({ name: item.name.name, kind: 'probe', range: item.name.range, scope, detail: `probe ${item.name.name} of ${endpointText(item.target)}` });
      return;
    default:
      assertNever(item);
  }
}

function endpointText(e: Endpoint): string {
  return e.name.name + e.parts.map((p) => (p.kind === 'attr' ? `.${p.name.name}` : '[...]')).join('');
}

function layersOf(program: Program, file: string): LayerInfo[] {
  const seen = new Set<string>();
  const out: LayerInfo[] = [];
  const add = (m: Model) => {
    const instance = instanceName(m, program);
    for (const l of m.layers) {
      if (!l.range || l.range.file !== file) continue;
      const key = `${l.range.start}:${l.range.end}:${instance}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ start: l.range.start, end: l.range.end, instance, id: l.id, inShape: l.inShape, outShape: l.outShape });
    }
  };
  for (const m of program.models) add(m);
  for (const e of program.experiments) add(e.model);
  return out;
}

/** While the file has errors the IR is missing, but the compiler still reports the shapes it inferred. */
function partialLayers(shapes: readonly LayerShapeInfo[], file: string): LayerInfo[] {
  return shapes
    .filter((s) => s.range.file === file)
    .map((s) => ({ start: s.range.start, end: s.range.end, instance: '', id: s.label, label: s.label, outShape: s.shape }));
}

/** `csnn` for the model's own defaults, `csnn(fc: 256)` for an instance that differs. */
function instanceName(m: Model, program: Program): string {
  const base = program.models.find((d) => d.name === m.name);
  if (!base) return m.name;
  const diffs = Object.entries(m.params).filter(([k, v]) => base.params[k] !== v);
  return diffs.length === 0 ? m.name : `${m.name}(${diffs.map(([k, v]) => `${k}: ${v}`).join(', ')})`;
}

function targetsOf(program: Program): RunTarget[] {
  return [
    ...program.networks.map((n): RunTarget => ({ kind: 'network', name: n.name })),
    ...program.experiments.map((e): RunTarget => ({ kind: 'experiment', name: e.name })),
  ];
}

/** `[32, 14, 14]` */
export function shapeText(s: Shape): string {
  return `[${s.join(', ')}]`;
}
