/**
 * A `.nir` file opened in the editor: its graph as the `.snn` model `snnc import` would write
 * (the same planner, @snnc/nir). The planner and HDF5 (h5wasm) load only when a `.nir` file is
 * opened, so they cost nothing at start-up. The editor trains from its own initialisation: the
 * file's weights are not carried over (`snnc import` writes them to a .safetensors file).
 */

/** NIR's step when a file records none: 1 ms. */
const DEFAULT_DT = 1e-3;

export async function nirToSnn(bytes: Uint8Array, name: string): Promise<{ name: string; text: string }> {
  const { readNir, planImport, ImportError } = await import('@snnc/nir');
  const { graph, version } = await readNir(bytes, name);
  const dt = graph.metadata.children.get('dt');
  const step = dt?.kind === 'array' && dt.array.data.length === 1 && dt.array.data[0]! > 0 ? dt.array.data[0]! : DEFAULT_DT;
  const base = name.replace(/\.nir$/i, '');
  const model = /^[A-Za-z_]/.test(base) ? base.replace(/[^A-Za-z0-9_]/g, '_') : `nir_${base.replace(/[^A-Za-z0-9_]/g, '_')}`;
  try {
    const plan = planImport(graph, { model, dt: step, steps: 100, origin: `${name} (NIR ${version}); the editor does not carry its weights over` });
    return { name: `${base}.snn`, text: plan.source };
  } catch (e) {
    if (e instanceof ImportError) throw new Error(`cannot import ${name}: ${e.message}`);
    throw e;
  }
}
