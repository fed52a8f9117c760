export { BACKEND_REQUESTS, loadBackend, tensorflowWithNativeOps, type BackendName, type BackendRequest, type LoadedBackend } from './load.js';
export { registerNodeGradients } from './gradients.js';
export { activeWebgpuAdapter, type WebgpuAdapterSummary } from './webgpu.js';
export { describeNativeOps, loadNativeOps, NATIVE_OPS_PATH, type NativeOpsStatus } from './tf_native_ops.js';
