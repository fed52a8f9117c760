/**
 * A `.nir` file opened in the editor: its graph as the `.snn` model `snnc import` would write
 * (the same planner, @snnc/nir), and the file's weights as the same named tensors `snnc import`
 * writes to its `.safetensors` file, which the Training tab loads instead of a fresh
 * initialisation when an experiment runs that model. The planner, the compiler's layer naming
 * and HDF5 (h5wasm) load only when a `.nir` file is opened, so they cost nothing at start-up.
 */

/** NIR's step when a file records none: 1 ms. */
const DEFAULT_DT = 1e-3;

/** Steps per sample when the file records none (as `snnc import`): 100 steps of dt. */
const DEFAULT_STEPS = 100;

/** One weight tensor under its runtime name (`dense_0/kernel`, [in, out]), float32 row-major. */
export interface FileTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The weights a `.nir` file carried, for runs of the model imported from it. */
export interface FileWeights {
  /** The `.nir` file they came from, as opened (`braille.nir`). */
  source: string;
  /** The imported model they belong to. */
  model: string;
  tensors: FileTensor[];
}

export interface NirDocument {
  name: string;
  text: string;
  weights: FileWeights;
}

export async function nirToSnn(bytes: Uint8Array, name: string): Promise<NirDocument> {
  const [{ readNir, planImport, plannedWeights, snncSteps, ImportError }, { compile }] = await Promise.all([import('@snnc/nir'), import('@snnc/dsl')]);
  const { graph, version } = await readNir(bytes, name);
  const dt = graph.metadata.children.get('dt');
  const step = dt?.kind === 'array' && dt.array.data.length === 1 && dt.array.data[0]! > 0 ? dt.array.data[0]! : DEFAULT_DT;
  const base = name.replace(/\.nir$/i, '');
  const model = /^[A-Za-z_]/.test(base) ? base.replace(/[^A-Za-z0-9_]/g, '_') : `nir_${base.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const file = `${base}.snn`;
  let plan;
  try {
    plan = planImport(graph, { model, dt: step, steps: snncSteps(graph) ?? DEFAULT_STEPS, origin: `${name} (NIR ${version}); the editor runs it with the file's weights` });
  } catch (e) {
    if (e instanceof ImportError) throw new Error(`cannot import ${name}: ${e.message}`);
    throw e;
  }
  // The weights are named after the compiled layers, as `snnc import` names them.
  const ir = compile(plan.source, { file }).ir?.models.find((m) => m.name === model);
  if (!ir) throw new Error(`cannot import ${name}: the .snn planned for it does not compile (please report this with the .nir file)`);
  return { name: file, text: plan.source, weights: { source: name, model, tensors: plannedWeights(plan, ir.layers) } };
}
