import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Model, Random } from '@snnc/ir';
import type { ForwardOptions, LayerTrace } from './network.js';
import type { RunExtras, RunForward } from './network-forward.js';

/**
 * One sample's spikes (and membranes when `state`) of every neuron layer, read back to the
 * host, in the IR's layer order (see SnnNetwork.trace). Runs `run` in eval mode.
 */
export async function traceForward(
  model: Model,
  run: RunForward,
  x: tf.Tensor,
  traceRng: Random,
  topts: { timeMajor?: boolean; state?: boolean } = {},
): Promise<LayerTrace[]> {
  const T = model.steps;
  const rows = topts.timeMajor ? T : 1;
  if (x.shape[0] !== rows) throw new Error(`network ${model.name}: a trace takes one sample [${rows}, ...], got [${x.shape.join(', ')}]`);
  // forward's tidy frees every intermediate, so the recorded tensors are kept past it and
  // disposed here once read back.
  const recorded: { layer: Layer; spikes: tf.Tensor; membrane: tf.Tensor | undefined }[] = [];
  try {
    const fopts: ForwardOptions = { training: false, rng: traceRng };
    if (topts.timeMajor) fopts.timeMajor = true;
    const extra: RunExtras = {
      neuron: (layer, spikes, membrane) => recorded.push({ layer, spikes: tf.keep(spikes), membrane: membrane && topts.state ? tf.keep(membrane) : undefined }),
    };
    if (topts.state) extra.membranes = 'all';
    run(x, fopts, extra).dispose();
    const layers: LayerTrace[] = [];
    for (const r of recorded) {
      // B = 1, so the leading T*B axis is T.
      if (r.spikes.shape[0] !== T) throw new Error(`network ${model.name}: expected ${T} steps from ${r.layer.id}, got [${r.spikes.shape.join(', ')}]`);
      const values = await r.spikes.data();
      const spikes = new Uint8Array(values.length);
      for (let k = 0; k < values.length; k++) spikes[k] = values[k]! > 0.5 ? 1 : 0;
      const entry: LayerTrace = { layerId: r.layer.id, shape: r.spikes.shape.slice(1), steps: T, spikes };
      if (r.layer.name !== undefined) entry.name = r.layer.name;
      if (r.membrane) entry.membrane = Float32Array.from(await r.membrane.data());
      layers.push(entry);
    }
    // Execution order can differ from layer order in a graph; traces list layers as the IR does.
    const order = new Map(model.layers.map((l, i) => [l.id, i]));
    return layers.sort((a, b) => order.get(a.layerId)! - order.get(b.layerId)!);
  } finally {
    for (const r of recorded) tf.dispose([r.spikes, ...(r.membrane ? [r.membrane] : [])]);
  }
}
