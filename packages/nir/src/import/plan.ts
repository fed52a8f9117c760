import { PER_NEURON } from '@snnc/ir';
import { channelsLast, runtimeShape } from '../layout.js';
import { nodeWhere } from '../read.js';
import { sizeOf, type NirArray, type NirGraph, type NirPrimitive } from '../types.js';
import { chainOf, ImportError, type ChainNode } from './chain.js';
import { formatNumber, formatSeconds } from './numbers.js';
import { weightsPragma } from './pragma.js';
import { snncLayerOf, snncModelLines } from '../snnc-origin.js';

/** A weight tensor for the runtime: `kernel`/`bias` in the runtime's layout, float32, row-major. */
export interface ImportedTensor {
  /** `kernel`, `bias`, or a neuron parameter given per neuron (`tau`, `threshold`). */
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One `.snn` layer of the imported model and the weights it needs. */
export interface ImportedLayer {
  /** `dense(38)`, `NirLIF(tau: 2.5ms, ...)`. */
  text: string;
  /** The NIR node it comes from (`lif1.lif`). */
  node: string;
  tensors: ImportedTensor[];
  /**
   * Graph models: the named result the layer ends (its IR layer's `name`), which names its
   * weights. Chains have none: layer `i` is the compiled model's `layers[i]`.
   */
  result?: string;
}

export interface ImportPlan {
  /** The `.snn` text: neuron definitions the NIR neurons need, then the model. */
  source: string;
  model: string;
  /** The imported nodes' layers in model order (graph models also get `add` and `delay` layers between them). */
  layers: ImportedLayer[];
  /** IR shape (channels first) of the model input. */
  input: number[];
}

export interface ImportOptions {
  /** Model name (an identifier). */
  model: string;
  /** Step of the continuous-time NIR neurons, seconds. */
  dt: number;
  /** Time steps per sample written into the model header. */
  steps: number;
  /** For the header comment: where the graph came from. */
  origin: string;
  /** The weights file written beside the `.snn`: named in its header (`// snnc-weights: ...`). */
  weightsFile?: string;
}

/**
 * NIR neurons without a standard-library equivalent of the same dynamics, as `.snn` neuron
 * definitions (NIR's equations in seconds; NIR spikes when v > threshold).
 */
const DEFINITIONS = {
  NirLIF: [
    '// NIR LIF: tau dv/dt = (v_leak - v) + r x; spike when v > threshold, then v = reset.',
    'neuron NirLIF(tau: 10ms, r: 1.0, v_leak: 0.0, threshold: 1.0, reset: 0.0) {',
    '  state v = v_leak',
    '  dv/dt = (v_leak - v + r * x) / tau',
    '  spike when v > threshold { v = reset }',
    '  integrate exact',
    '}',
  ],
  NirIF: [
    '// NIR IF: dv/dt = r x (time in seconds); spike when v > threshold, then v = reset.',
    'neuron NirIF(r: 1.0, threshold: 1.0, reset: 0.0) {',
    '  state v = 0',
    '  dv/dt = r * x / 1s',
    '  spike when v > threshold { v = reset }',
    '  integrate exact',
    '}',
  ],
  NirCubaLI: [
    '// NIR CubaLI: tau_syn di/dt = w_in x - i; tau_mem dv/dt = (v_leak - v) + r i; no spikes, the output is v.',
    'neuron NirCubaLI(tau_mem: 10ms, tau_syn: 5ms, r: 1.0, v_leak: 0.0, w_in: 1.0) {',
    '  state v = v_leak',
    '  state i = 0',
    '  di/dt = (w_in * x - i) / tau_syn',
    '  dv/dt = (v_leak - v + r * i) / tau_mem',
    '  integrate exact',
    '}',
  ],
  NirThreshold: [
    '// NIR Threshold: a stateless spike, 1 where the input exceeds the threshold.',
    'neuron NirThreshold(threshold: 0.0) {',
    '  state v = 0',
    '  v = x',
    '  spike when v > threshold',
    '  integrate discrete',
    '}',
  ],
} as const;
type Definition = keyof typeof DEFINITIONS;

/** The single value of a per-neuron parameter array (all entries equal), else a refusal. */
function uniform(a: NirArray, name: string, c: ChainNode, size: number): number {
  if (a.data.length !== 1 && a.data.length !== size) {
    throw new ImportError({ where: `${nodeWhere(c.path)} (${c.node.kind})`, reason: `\`${name}\` has ${a.data.length} values but the layer has ${size} neurons` });
  }
  const v = a.data[0]!;
  if (!a.data.every((x) => x === v)) {
    throw new ImportError({ where: `${nodeWhere(c.path)} (${c.node.kind})`, reason: `\`${name}\` differs between neurons; a .snn layer takes one value here (only neuron parameters can be \`${PER_NEURON}\`)` });
  }
  return v;
}

/** Row-major transpose of a [rows, cols] matrix. */
function transpose(a: NirArray): Float32Array {
  const [rows, cols] = a.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a.data[r * cols + c]!;
  return out;
}

/** NIR/PyTorch conv weight [C_out, C_in, ...K] -> runtime kernel [...K, C_in, C_out]. */
function convKernel(w: NirArray): { shape: number[]; data: Float32Array } {
  const [cout, cin, ...k] = w.shape as [number, number, ...number[]];
  const ks = sizeOf(k);
  const out = new Float32Array(w.data.length);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let p = 0; p < ks; p++) out[(p * cin + i) * cout + o] = w.data[(o * cin + i) * ks + p]!;
  return { shape: [...k, cin, cout], data: out };
}

const pair = (a: NirArray): [number, number] => [a.data[0]!, a.data[a.data.length === 1 ? 0 : 1]!];
const pairText = ([a, b]: [number, number]) => (a === b ? `${a}` : `[${a}, ${b}]`);

/** What flows along an edge: the IR shape (channels first), and a flattened [C, H, W] not yet consumed by a dense layer. */
interface Flow {
  shape: number[];
  chw?: number[];
}

/** One NIR node as `.snn`: a layer (`text`) or a neuron call (`neuron`), or nothing (a pass-through). */
interface Converted {
  text?: string;
  neuron?: { call: string; definition?: Definition };
  tensors: ImportedTensor[];
  flow: Flow;
}

const where = (c: ChainNode) => `${nodeWhere(c.path)} (${c.node.kind})`;
const refuse = (c: ChainNode, reason: string): never => {
  throw new ImportError({ where: where(c), reason });
};

/** One NIR node given what flows into it; `dt` is the `.snn` literal of the step. */
function convertNode(c: ChainNode, flow: Flow, dt: string, dtSeconds: number): Converted {
  const n: NirPrimitive = c.node;
  const shape = flow.shape;
  const size = sizeOf(shape);
  // Elementwise nodes keep the flow, including a flatten's channel order for the next Affine.
  const same = (x: Omit<Converted, 'flow'>): Converted => ({ ...x, flow });
  const u = (a: NirArray, k: string) => formatNumber(uniform(a, k, c, size), a.dtype);
  // Neuron parameters: one value when every neuron has it, else `per_neuron` with the array
  // as the neuron layer's tensor `<name>` (the layer's units in the runtime's channels-last order).
  const own: ImportedTensor[] = [];
  const pn = (a: NirArray, name: string, time = false): string => {
    if (a.data.length !== 1 && a.data.length !== size) refuse(c, `\`${name}\` has ${a.data.length} values but the layer has ${size} neurons`);
    const v = a.data[0]!;
    if (a.data.every((x) => x === v)) return time ? formatSeconds(v, a.dtype) : formatNumber(v, a.dtype);
    own.push({ name, shape: runtimeShape(shape), data: channelsLast(Float32Array.from(a.data), shape) });
    return PER_NEURON;
  };
  const neuron = (definition: Definition | undefined, call: string): Converted => same({ neuron: definition ? { definition, call } : { call }, tensors: own });
  switch (n.kind) {
    case 'Input':
      return refuse(c, 'a second Input inside the graph');
    case 'Output':
      if (sizeOf(Array.from(n.params.shape.data)) !== size) refuse(c, `it takes [${Array.from(n.params.shape.data).join(', ')}] but receives [${shape.join(', ')}]`);
      return { tensors: [], flow };
    case 'Affine':
    case 'Linear': {
      const w = n.params.weight;
      if (w.shape.length !== 2) refuse(c, `\`weight\` has ${w.shape.length} dimensions; only [out, in] matrices import`);
      const [out, inn] = w.shape as [number, number];
      if (inn !== size) refuse(c, `\`weight\` takes ${inn} inputs but receives ${size}`);
      let kernel = transpose(w);
      if (flow.chw) kernel = chwRowsToHwc(kernel, flow.chw, out);
      const tensors: ImportedTensor[] = [{ name: 'kernel', shape: [inn, out], data: kernel }];
      if (n.kind === 'Affine') tensors.push({ name: 'bias', shape: [out], data: Float32Array.from(n.params.bias.data) });
      return { text: n.kind === 'Affine' ? `dense(${out})` : `dense(${out}, bias: false)`, tensors, flow: { shape: [out] } };
    }
    case 'Scale':
      return same({ text: `scale(${u(n.params.scale, 'scale')})`, tensors: [] });
    case 'Conv2d': {
      const p = n.params;
      if (shape.length !== 3) refuse(c, `it needs a [C, H, W] input but receives [${shape.join(', ')}]`);
      if (pair(p.dilation).some((d) => d !== 1) || p.groups.data[0] !== 1) refuse(c, 'dilation > 1 and groups > 1 have no .snn form yet');
      const [cout, cin, kh, kw] = p.weight.shape as [number, number, number, number];
      if (cin !== shape[0]) refuse(c, `\`weight\` takes ${cin} channels but receives ${shape[0]}`);
      const stride = pair(p.stride);
      const pad: [number, number] = p.padding === 'valid' ? [0, 0] : p.padding === 'same' ? [(kh - 1) / 2, (kw - 1) / 2] : pair(p.padding);
      if (p.padding === 'same' && (kh % 2 === 0 || kw % 2 === 0 || stride.some((s) => s !== 1))) refuse(c, '`padding: "same"` imports only with odd kernels and stride 1');
      return {
        text: `conv2d(${cout}, kernel: ${pairText([kh, kw])}, stride: ${pairText(stride)}, padding: ${p.padding === 'same' ? 'same' : pairText(pad)})`,
        tensors: [
          { name: 'kernel', ...convKernel(p.weight) },
          { name: 'bias', shape: [cout], data: Float32Array.from(p.bias.data) },
        ],
        flow: { shape: [cout, Math.floor((shape[1]! + 2 * pad[0] - kh) / stride[0]) + 1, Math.floor((shape[2]! + 2 * pad[1] - kw) / stride[1]) + 1] },
      };
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      const p = n.params;
      if (shape.length !== 3) refuse(c, `it needs a [C, H, W] input but receives [${shape.join(', ')}]`);
      if (pair(p.padding).some((v) => v !== 0)) refuse(c, 'padded pooling has no .snn form yet');
      const k = pair(p.kernel_size);
      const s = pair(p.stride);
      return {
        text: `${n.kind === 'SumPool2d' ? 'sumpool' : 'avgpool'}(${pairText(k)}, stride: ${pairText(s)})`,
        tensors: [],
        flow: { shape: [shape[0]!, Math.floor((shape[1]! - k[0]) / s[0]) + 1, Math.floor((shape[2]! - k[1]) / s[1]) + 1] },
      };
    }
    case 'Flatten':
      if (shape.length === 1) return { tensors: [], flow };
      if (shape.length !== 3) refuse(c, `flattening [${shape.join(', ')}] has no .snn form yet`);
      return { text: 'flatten', tensors: [], flow: { shape: [size], chw: [...shape] } };
    case 'LIF': {
      const p = n.params;
      return neuron('NirLIF', `NirLIF(tau: ${pn(p.tau, 'tau', true)}, r: ${pn(p.r, 'r')}, v_leak: ${pn(p.v_leak, 'v_leak')}, threshold: ${pn(p.v_threshold, 'threshold')}, reset: ${pn(p.v_reset, 'reset')}, dt: ${dt})`);
    }
    case 'IF': {
      const p = n.params;
      return neuron('NirIF', `NirIF(r: ${pn(p.r, 'r')}, threshold: ${pn(p.v_threshold, 'threshold')}, reset: ${pn(p.v_reset, 'reset')}, dt: ${dt})`);
    }
    case 'LI': {
      const p = n.params;
      return neuron(undefined, `LI(tau: ${pn(p.tau, 'tau', true)}, r: ${pn(p.r, 'r')}, v_leak: ${pn(p.v_leak, 'v_leak')}, dt: ${dt})`);
    }
    case 'I':
      return neuron(undefined, `Integrator(r: ${pn(n.params.r, 'r')}, dt: ${dt})`);
    case 'CubaLIF':
    case 'CubaLI': {
      const p = n.params;
      const common = `tau_mem: ${pn(p.tau_mem, 'tau_mem', true)}, tau_syn: ${pn(p.tau_syn, 'tau_syn', true)}, r: ${pn(p.r, 'r')}, v_leak: ${pn(p.v_leak, 'v_leak')}`;
      if (n.kind === 'CubaLIF') {
        const q = n.params;
        return neuron(undefined, `CubaLIF(${common}, threshold: ${pn(q.v_threshold, 'threshold')}, reset: ${pn(q.v_reset, 'reset')}, w_in: ${pn(q.w_in, 'w_in')}, dt: ${dt})`);
      }
      return neuron('NirCubaLI', `NirCubaLI(${common}, w_in: ${pn(p.w_in, 'w_in')}, dt: ${dt})`);
    }
    case 'Conv1d': {
      const p = n.params;
      if (shape.length !== 2) refuse(c, `it needs a [C, L] input but receives [${shape.join(', ')}]`);
      if (p.dilation.data[0] !== 1 || p.groups.data[0] !== 1) refuse(c, 'dilation > 1 and groups > 1 have no .snn form yet');
      const [cout, cin, k] = p.weight.shape as [number, number, number];
      if (cin !== shape[0]) refuse(c, `\`weight\` takes ${cin} channels but receives ${shape[0]}`);
      const stride = p.stride.data[0]!;
      if (p.padding === 'same' && (k % 2 === 0 || stride !== 1)) refuse(c, '`padding: "same"` imports only with odd kernels and stride 1');
      const pad = p.padding === 'valid' ? 0 : p.padding === 'same' ? (k - 1) / 2 : p.padding.data[0]!;
      return {
        text: `conv1d(${cout}, kernel: ${k}, stride: ${stride}, padding: ${pad})`,
        tensors: [
          { name: 'kernel', ...convKernel(p.weight) },
          { name: 'bias', shape: [cout], data: Float32Array.from(p.bias.data) },
        ],
        flow: { shape: [cout, Math.floor((shape[1]! + 2 * pad - k) / stride) + 1] },
      };
    }
    case 'Delay': {
      // NIR delays are times; snnc's are whole steps of dt (rounded: lossy when not a multiple).
      const steps = Math.round(uniform(n.params.delay, 'delay', c, size) / dtSeconds);
      return steps === 0 ? { tensors: [], flow } : same({ text: `delay(${steps})`, tensors: [] });
    }
    case 'Threshold':
      return neuron('NirThreshold', `NirThreshold(threshold: ${pn(n.params.threshold, 'threshold')})`);
    default: {
      const never: never = n;
      return refuse(c, `unknown primitive ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A node `snnc export` wrote comes back as the snnc layer it was (maxpool, the discrete LIF/IF;
 * see snnc-origin.ts), keeping the shape the NIR mapping computed; other nodes as mapped.
 */
function restoreSnnc(c: ChainNode, r: Converted): Converted {
  const own = snncLayerOf(c.node);
  if (!own) return r;
  return { tensors: r.tensors, flow: r.flow, ...(own.text !== undefined ? { text: own.text } : {}), ...(own.neuron ? { neuron: { call: own.neuron.call } } : {}) };
}

/** The `encode`/`decode` lines of a graph snnc exported (empty for other files), indented for the model block. */
function snncModel(graph: NirGraph): { encode: string[]; decode: string[] } {
  const lines = snncModelLines(graph).map((l) => `  ${l}`);
  return { encode: lines.filter((l) => l.startsWith('  encode ')), decode: lines.filter((l) => l.startsWith('  decode ')) };
}

/** Collects what the `.snn` text needs besides the model: definitions and named neuron instances. */
class Preamble {
  readonly used = new Set<Definition>();
  /** `neuron NAME = Def(...)` lines: named instances, so `snnc trace --neuron NAME` can drive one. */
  readonly instances: string[] = [];
  readonly taken = new Set<string>();

  instance(c: ChainNode, neuron: NonNullable<Converted['neuron']>, suffix = ''): string {
    if (neuron.definition) this.used.add(neuron.definition);
    const name = instanceName(c, this.taken, suffix);
    this.instances.push(`neuron ${name} = ${neuron.call}`);
    return name;
  }

  lines(opts: ImportOptions, dt: string, model: string[]): string {
    const lines = [
      `// Imported by \`snnc import\` from ${opts.origin}. NIR neurons are continuous-time (seconds),`,
      `// stepped here with dt = ${dt}. Weights: dense kernels [in, out], conv kernels [KH, KW, C_in, C_out].`,
      ...(opts.weightsFile ? [weightsPragma(opts.weightsFile)] : []),
      '',
    ];
    for (const d of Object.keys(DEFINITIONS) as Definition[]) if (this.used.has(d)) lines.push(...DEFINITIONS[d], '');
    if (this.instances.length > 0) lines.push('// One neuron per NIR neuron node, named after it.', ...this.instances, '');
    lines.push(...model, '');
    return lines.join('\n');
  }
}

/**
 * Plans the `.snn` model of a NIR graph. A chain (Input -> ... -> Output, nested chains
 * inlined) becomes a chain of layers; any other graph (branches, merges, cycles) becomes named
 * results, a node with several inputs sums them (`add`), and each edge that closes a cycle gets
 * a one-step `delay(1)` (how the NIR paper's simulators discretise a loop). Throws ImportError
 * naming the node for what `.snn` cannot express yet.
 */
export function planImport(graph: NirGraph, opts: ImportOptions): ImportPlan {
  return isChain(graph) ? planChain(graph, opts) : planGraph(graph, opts);
}

function planChain(graph: NirGraph, opts: ImportOptions): ImportPlan {
  const chain = chainOf(graph);
  const first = chain[0]!.node;
  if (first.kind !== 'Input') throw new ImportError({ where: 'the graph', reason: 'its chain does not start at the Input' });
  const input = Array.from(first.params.shape.data);
  let flow: Flow = { shape: [...input] };
  const layers: ImportedLayer[] = [];
  const pre = new Preamble();
  const dt = formatSeconds(opts.dt);
  for (const c of chain.slice(1)) {
    const r = restoreSnnc(c, convertNode(c, flow, dt, opts.dt));
    flow = r.flow;
    const node = c.path.join('.');
    if (r.neuron) layers.push({ text: pre.instance(c, r.neuron), node, tensors: r.tensors });
    else if (r.text) layers.push({ text: r.text, node, tensors: r.tensors });
  }
  if (layers.length === 0) throw new ImportError({ where: 'the graph', reason: 'its chain has no layers between Input and Output' });
  const own = snncModel(graph);
  const model = [`model ${opts.model}(input: [${input.join(', ')}], steps: ${opts.steps}) {`, ...own.encode, ...layers.map((l) => `  ${l.text}`), ...own.decode, '}'];
  return { source: pre.lines(opts, dt, model), model: opts.model, layers, input };
}

function planGraph(graph: NirGraph, opts: ImportOptions): ImportPlan {
  const g = flattenGraph(graph);
  const inputs = [...g.nodes].filter(([, c]) => c.node.kind === 'Input');
  const outputs = [...g.nodes].filter(([, c]) => c.node.kind === 'Output');
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new ImportError({ where: 'the graph', reason: `it has ${inputs.length} Input and ${outputs.length} Output nodes; the importer needs one of each` });
  }
  const [inName, inNode] = inputs[0]!;
  const [outName] = outputs[0]!;
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const [a, b] of g.edges) {
    succ.set(a, [...(succ.get(a) ?? []), b]);
    pred.set(b, [...(pred.get(b) ?? []), a]);
  }
  // Depth-first from the input: an edge to a node still on the stack closes a cycle.
  const order: string[] = [];
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string): void => {
    state.set(n, 'open');
    for (const m of succ.get(n) ?? []) {
      const s = state.get(m);
      if (s === 'open') back.add(`${n}\u0000${m}`);
      else if (s === undefined) visit(m);
    }
    state.set(n, 'done');
    order.push(n);
  };
  visit(inName);
  order.reverse();
  const unreached = [...g.nodes.keys()].filter((k) => !state.has(k));
  if (unreached.length > 0) throw new ImportError({ where: nodeWhere(g.nodes.get(unreached[0]!)!.path), reason: 'no path from the Input reaches it' });

  const input = Array.from((inNode.node as Extract<NirPrimitive, { kind: 'Input' }>).params.shape.data);
  const dt = formatSeconds(opts.dt);
  const pre = new Preamble();
  const names = new Map<string, string>([[inName, 'x']]);
  const resultTaken = new Set<string>(['x']);
  const flows = new Map<string, Flow>([[inName, { shape: [...input] }]]);
  const body: string[] = [];
  let outputLine: string | undefined;
  const layers: ImportedLayer[] = [];
  const resultName = (n: string): string => {
    let name = names.get(n);
    if (name) return name;
    name = instanceName(g.nodes.get(n)!, resultTaken, '');
    names.set(n, name);
    return name;
  };
  for (const n of order) {
    if (n === inName) continue;
    const c = g.nodes.get(n)!;
    const ps = pred.get(n) ?? [];
    const forward = ps.filter((p) => !back.has(`${p}\u0000${n}`));
    if (forward.length === 0) refuse(c, 'every input of it comes back around a cycle, so its size is unknown');
    const flow = flows.get(forward[0]!)!;
    for (const p of forward.slice(1)) {
      const f = flows.get(p)!;
      if (f.shape.join(',') !== flow.shape.join(',')) refuse(c, `its inputs have different shapes ([${flow.shape.join(', ')}] and [${f.shape.join(', ')}]); NIR sums them`);
    }
    const refs = ps.map((p) => {
      if (!back.has(`${p}\u0000${n}`)) return resultName(p);
      // The edge closes a cycle: its source's value of the previous step.
      const prev = `${resultName(p)}_prev`;
      if (!resultTaken.has(prev)) {
        resultTaken.add(prev);
        body.push(`  ${prev} = ${resultName(p)} -> delay(1)`);
      }
      return prev;
    });
    const source = refs.length === 1 ? refs[0]! : `add(${refs.join(', ')})`;
    const r = restoreSnnc(c, convertNode(c, flow, dt, opts.dt));
    if (n === outName) {
      outputLine = `  ${source}`;
      continue;
    }
    flows.set(n, r.flow);
    const layer = r.neuron ? pre.instance(c, r.neuron, '_neuron') : r.text;
    if (layer === undefined && refs.length === 1) {
      // A pass-through (a Flatten of a vector): the node is its input under another name.
      names.set(n, refs[0]!);
      continue;
    }
    const result = resultName(n);
    body.push(layer === undefined ? `  ${result} = ${source}` : `  ${result} = ${source} -> ${layer}`);
    if (layer !== undefined) layers.push({ text: layer, node: c.path.join('.'), tensors: r.tensors, result });
  }
  // The last line names the decoded result (every node is defined by then).
  const own = snncModel(graph);
  const model = [`model ${opts.model}(input: [${input.join(', ')}], steps: ${opts.steps}) {`, ...own.encode, ...body, ...(outputLine ? [outputLine] : []), ...own.decode, '}'];
  return { source: pre.lines(opts, dt, model), model: opts.model, layers, input };
}

/** Whether the graph is one chain from Input to Output (nested graphs must be chains too). */
function isChain(g: NirGraph): boolean {
  try {
    chainOf(g);
    return true;
  } catch (e) {
    if (e instanceof ImportError) return false;
    throw e;
  }
}

/**
 * Nested graphs inlined: nodes named by their dotted path; a nested graph's Input and Output
 * are pass-throughs, so edges into the graph go to its Input's successors and edges out of it
 * leave from its Output's predecessors.
 */
function flattenGraph(g: NirGraph, path: string[] = []): { nodes: Map<string, ChainNode>; edges: [string, string][] } {
  const nodes = new Map<string, ChainNode>();
  let edges: [string, string][] = [];
  const entry = new Map<string, string>();
  const exit = new Map<string, string>();
  const pass = new Set<string>();
  for (const [name, n] of g.nodes) {
    const full = [...path, name].join('.');
    if (n.kind !== 'NIRGraph') {
      nodes.set(full, { path: [...path, name], node: n });
      continue;
    }
    const inner = flattenGraph(n, [...path, name]);
    for (const [k, v] of inner.nodes) nodes.set(k, v);
    edges.push(...inner.edges);
    const ins = [...n.nodes].filter(([, x]) => x.kind === 'Input');
    const outs = [...n.nodes].filter(([, x]) => x.kind === 'Output');
    if (ins.length !== 1 || outs.length !== 1) throw new ImportError({ where: nodeWhere([...path, name]), reason: `a nested graph needs one Input and one Output, it has ${ins.length} and ${outs.length}` });
    entry.set(full, `${full}.${ins[0]![0]}`);
    exit.set(full, `${full}.${outs[0]![0]}`);
    pass.add(`${full}.${ins[0]![0]}`);
    pass.add(`${full}.${outs[0]![0]}`);
  }
  const prefix = path.length === 0 ? '' : `${path.join('.')}.`;
  for (const [a, b] of g.edges) {
    const from = prefix + a;
    const to = prefix + b;
    edges.push([exit.get(from) ?? from, entry.get(to) ?? to]);
  }
  // Remove the pass-through nodes: connect each of their sources to each of their targets.
  for (const p of pass) {
    const ins = edges.filter(([, b]) => b === p).map(([a]) => a);
    const outs = edges.filter(([a]) => a === p).map(([, b]) => b);
    edges = edges.filter(([a, b]) => a !== p && b !== p);
    for (const a of ins) for (const b of outs) edges.push([a, b]);
    nodes.delete(p);
  }
  return { nodes, edges };
}

/** Words a neuron instance cannot be called: keywords, and names the standard library and layers use. */
const RESERVED = new Set(['use', 'neuron', 'model', 'experiment', 'sweep', 'network', 'from', 'encode', 'decode', 'input', 'ensemble', 'connect', 'probe', 'run', 'dt', 'seed', 'state', 'spike', 'when', 'reset', 'refractory', 'surrogate', 'integrate', 'block', 'dense', 'conv1d', 'conv2d', 'maxpool', 'avgpool', 'sumpool', 'flatten', 'dropout', 'batchnorm', 'layernorm', 'scale', 'delay', 'add', 'concat', 'iand', 'x', 'classes', 'outputs', 'IF', 'LIF', 'PLIF', 'ALIF', 'LI', 'CubaLIF', 'Integrator', 'NirLIF', 'NirIF', 'NirCubaLI', 'NirThreshold']);

/** The NIR node's name as a `.snn` identifier, unique among `taken` (`1` -> `lif_1`, `lif1.lif` -> `lif1_lif`). */
function instanceName(c: ChainNode, taken: Set<string>, suffix = ''): string {
  let base = c.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base) || RESERVED.has(base)) base = `${c.node.kind.toLowerCase()}_${base}`;
  base += suffix;
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/**
 * A dense kernel [in, out] whose rows follow NIR's channels-first flatten (c, h, w) reordered
 * for snnc's channels-last flatten (h, w, c).
 */
function chwRowsToHwc(kernel: Float32Array, [C, H, W]: number[], out: number): Float32Array {
  const res = new Float32Array(kernel.length);
  for (let c = 0; c < C!; c++)
    for (let h = 0; h < H!; h++)
      for (let w = 0; w < W!; w++) {
        const from = (c * H! + h) * W! + w;
        const to = (h * W! + w) * C! + c;
        res.set(kernel.subarray(from * out, (from + 1) * out), to * out);
      }
  return res;
}
