import { didYouMean, IR_VERSION, type Experiment, type NeuronDef, type Program } from '@snnc/ir';
import type { CallExpr, ExperimentStatement, NeuronDefinition, NeuronStatement, SnnFile, Statement } from './ast.js';
import { asCall } from './check/args.js';
import { checkNeuronDefinition, instantiateNeuron, type CheckedNeuron } from './check/neuron-defs.js';
import { STDLIB_FILE } from './stdlib/index.js';
import { describeValue } from './check/describe.js';
import { EMPTY_ENV } from './check/evaluate.js';
import { applyField, resolveExperiment, type ExperimentDeps, type FieldMap } from './check/experiments.js';
import { instantiateModel, type LayerShapeInfo } from './check/models.js';
import type { DataReader } from './check/matrices.js';
import { resolveNetwork } from './check/network.js';
import { isNeuronKeyword, NEURON_KINDS, resolveNeuron } from './check/neurons.js';
import { Scope } from './check/scope.js';
import { Sink } from './check/sink.js';
import { expandSweep } from './check/sweeps.js';

export interface LowerResult {
  program: Program;
  /** Inferred output shape of every layer of the compiled file's models, for editor hovers. */
  layerShapes: LayerShapeInfo[];
}

/**
 * Checks every definition of every loaded file and lowers the compiled file's own
 * definitions to IR (imported definitions appear inside what uses them). `files` are in load
 * order, imports first; the compiled file is `main`. Statements that syntax recovery patched
 * (`broken`) are skipped, and so is anything that refers to them.
 */
export function lowerProgram(files: readonly SnnFile[], main: SnnFile, imports: string[], sink: Sink, data: DataReader = {}): LowerResult {
  return new Lowering(files, sink, data).run(main, imports);
}

/** One compilation's definitions, resolved on demand and cached, so each is checked once. */
class Lowering {
  private readonly scope: Scope;
  private readonly deps: ExperimentDeps;
  private readonly neurons = new Map<NeuronStatement, NeuronDef | undefined>();
  private readonly definitions = new Map<NeuronStatement, CheckedNeuron | undefined>();
  private readonly usedNeurons = new Set<NeuronStatement>();
  private readonly fields = new Map<ExperimentStatement, FieldMap | undefined>();
  private readonly experiments = new Map<ExperimentStatement, Experiment | undefined>();

  constructor(
    private readonly files: readonly SnnFile[],
    private readonly sink: Sink,
    /** Reads the data files networks name (`load("w.npy")`). */
    private readonly data: DataReader,
  ) {
    this.scope = new Scope(files, sink);
    this.deps = {
      scope: this.scope,
      sink,
      neuron: (name, call) => {
        const d = this.scope.get(name, 'neuron');
        if (!d) return 'unknown';
        this.usedNeurons.add(d);
        if (d.definition) return this.instance(d as NeuronStatement & { definition: NeuronDefinition }, call, name, call?.range ?? d.name.range);
        return this.neuron(d);
      },
    };
  }

  run(main: SnnFile, imports: string[]): LowerResult {
    const program: Program = { irVersion: IR_VERSION, file: main.file, imports, neurons: [], models: [], experiments: [], sweeps: [], networks: [] };
    const layerShapes: LayerShapeInfo[] = [];
    for (const file of this.files) {
      // The standard library is checked by its own tests; its definitions are checked here only when used.
      if (file.file === STDLIB_FILE && file !== main) continue;
      for (const st of file.statements) if (!st.broken) this.statement(st, file === main ? program : undefined, file === main ? layerShapes : undefined);
    }
    this.reportUnusedNeurons(main);
    return { program, layerShapes };
  }

  /** Checks one statement; adds it to `program` when it belongs to the compiled file. */
  private statement(st: Statement, program: Program | undefined, layerShapes: LayerShapeInfo[] | undefined): void {
    switch (st.kind) {
      case 'use':
        return;
      case 'neuron': {
        const n = this.neuron(st);
        if (n) program?.neurons.push(n);
        return;
      }
      case 'model': {
        const m = instantiateModel(st, new Map(), this.deps, layerShapes);
        if (m) program?.models.push(m);
        return;
      }
      case 'experiment': {
        const e = this.experiment(st);
        if (e) program?.experiments.push(e);
        return;
      }
      case 'sweep': {
        const base = this.scope.require(st.base, 'experiment', this.sink);
        // A base with errors has reported them; its sweep would only repeat them per point.
        if (!base || base.broken || !this.experiment(base)) return;
        const s = expandSweep(st, this.fieldsOf(base, [])!, this.deps);
        if (s) program?.sweeps.push(s);
        return;
      }
      case 'block': // checked where a model uses it, with that use's arguments
        return;
      case 'network': {
        const n = resolveNetwork(st, this.sink, this.data, (name) => {
          const d = this.scope.get(name, 'neuron');
          if (!d?.definition) return undefined;
          this.usedNeurons.add(d);
          return this.definition(d as NeuronStatement & { definition: NeuronDefinition });
        }, (name) => this.scope.get(name, 'network'));
        if (n) program?.networks.push(n);
        return;
      }
      default:
        st satisfies never;
    }
  }

  private neuron(decl: NeuronStatement): NeuronDef | undefined {
    if (!this.neurons.has(decl)) this.neurons.set(decl, decl.broken ? undefined : this.lowerNeuron(decl));
    return this.neurons.get(decl);
  }

  /** A definition's checks run once, however many layers instantiate it. */
  private definition(decl: NeuronStatement & { definition: NeuronDefinition }): CheckedNeuron | undefined {
    if (!this.definitions.has(decl)) this.definitions.set(decl, decl.broken ? undefined : checkNeuronDefinition(decl, this.sink));
    return this.definitions.get(decl);
  }

  private instance(decl: NeuronStatement & { definition: NeuronDefinition }, call: CallExpr | undefined, name: string, range: NeuronStatement['range']): NeuronDef | undefined {
    const def = this.definition(decl);
    return def && instantiateNeuron(def, call, name, range, { sink: this.sink, env: EMPTY_ENV });
  }

  /** `neuron NAME = LIF(...)` (built-in), `neuron NAME = Izhikevich(...)` (a definition), or a definition itself (its defaults). */
  private lowerNeuron(decl: NeuronStatement): NeuronDef | undefined {
    if (decl.definition) return this.instance(decl as NeuronStatement & { definition: NeuronDefinition }, undefined, decl.name.name, decl.range);
    const value = decl.value!;
    const call = asCall(value);
    if (call && !isNeuronKeyword(call.callee.name)) {
      const target = this.scope.get(call.callee.name, 'neuron');
      if (target?.definition) {
        this.usedNeurons.add(target);
        return this.instance(target as NeuronStatement & { definition: NeuronDefinition }, call, decl.name.name, decl.range);
      }
    }
    return lowerBuiltinNeuron(decl, value, this.scope.names(['neuron']).filter((n) => this.scope.get(n, 'neuron')?.definition), this.sink);
  }

  private experiment(decl: ExperimentStatement): Experiment | undefined {
    if (this.experiments.has(decl)) return this.experiments.get(decl);
    const fields = this.fieldsOf(decl, []);
    // Inherited fields point into the base experiment: note which experiment was being checked.
    const local = new Sink();
    const e = fields && resolveExperiment(decl.name.name, decl.name.range, fields, decl.range, { ...this.deps, sink: local });
    for (const d of local.diagnostics) {
      const inside = d.range.file === decl.range.file && d.range.start >= decl.range.start && d.range.end <= decl.range.end;
      if (!inside) d.related = [...(d.related ?? []), { message: `while checking experiment \`${decl.name.name}\``, range: decl.name.range }];
      this.sink.add(d);
    }
    this.experiments.set(decl, e);
    return e;
  }

  /** The experiment's fields after inheritance (`from`), or undefined after reporting. */
  private fieldsOf(decl: ExperimentStatement, stack: ExperimentStatement[]): FieldMap | undefined {
    if (this.fields.has(decl)) return this.fields.get(decl);
    if (decl.broken) return undefined;
    const result = this.computeFields(decl, stack);
    this.fields.set(decl, result);
    return result;
  }

  private computeFields(decl: ExperimentStatement, stack: ExperimentStatement[]): FieldMap | undefined {
    let map: FieldMap = new Map();
    if (decl.base) {
      const base = this.scope.require(decl.base, 'experiment', this.sink);
      if (!base) return undefined;
      if (base === decl || stack.includes(base)) {
        const cycle = [...stack, decl, base].map((d) => d.name.name).join(' -> ');
        this.sink.report('SNN6006', decl.base.range, { name: decl.name.name, cycle });
        return undefined;
      }
      const inherited = this.fieldsOf(base, [...stack, decl]);
      if (!inherited) return undefined;
      map = new Map([...inherited].map(([k, v]) => [k, { ...v, overrides: new Map(v.overrides) }]));
    }
    let ok = true;
    const given = new Set<string>();
    for (const f of decl.fields) {
      const path = f.path.map((p) => p.name).join('.');
      if (given.has(path)) {
        this.sink.report('SNN2005', f.path[0]!.range, { name: path });
        ok = false;
        continue;
      }
      given.add(path);
      if (!applyField(map, f.path, f.value, f.range, this.sink, decl.name.name)) ok = false;
    }
    return ok ? map : undefined;
  }

  /**
   * A neuron that no model uses is usually a misspelt layer name elsewhere. Only a file that
   * has models is checked: a file of neurons alone is a library for others to import.
   */
  private reportUnusedNeurons(main: SnnFile): void {
    if (!main.statements.some((st) => st.kind === 'model')) return;
    for (const st of main.statements) {
      if (st.kind === 'neuron' && !st.broken && !this.usedNeurons.has(st) && this.scope.get(st.name.name, 'neuron') === st) {
        this.sink.report('SNN2009', st.name.range, { what: 'neuron', name: st.name.name });
      }
    }
  }
}

function lowerBuiltinNeuron(decl: NeuronStatement, value: NonNullable<NeuronStatement['value']>, definitions: string[], sink: Sink): NeuronDef | undefined {
  const call = asCall(value);
  const kinds = [...new Set([...Object.keys(NEURON_KINDS), ...definitions])];
  if (!call || !isNeuronKeyword(call.callee.name)) {
    const at = call ? call.callee.range : value.range;
    sink.report('SNN3003', at, { name: 'neuron', choices: kinds.map((k) => `\`${k}\``).join(', '), value: call ? call.callee.name : describeValue(value) }, call ? didYouMean(call.callee.name, kinds) : undefined);
    return undefined;
  }
  return resolveNeuron(call, call.callee.name, decl.name.name, decl.range, { sink, env: EMPTY_ENV });
}
