import { nodeWhere } from '../read.js';
import { sizeOf, type NirArray, type NirGraph, type NirPrimitive } from '../types.js';
import { chainOf, ImportError, type ChainNode } from './chain.js';
import { formatNumber, formatSeconds } from './numbers.js';

/** A weight tensor for the runtime: `kernel`/`bias` in the runtime's layout, float32, row-major. */
export interface ImportedTensor {
  name: 'kernel' | 'bias';
  shape: number[];
  data: Float32Array;
}

/** One `.snn` layer of the imported chain and the weights it needs. */
export interface ImportedLayer {
  /** `dense(38)`, `NirLIF(tau: 2.5ms, ...)`. */
  text: string;
  /** The NIR node it comes from (`lif1.lif`). */
  node: string;
  tensors: ImportedTensor[];
}

export interface ImportPlan {
  /** The `.snn` text: neuron definitions the NIR neurons need, then the model. */
  source: string;
  model: string;
  /** Layers in model order; layer `i` is the compiled model's `layers[i]`, whose id names its weights. */
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
  /** For the header comment: the weights file written beside the `.snn`. */
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
} as const;
type Definition = keyof typeof DEFINITIONS;

/** The single value of a per-neuron parameter array (all entries equal), else a refusal. */
function uniform(a: NirArray, name: string, c: ChainNode, size: number): number {
  if (a.data.length !== 1 && a.data.length !== size) {
    throw new ImportError({ where: `${nodeWhere(c.path)} (${c.node.kind})`, reason: `\`${name}\` has ${a.data.length} values but the layer has ${size} neurons` });
  }
  const v = a.data[0]!;
  if (!a.data.every((x) => x === v)) {
    throw new ImportError({ where: `${nodeWhere(c.path)} (${c.node.kind})`, reason: `\`${name}\` differs between neurons; per-neuron parameter arrays are not importable yet (a .snn neuron takes one value per layer)` });
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

/**
 * Plans the `.snn` model of a NIR graph that is a chain (Input -> ... -> Output, nested chains
 * inlined). Throws ImportError naming the node for what `.snn` cannot express yet.
 */
export function planImport(graph: NirGraph, opts: ImportOptions): ImportPlan {
  const chain = chainOf(graph);
  const first = chain[0]!.node;
  if (first.kind !== 'Input') throw new ImportError({ where: 'the graph', reason: 'its chain does not start at the Input' });
  const input = Array.from(first.params.shape.data);
  let shape = [...input];
  /** A Flatten of [C, H, W] waiting for the dense layer whose rows it reorders. */
  let flattened: number[] | undefined;
  const layers: ImportedLayer[] = [];
  const used = new Set<Definition>();
  /** `neuron NAME = Def(...)` lines: named instances, so `snnc trace --neuron NAME` can drive one. */
  const instances: string[] = [];
  const taken = new Set<string>();
  const neuronLayer = (c: ChainNode, call: string) => {
    const name = instanceName(c, taken);
    instances.push(`neuron ${name} = ${call}`);
    layers.push({ text: name, node: c.path.join('.'), tensors: [] });
  };
  const dt = formatSeconds(opts.dt);
  const where = (c: ChainNode) => `${nodeWhere(c.path)} (${c.node.kind})`;
  const refuse = (c: ChainNode, reason: string): never => {
    throw new ImportError({ where: where(c), reason });
  };

  for (const c of chain.slice(1)) {
    const n: NirPrimitive = c.node;
    const name = c.path.join('.');
    const size = sizeOf(shape);
    switch (n.kind) {
      case 'Input':
        refuse(c, 'a second Input inside the chain');
        break;
      case 'Output':
        if (sizeOf(Array.from(n.params.shape.data)) !== size) refuse(c, `it takes [${Array.from(n.params.shape.data).join(', ')}] but the chain gives [${shape.join(', ')}]`);
        break;
      case 'Affine':
      case 'Linear': {
        const w = n.params.weight;
        if (w.shape.length !== 2) refuse(c, `\`weight\` has ${w.shape.length} dimensions; only [out, in] matrices import`);
        const [out, inn] = w.shape as [number, number];
        if (inn !== size) refuse(c, `\`weight\` takes ${inn} inputs but the chain gives ${size}`);
        let kernel = transpose(w);
        if (flattened) kernel = chwRowsToHwc(kernel, flattened, out);
        flattened = undefined;
        const tensors: ImportedTensor[] = [{ name: 'kernel', shape: [inn, out], data: kernel }];
        if (n.kind === 'Affine') tensors.push({ name: 'bias', shape: [out], data: Float32Array.from(n.params.bias.data) });
        layers.push({ text: n.kind === 'Affine' ? `dense(${out})` : `dense(${out}, bias: false)`, node: name, tensors });
        shape = [out];
        break;
      }
      case 'Scale':
        layers.push({ text: `scale(${formatNumber(uniform(n.params.scale, 'scale', c, size), n.params.scale.dtype)})`, node: name, tensors: [] });
        break;
      case 'Conv2d': {
        const p = n.params;
        if (shape.length !== 3) refuse(c, `it needs a [C, H, W] input, the chain gives [${shape.join(', ')}]`);
        if (pair(p.dilation).some((d) => d !== 1) || p.groups.data[0] !== 1) refuse(c, 'dilation > 1 and groups > 1 have no .snn form yet');
        const [cout, cin, kh, kw] = p.weight.shape as [number, number, number, number];
        if (cin !== shape[0]) refuse(c, `\`weight\` takes ${cin} channels but the chain gives ${shape[0]}`);
        const stride = pair(p.stride);
        const pad: [number, number] = p.padding === 'valid' ? [0, 0] : p.padding === 'same' ? [(kh - 1) / 2, (kw - 1) / 2] : pair(p.padding);
        if (p.padding === 'same' && (kh % 2 === 0 || kw % 2 === 0 || stride.some((s) => s !== 1))) refuse(c, '`padding: "same"` imports only with odd kernels and stride 1');
        const k = convKernel(p.weight);
        layers.push({
          text: `conv2d(${cout}, kernel: ${pairText([kh, kw])}, stride: ${pairText(stride)}, padding: ${p.padding === 'same' ? 'same' : pairText(pad)})`,
          node: name,
          tensors: [
            { name: 'kernel', ...k },
            { name: 'bias', shape: [cout], data: Float32Array.from(p.bias.data) },
          ],
        });
        shape = [cout, Math.floor((shape[1]! + 2 * pad[0] - kh) / stride[0]) + 1, Math.floor((shape[2]! + 2 * pad[1] - kw) / stride[1]) + 1];
        break;
      }
      case 'SumPool2d':
      case 'AvgPool2d': {
        const p = n.params;
        if (shape.length !== 3) refuse(c, `it needs a [C, H, W] input, the chain gives [${shape.join(', ')}]`);
        if (pair(p.padding).some((v) => v !== 0)) refuse(c, 'padded pooling has no .snn form yet');
        const k = pair(p.kernel_size);
        const s = pair(p.stride);
        layers.push({ text: `${n.kind === 'SumPool2d' ? 'sumpool' : 'avgpool'}(${pairText(k)}, stride: ${pairText(s)})`, node: name, tensors: [] });
        shape = [shape[0]!, Math.floor((shape[1]! - k[0]) / s[0]) + 1, Math.floor((shape[2]! - k[1]) / s[1]) + 1];
        break;
      }
      case 'Flatten':
        if (shape.length === 1) break;
        if (shape.length !== 3) refuse(c, `flattening [${shape.join(', ')}] has no .snn form yet`);
        layers.push({ text: 'flatten', node: name, tensors: [] });
        flattened = [...shape];
        shape = [size];
        break;
      case 'LIF': {
        const p = n.params;
        const u = (a: NirArray, k: string) => formatNumber(uniform(a, k, c, size), a.dtype);
        used.add('NirLIF');
        neuronLayer(c, `NirLIF(tau: ${formatSeconds(uniform(p.tau, 'tau', c, size), p.tau.dtype)}, r: ${u(p.r, 'r')}, v_leak: ${u(p.v_leak, 'v_leak')}, threshold: ${u(p.v_threshold, 'v_threshold')}, reset: ${u(p.v_reset, 'v_reset')}, dt: ${dt})`);
        break;
      }
      case 'IF': {
        const p = n.params;
        const u = (a: NirArray, k: string) => formatNumber(uniform(a, k, c, size), a.dtype);
        used.add('NirIF');
        neuronLayer(c, `NirIF(r: ${u(p.r, 'r')}, threshold: ${u(p.v_threshold, 'v_threshold')}, reset: ${u(p.v_reset, 'v_reset')}, dt: ${dt})`);
        break;
      }
      case 'LI': {
        const p = n.params;
        const u = (a: NirArray, k: string) => formatNumber(uniform(a, k, c, size), a.dtype);
        neuronLayer(c, `LI(tau: ${formatSeconds(uniform(p.tau, 'tau', c, size), p.tau.dtype)}, r: ${u(p.r, 'r')}, v_leak: ${u(p.v_leak, 'v_leak')}, dt: ${dt})`);
        break;
      }
      case 'I':
        neuronLayer(c, `Integrator(r: ${formatNumber(uniform(n.params.r, 'r', c, size), n.params.r.dtype)}, dt: ${dt})`);
        break;
      case 'CubaLIF':
      case 'CubaLI': {
        const p = n.params;
        const u = (a: NirArray, k: string) => formatNumber(uniform(a, k, c, size), a.dtype);
        const common = `tau_mem: ${formatSeconds(uniform(p.tau_mem, 'tau_mem', c, size), p.tau_mem.dtype)}, tau_syn: ${formatSeconds(uniform(p.tau_syn, 'tau_syn', c, size), p.tau_syn.dtype)}, r: ${u(p.r, 'r')}, v_leak: ${u(p.v_leak, 'v_leak')}`;
        if (n.kind === 'CubaLIF') {
          neuronLayer(c, `CubaLIF(${common}, threshold: ${u(n.params.v_threshold, 'v_threshold')}, reset: ${u(n.params.v_reset, 'v_reset')}, w_in: ${u(p.w_in, 'w_in')}, dt: ${dt})`);
        } else {
          used.add('NirCubaLI');
          neuronLayer(c, `NirCubaLI(${common}, w_in: ${u(p.w_in, 'w_in')}, dt: ${dt})`);
        }
        break;
      }
      case 'Conv1d':
      case 'Threshold':
      case 'Delay':
        refuse(c, `${n.kind} nodes are not importable yet`);
        break;
      default: {
        const never: never = n;
        refuse(c, `unknown primitive ${JSON.stringify(never)}`);
      }
    }
  }
  if (layers.length === 0) throw new ImportError({ where: 'the graph', reason: 'its chain has no layers between Input and Output' });
  const lines = [
    `// Imported by \`snnc import\` from ${opts.origin}. NIR neurons are continuous-time (seconds),`,
    `// stepped here with dt = ${dt}. Weights${opts.weightsFile ? `: ${opts.weightsFile}` : ''} (dense kernels [in, out], conv kernels [KH, KW, C_in, C_out]).`,
    '',
  ];
  for (const d of Object.keys(DEFINITIONS) as Definition[]) if (used.has(d)) lines.push(...DEFINITIONS[d], '');
  if (instances.length > 0) lines.push('// One neuron per NIR neuron node, named after it.', ...instances, '');
  lines.push(`model ${opts.model}(input: [${input.join(', ')}], steps: ${opts.steps}) {`);
  // One layer per line: consecutive lines of a model continue its chain.
  for (const l of layers) lines.push(`  ${l.text}`);
  lines.push('}', '');
  return { source: lines.join('\n'), model: opts.model, layers, input };
}

/** Words a neuron instance cannot be called: keywords, and names the standard library and layers use. */
const RESERVED = new Set(['use', 'neuron', 'model', 'experiment', 'sweep', 'network', 'from', 'encode', 'decode', 'input', 'ensemble', 'connect', 'probe', 'run', 'dt', 'seed', 'state', 'spike', 'when', 'reset', 'refractory', 'surrogate', 'integrate', 'block', 'dense', 'conv1d', 'conv2d', 'maxpool', 'avgpool', 'sumpool', 'flatten', 'dropout', 'batchnorm', 'layernorm', 'scale', 'delay', 'add', 'concat', 'iand', 'x', 'classes', 'outputs', 'IF', 'LIF', 'PLIF', 'ALIF', 'LI', 'CubaLIF', 'Integrator', 'NirLIF', 'NirIF', 'NirCubaLI']);

/** The NIR node's name as a `.snn` identifier, unique in the file (`1` -> `lif_1`, `lif1.lif` -> `lif1_lif`). */
function instanceName(c: ChainNode, taken: Set<string>): string {
  let base = c.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base) || RESERVED.has(base)) base = `${c.node.kind.toLowerCase()}_${base}`;
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
