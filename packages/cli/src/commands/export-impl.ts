import path from 'node:path';
import { closestMatch, hasErrors, isSnncError, makeDiagnostic, syntheticRange, type Diagnostic, type Model } from '@snnc/ir';
import { ExportError, exportModel, writeNir, type ExportTensor, type ExportWarning } from '@snnc/nir';
import { describeFsError, writeFileAtomic } from '@snnc/ir/node';
import { printDiagnostics, type Io } from '../io.js';
import { loadAndCompile } from '../source.js';
import { parseTime } from './trace-neuron.js';

export interface ExportCommandOptions {
  out: string;
  model?: string;
  checkpoint?: string;
  dt?: string;
  strict?: boolean;
}

/** A step of 1 ms when `--dt` is not given: the usual reading of one step of a trained SNN. */
const DEFAULT_DT = 1e-3;

/**
 * Exports one model of a `.snn` file as NIR: compiles it, reads its weights, maps it
 * (`exportModel` in @snnc/nir) and writes the file. Lossy steps are SNN7465 warnings
 * (errors with --strict); what NIR cannot express is SNN7464 at the layer. Returns the exit code.
 */
export async function exportCommand(file: string, opts: ExportCommandOptions, io: Io): Promise<number> {
  const loaded = loadAndCompile(file, io.cwd);
  const sources = (f: string) => loaded.sources.get(f);
  printDiagnostics(io, loaded.diagnostics, sources);
  if (loaded.text === undefined || hasErrors(loaded.diagnostics) || !loaded.result?.ir) return 1;
  const fail = (message: string, code = 2): number => {
    io.stderr.write(`error: ${message}\n`);
    return code;
  };
  if (path.extname(opts.out) !== '.nir') return fail(`--out: expected a .nir file, got \`${opts.out}\``);
  let dt = DEFAULT_DT;
  if (opts.dt !== undefined) {
    const t = parseTime(opts.dt);
    if (t === undefined) return fail(`--dt: expected a positive time such as 1ms or 1e-3s, got \`${opts.dt}\``);
    dt = t;
  }
  const models = loaded.result.ir.models;
  let model: Model | undefined;
  if (opts.model === undefined) {
    if (models.length !== 1) return fail(`${file} defines ${models.length === 0 ? 'no model' : `${models.length} models (${models.map((m) => m.name).join(', ')}); choose one with --model`}`);
    model = models[0]!;
  } else {
    model = models.find((m) => m.name === opts.model);
    if (!model) {
      const close = closestMatch(opts.model, models.map((m) => m.name));
      return fail(`--model: ${file} has no model \`${opts.model}\`${close ? ` (did you mean \`${close}\`?)` : ''}`);
    }
  }
  const at = model.range ?? syntheticRange(file);
  let checkpoint = opts.checkpoint === undefined ? undefined : path.resolve(io.cwd, opts.checkpoint);
  try {
    // An imported .snn names its weights file; it is used when no --checkpoint is given.
    if (checkpoint === undefined) {
      const { declaredWeightsOf } = await import('../declared-weights.js');
      const declared = declaredWeightsOf(model, loaded.sources, io.cwd);
      if (declared && 'error' in declared) return fail(declared.error, 1);
      if (declared) {
        checkpoint = declared.path;
        io.stderr.write(`weights: ${declared.name} (named by ${declared.file})\n`);
      }
    }
    const { modelWeights } = await import('@snnc/runtime/node');
    const list = await modelWeights(model, checkpoint);
    const weights = new Map<string, ExportTensor>(list.map((w) => [w.name, w]));
    let result: ReturnType<typeof exportModel>;
    try {
      result = exportModel(model, weights, { dt });
    } catch (e) {
      if (!(e instanceof ExportError)) throw e;
      const layer = model.layers.find((l) => (l.name ?? l.id) === e.layer);
      printDiagnostics(io, [makeDiagnostic('SNN7464', layer?.range ?? at, { model: model.name, reason: e.message })], sources);
      return 1;
    }
    const warnings: ExportWarning[] = [...(checkpoint === undefined ? [{ message: 'no --checkpoint: the initial (untrained) weights are exported' }] : []), ...result.warnings];
    const diagnostics: Diagnostic[] = warnings.map(({ message, range }) => {
      const d = makeDiagnostic('SNN7465', range ?? at, { model: model.name, message });
      return opts.strict ? { ...d, severity: 'error' } : d;
    });
    printDiagnostics(io, diagnostics, sources);
    if (opts.strict && diagnostics.length > 0) {
      io.stderr.write(`error: --strict: ${diagnostics.length} lossy step(s); nothing written\n`);
      return 1;
    }
    try {
      writeFileAtomic(path.resolve(io.cwd, opts.out), await writeNir(result.graph));
    } catch (e) {
      return fail(`--out: cannot write ${opts.out}: ${describeFsError(e)}`, 1);
    }
    io.stdout.write(`wrote ${opts.out}: model ${model.name} as ${result.graph.nodes.size} NIR nodes and ${result.graph.edges.length} edges (dt ${dt} s), ${warnings.length} warning(s)\n`);
    return 0;
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic(checkpoint ?? file)], sources);
      return 1;
    }
    throw e;
  }
}
