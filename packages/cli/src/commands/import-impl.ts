import path from 'node:path';
import { compile } from '@snnc/dsl';
import { isSnncError, SnncError, type Diagnostic } from '@snnc/ir';
import { describeFsError, writeFileAtomic } from '@snnc/ir/node';
import { ImportError, planImport, plannedWeights, snncSteps, type NirGraph } from '@snnc/nir';
import { readNirFile } from '@snnc/nir/node';
import { encodeSafetensors, type NamedTensor } from '@snnc/runtime';
import { printDiagnostics, type Io } from '../io.js';
import { parseTime } from './trace-neuron.js';

export interface ImportCommandOptions {
  out?: string;
  dt?: string;
  /** Absent: the steps an snnc export recorded in the file, else {@link DEFAULT_STEPS}. */
  steps?: number;
}

/** NIR's own default when a file records no step: 1 ms (issue 12). */
const DEFAULT_DT = 1e-3;

/** Steps per sample when neither --steps nor the file says: 100 steps of dt (0.1 s at 1 ms). */
const DEFAULT_STEPS = 100;

/** A `.snn` model name from a file name: letters, digits and `_`, not starting with a digit. */
export function modelName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `nir_${base}`;
}

/** The step recorded in a graph's metadata (`dt`, seconds), as snnc export and several simulators write it. */
function metadataDt(g: NirGraph): number | undefined {
  const d = g.metadata.children.get('dt');
  return d?.kind === 'array' && d.array.data.length === 1 && d.array.data[0]! > 0 ? d.array.data[0] : undefined;
}

/**
 * Imports one `.nir` file: reads and validates it, plans the `.snn` model (chains of layers
 * and NIR neurons), checks the planned source with the compiler, and writes the `.snn` and its
 * weights (safetensors, the runtime's weight names). Returns the exit code.
 */
export async function importCommand(file: string, opts: ImportCommandOptions, io: Io): Promise<number> {
  const report = (d: Diagnostic): number => {
    printDiagnostics(io, [d], () => undefined);
    return 1;
  };
  let dtOverride: number | undefined;
  if (opts.dt !== undefined) {
    dtOverride = parseTime(opts.dt);
    if (dtOverride === undefined) {
      io.stderr.write(`error: --dt: expected a positive time such as 0.1ms or 1e-4s, got \`${opts.dt}\`\n`);
      return 2;
    }
  }
  const abs = path.resolve(io.cwd, file);
  // Default: NAME.snn in the working directory (the .nir may sit in a read-only folder).
  const outSnn = path.resolve(io.cwd, opts.out ?? `${path.basename(file).replace(/\.nir$/i, '')}.snn`);
  if (path.extname(outSnn) !== '.snn') {
    io.stderr.write(`error: --out: expected a .snn file, got \`${opts.out}\`\n`);
    return 2;
  }
  const outWeights = outSnn.replace(/\.snn$/, '.safetensors');
  try {
    const nir = await readNirFile(abs, { name: file });
    const dt = dtOverride ?? metadataDt(nir.graph) ?? DEFAULT_DT;
    const model = modelName(outSnn);
    let plan;
    try {
      const steps = opts.steps ?? snncSteps(nir.graph) ?? DEFAULT_STEPS;
      plan = planImport(nir.graph, { model, dt, steps, origin: `${path.basename(file)} (NIR ${nir.version})`, weightsFile: path.basename(outWeights) });
    } catch (e) {
      if (e instanceof ImportError) throw new SnncError('SNN7463', { path: file, where: e.problem.where, reason: e.problem.reason });
      throw e;
    }
    const snnName = path.relative(io.cwd, outSnn) || outSnn;
    const checked = compile(plan.source, { file: snnName });
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    const ir = checked.ir?.models.find((m) => m.name === model);
    if (errors.length > 0 || !ir) {
      // The planner wrote something the compiler refuses: a bug in snnc, shown with the source.
      printDiagnostics(io, errors, () => plan.source);
      io.stderr.write(`error: the .snn planned for ${file} does not compile (please report this with the .nir file)\n`);
      return 1;
    }
    const tensors: NamedTensor[] = plannedWeights(plan, ir.layers);
    const weights = encodeSafetensors(tensors, { producer: 'snnc import', source: path.basename(file), model, dt: String(dt) });
    try {
      writeFileAtomic(outWeights, weights);
      writeFileAtomic(outSnn, plan.source);
    } catch (e) {
      io.stderr.write(`error: cannot write ${snnName}: ${describeFsError(e)}\n`);
      return 1;
    }
    io.stdout.write(`wrote ${snnName} (model ${model}: ${plan.layers.length} layers, dt ${dt} s) and ${path.relative(io.cwd, outWeights) || outWeights} (${tensors.length} tensors)\n`);
    return 0;
  } catch (e) {
    if (isSnncError(e)) return report(e.toDiagnostic(file));
    throw e;
  }
}

