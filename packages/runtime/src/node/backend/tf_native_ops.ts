import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { assertNever } from '@snnc/ir';
import { ARGMAX_MAX_POOL, ARGMAX_MAX_POOL_GRAD } from '../../kernels/argmax_maxpool.js';
import { fusedAttrs, forwardOutputs, NEURON_BACKWARD, NEURON_FORWARD, registerNativeFusedKernels, savedNames } from '../../kernels/fused_neuron.js';
import { NATIVE_NEURON_KERNELS_DIGEST } from '../../kernels/generated/neuron-kernels.generated.js';
import { ADAM_KERNEL } from '../../train/optim/adam.js';

/**
 * snnc's native TensorFlow ops (packages/runtime/native/, built by tools/build-native-ops.sh):
 * the fused neuron kernels, generated from the same plans as the JS kernels, as TensorFlow CPU
 * ops. On the `tensorflow` backend a neuron layer then runs in one pass per direction instead of
 * ~7 tfjs ops per time step (docs/runtime.md, "Native neuron ops"). With them come max pooling
 * that keeps its winners and the fused Adam step (`SnncAdam`).
 */
export const NATIVE_OPS_PATH = fileURLToPath(new URL('../../../native/build/snnc_tf_ops.node', import.meta.url));

/** What the addon exports once it has registered its ops. */
interface NativeOps {
  digest: string;
  kernels: string[];
  /** The TensorFlow ops it registers (absent from libraries built before it was added). */
  ops?: unknown;
}

/** The ops this loader registers kernels for: a library without all of them is from an older checkout. */
const REQUIRED_OPS = ['SnncNeuronForward', 'SnncNeuronBackward', 'SnncMaxPool', 'SnncMaxPoolGrad', 'SnncAdam'];

/** tfjs-node's backend, structurally: runs a TensorFlow op by name (as its own kernels do). */
interface TfNodeBackend {
  binding: { TF_ATTR_INT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_ATTR_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], numOutputs: number): tf.TensorInfo[];
}
interface OpAttr {
  name: string;
  type: number;
  value: number | number[] | string | boolean;
}

/** How loading went: `loaded`, or why the tfjs-ops path stays (for the backend's detail line). */
export type NativeOpsStatus = { kind: 'loaded'; kernels: number } | { kind: 'absent' } | { kind: 'stale' } | { kind: 'failed'; reason: string };

let status: NativeOpsStatus | null = null;

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`native op: missing input \`${name}\``);
  return t;
}

function forward({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const b = backend as unknown as TfNodeBackend;
  const a = fusedAttrs(attrs);
  const n = forwardOutputs(a);
  const op: OpAttr[] = [
    { name: 'num_outputs', type: b.binding.TF_ATTR_INT, value: n },
    { name: 'hash', type: b.binding.TF_ATTR_STRING, value: a.hash },
    // Shortest round-trip decimals: strtod reads back the exact doubles (a float attribute would round).
    { name: 'constants', type: b.binding.TF_ATTR_STRING, value: a.constants.map(String).join(' ') },
    { name: 'steps', type: b.binding.TF_ATTR_INT, value: a.steps },
    { name: 'static_input', type: b.binding.TF_ATTR_BOOL, value: a.staticInput },
    { name: 'refractory_steps', type: b.binding.TF_ATTR_INT, value: a.refractorySteps },
  ];
  return b.executeMultipleOutputs('SnncNeuronForward', op, [input(inputs, 'x')], n);
}

function backward({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const b = backend as unknown as TfNodeBackend;
  const a = fusedAttrs(attrs);
  const saved = savedNames(a).map((name) => input(inputs, name));
  const dy = input(inputs, 'dy');
  // The op always takes an x; neurons whose backward does not read it get dy in its place.
  const x = a.readsInput ? input(inputs, 'x') : dy;
  const op: OpAttr[] = [
    { name: 'num_saved', type: b.binding.TF_ATTR_INT, value: saved.length },
    { name: 'hash', type: b.binding.TF_ATTR_STRING, value: a.hash },
    { name: 'constants', type: b.binding.TF_ATTR_STRING, value: a.constants.map(String).join(' ') },
    { name: 'steps', type: b.binding.TF_ATTR_INT, value: a.steps },
    { name: 'static_input', type: b.binding.TF_ATTR_BOOL, value: a.staticInput },
    { name: 'surrogate', type: b.binding.TF_ATTR_STRING, value: `${a.surrogate.kind} ${a.surrogate.alpha}` },
  ];
  return b.executeMultipleOutputs('SnncNeuronBackward', op, [dy, ...saved, x], 1)[0]!;
}

/** The max pool's window and stride: tfjs attribute -> op attribute. */
const POOL_ATTRS = [
  ['kernelH', 'kernel_h'],
  ['kernelW', 'kernel_w'],
  ['strideH', 'stride_h'],
  ['strideW', 'stride_w'],
] as const;

function poolAttrs(b: TfNodeBackend, attrs: tf.NamedAttrMap | undefined): OpAttr[] {
  return POOL_ATTRS.map(([from, name]) => ({ name, type: b.binding.TF_ATTR_INT, value: attrs?.[from] as number }));
}

function maxPool({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const b = backend as unknown as TfNodeBackend;
  return b.executeMultipleOutputs('SnncMaxPool', poolAttrs(b, attrs), [input(inputs, 'x')], 2);
}

function maxPoolGrad({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const b = backend as unknown as TfNodeBackend;
  const shape = { name: 'input_shape', type: b.binding.TF_ATTR_INT, value: (attrs?.['inputShape'] as number[] | undefined) ?? [] };
  return b.executeMultipleOutputs('SnncMaxPoolGrad', [...poolAttrs(b, attrs), shape], [input(inputs, 'dy'), input(inputs, 'argmax')], 1)[0]!;
}

/** The Adam attributes: tfjs attribute -> op attribute (float32, as the ops path's scalars). */
const ADAM_ATTRS = [
  ['beta1', 'beta1'],
  ['oneMinusBeta1', 'one_minus_beta1'],
  ['beta2', 'beta2'],
  ['oneMinusBeta2', 'one_minus_beta2'],
  ['eps', 'eps'],
] as const;

function adamStep({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const b = backend as unknown as TfNodeBackend;
  const op: OpAttr[] = ADAM_ATTRS.map(([from, name]) => {
    const value = attrs?.[from];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`SnncAdam: attribute ${from} must be a finite number`);
    return { name, type: b.binding.TF_ATTR_FLOAT, value };
  });
  op.push({ name: 'decay_mode', type: b.binding.TF_ATTR_STRING, value: String(attrs?.['decayMode']) });
  const ins = ['p', 'm', 'v', 'g', 'scalars'].map((name) => input(inputs, name));
  return b.executeMultipleOutputs('SnncAdam', op, ins, 3);
}

/**
 * Loads the native ops into TensorFlow and registers them as the `tensorflow` backend's fused
 * neuron kernels; call after tfjs-node has loaded (it loads the TensorFlow library they link).
 * Never throws: without the library (not built, or built from other kernel sources) the
 * backend keeps running neuron plans as tfjs ops. SNNC_NATIVE_OPS=0 turns it off.
 */
export function loadNativeOps(): NativeOpsStatus {
  if (status !== null) return status;
  if (process.env['SNNC_NATIVE_OPS'] === '0') return (status = { kind: 'failed', reason: 'SNNC_NATIVE_OPS=0' });
  let ops: NativeOps;
  try {
    ops = createRequire(import.meta.url)(NATIVE_OPS_PATH) as NativeOps;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND') return (status = { kind: 'absent' });
    return (status = { kind: 'failed', reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
  }
  // Built from other kernel sources than this runtime's (a pull without a rebuild): its kernels
  // might not be the maths this runtime's plans mean, or it lacks an op added since.
  if (ops.digest !== NATIVE_NEURON_KERNELS_DIGEST) return (status = { kind: 'stale' });
  const has = new Set(Array.isArray(ops.ops) ? ops.ops : []);
  if (REQUIRED_OPS.some((op) => !has.has(op))) return (status = { kind: 'stale' });
  for (const kernelName of [NEURON_FORWARD, NEURON_BACKWARD]) {
    if (tf.getKernel(kernelName, 'tensorflow') !== undefined) tf.unregisterKernel(kernelName, 'tensorflow');
  }
  registerNativeFusedKernels('tensorflow', new Set(ops.kernels), forward as tf.KernelFunc, backward as tf.KernelFunc);
  for (const [kernelName, kernelFunc] of [
    [ARGMAX_MAX_POOL, maxPool],
    [ARGMAX_MAX_POOL_GRAD, maxPoolGrad],
    [ADAM_KERNEL, adamStep],
  ] as const) {
    if (tf.getKernel(kernelName, 'tensorflow') === undefined) tf.registerKernel({ kernelName, backendName: 'tensorflow', kernelFunc: kernelFunc as tf.KernelFunc });
  }
  return (status = { kind: 'loaded', kernels: ops.kernels.length });
}

/** A few words for the backend's detail line. */
export function describeNativeOps(s: NativeOpsStatus): string {
  switch (s.kind) {
    case 'loaded':
      return 'native neuron ops';
    case 'absent':
      return 'neuron ops as tfjs ops (tools/build-native-ops.sh builds native ones)';
    case 'stale':
      return 'neuron ops as tfjs ops (native ops built from older kernels: rerun tools/build-native-ops.sh)';
    case 'failed':
      return `neuron ops as tfjs ops (native ops: ${s.reason})`;
    default:
      return assertNever(s);
  }
}
