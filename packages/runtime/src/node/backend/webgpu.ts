import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { registerWebgpuNeuronKernels } from '../../kernels/webgpu/neuron_kernels.js';

/**
 * tfjs's `webgpu` backend in plain Node, on Dawn through the `webgpu` npm package
 * (dawn.node). We pick the adapter ourselves instead of letting tfjs's own factory call
 * `navigator.gpu.requestAdapter()`: that way a CPU (software) adapter is refused unless
 * asked for, Dawn's OpenGL ES backend can be requested in compatibility mode, and the
 * adapter's name is known for the run record. The backend is registered with tfjs only once
 * a device exists, so a failure never leaves a half-initialised `webgpu` as tfjs's
 * highest-priority backend (a failed setBackend('webgpu') otherwise makes every later op
 * throw "has not yet been initialized").
 *
 * Environment:
 * - SNNC_WEBGPU_ALLOW_FALLBACK=1: an explicit `--backend webgpu` accepts a software adapter
 *   (lavapipe/llvmpipe/SwiftShader), for tests on CPU-only machines. `auto` never does.
 * - SNNC_WEBGPU_DAWN=vulkan|opengles (comma list): which Dawn backends to try, in order
 *   (default: vulkan, then opengles; `auto` tries vulkan only).
 *
 * `auto` must not load a driver into this process unless it will be used: Mesa's drivers
 * (llvmpipe, lavapipe) bring their own LLVM, and a tfjs-node (TensorFlow) loaded after them
 * segfaults (seen here with Mesa 22.3.6 and TensorFlow 2.21). So `auto` first looks for a
 * hardware Vulkan ICD manifest on disk (no driver loaded), then asks Dawn in a child
 * process, and only on a hardware adapter there creates the device here.
 */

export type DawnBackend = 'vulkan' | 'opengles';
export const DAWN_BACKENDS: readonly DawnBackend[] = ['vulkan', 'opengles'];

export interface WebgpuLoadOptions {
  /** Accept a software (CPU) adapter when no hardware adapter exists. */
  allowSoftware: boolean;
  /**
   * Check for a hardware adapter out of process before loading any driver here (what
   * `auto` does, since another backend may be loaded after a refusal).
   */
  probeFirst?: boolean;
  /** Dawn backends to try, in order; default from SNNC_WEBGPU_DAWN or DAWN_BACKENDS. */
  dawnBackends?: readonly DawnBackend[];
}

/** What is known about the adapter in use, for printing and for tests. */
export interface WebgpuAdapterSummary {
  dawnBackend: DawnBackend;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Why the adapter counts as software (CPU), or null for a hardware GPU. */
  software: string | null;
  featureLevel: 'core' | 'compatibility';
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

interface Found {
  gpu: GPU;
  adapter: GPUAdapter;
  summary: WebgpuAdapterSummary;
}

/** The last out-of-process probe (`auto`), by the settings it ran under. */
let probeCache: { key: string; result: WebgpuAdapterSummary | string } | null = null;

/** The adapter tfjs's `webgpu` backend was created on in this process, if any. */
let active: WebgpuAdapterSummary | null = null;

export function activeWebgpuAdapter(): WebgpuAdapterSummary | null {
  return active;
}

/** Parses SNNC_WEBGPU_DAWN; throws on an unknown name so a typo is not silently ignored. */
export function dawnBackendsFromEnv(value: string | undefined): readonly DawnBackend[] {
  if (value === undefined || value.trim() === '') return DAWN_BACKENDS;
  return value.split(',').map((raw) => {
    const v = raw.trim();
    if (v !== 'vulkan' && v !== 'opengles') throw new Error(`SNNC_WEBGPU_DAWN: expected vulkan or opengles, got \`${v}\``);
    return v;
  });
}

/**
 * Why an adapter is a software (CPU) implementation, or null for a hardware GPU. Dawn flags
 * lavapipe as a fallback adapter, but its OpenGL ES adapter on Mesa's llvmpipe reports
 * isFallbackAdapter false with an empty vendor, so the names are checked too.
 */
export function softwareAdapterReason(info: Pick<WebgpuAdapterSummary, 'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'>): string | null {
  if (info.isFallbackAdapter) return 'a fallback adapter';
  if (info.architecture.toLowerCase() === 'software') return 'architecture `software`';
  const names = `${info.vendor} ${info.device} ${info.description}`;
  const m = /llvmpipe|lavapipe|softpipe|swiftshader|software rasterizer|microsoft basic render/i.exec(names);
  return m === null ? null : `a software rasterizer (${m[0]})`;
}

/** The adapter's name for printing: the most specific of description, device, vendor. */
export function adapterName(s: Pick<WebgpuAdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): string {
  const parts = [s.description, s.device, [s.vendor, s.architecture].filter((p) => p !== '').join(' ')].filter((p) => p.trim() !== '');
  return parts[0] ?? 'unnamed adapter';
}

/** `webgpu (NVIDIA H200, Dawn vulkan)`; a software adapter says so. */
export function webgpuDetail(s: WebgpuAdapterSummary): string {
  const extra = [`Dawn ${s.dawnBackend}`];
  if (s.featureLevel === 'compatibility') extra.push('compatibility mode');
  if (s.software !== null) extra.push(`software: ${s.software}`);
  return `webgpu (${adapterName(s)}; ${extra.join(', ')})`;
}

async function importDawn(): Promise<DawnModule> {
  // A variable specifier keeps TypeScript from pulling in the package's global WebGPU
  // typings, which clash with lib.dom's.
  const spec = 'webgpu';
  try {
    return (await import(spec)) as DawnModule;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new Error(`the \`webgpu\` package (Dawn for Node) does not load: ${msg}`);
  }
}

/** GPUBufferUsage, GPUMapMode, ...: tfjs's webgpu backend uses them as globals. */
function installGlobals(globals: Record<string, unknown>): void {
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(globals)) if (!(k in g)) g[k] = v;
}

async function requestAdapter(dawn: DawnModule, backend: DawnBackend): Promise<Found | string> {
  const featureLevel = backend === 'opengles' ? 'compatibility' : 'core';
  // Dawn's GL backend needs an EGL display without a window system.
  if (backend === 'opengles') process.env['EGL_PLATFORM'] ??= 'surfaceless';
  let adapter: GPUAdapter | null;
  let gpu: GPU;
  try {
    gpu = dawn.create([`backend=${backend}`]);
    // featureLevel is newer than lib.dom's GPURequestAdapterOptions; Dawn's GL backends offer
    // only compatibility-mode adapters and return null without it.
    const opts = { powerPreference: 'high-performance', featureLevel } as GPURequestAdapterOptions;
    adapter = await gpu.requestAdapter(opts);
  } catch (e) {
    return `${backend}: ${e instanceof Error ? e.message.split('\n')[0]! : String(e)}`;
  }
  if (adapter === null) return `${backend}: no adapter`;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const base = {
    dawnBackend: backend,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter === true,
    featureLevel,
  } as const;
  return { gpu, adapter, summary: { ...base, software: softwareAdapterReason(base) } };
}

/** The same device features and limits tfjs-backend-webgpu 4.22's own factory asks for. */
async function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const l = adapter.limits;
  return adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
}

/**
 * Makes `webgpu` the active tfjs backend and registers the fused neuron kernels for it.
 * Returns the detail string (adapter name), or throws an Error whose message is the reason;
 * on any failure tfjs's active backend is left as it was and `webgpu` is not registered.
 */
export async function loadWebgpu(opts: WebgpuLoadOptions): Promise<string> {
  if (active !== null && tf.engine().registry['webgpu'] !== undefined) {
    if (active.software !== null && !opts.allowSoftware) throw new Error(refusal([], active));
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to re-activate');
    return webgpuDetail(active);
  }
  pointLoaderAtNvidiaIcd();
  let order = opts.dawnBackends ?? dawnBackendsFromEnv(process.env['SNNC_WEBGPU_DAWN']);
  if (opts.probeFirst === true) {
    order = order.filter((b) => b === 'vulkan');
    const hw = vulkanIcds().filter((m) => m.software === null);
    if (order.length === 0) throw new Error('auto tries only Dawn\'s Vulkan backend (SNNC_WEBGPU_DAWN excludes it)');
    if (hw.length === 0) throw new Error('no hardware Vulkan driver (ICD manifest) found; see docs/gpu.md');
    // One probe per process and driver setting: auto may be asked for many times (tests, sweeps).
    const key = JSON.stringify([order, process.env['VK_DRIVER_FILES'], process.env['VK_ICD_FILENAMES'], hw.map((m) => m.file)]);
    if (probeCache?.key !== key) probeCache = { key, result: probeOutOfProcess(order) };
    const probed = probeCache.result;
    if (typeof probed === 'string') throw new Error(probed);
  }
  const dawn = await importDawn();
  installGlobals(dawn.globals);
  const reasons: string[] = [];
  let software: Found | null = null;
  let chosen: Found | null = null;
  for (const backend of order) {
    const r = await requestAdapter(dawn, backend);
    if (typeof r === 'string') {
      reasons.push(r);
      continue;
    }
    if (r.summary.software === null) {
      chosen = r;
      break;
    }
    software ??= r;
    reasons.push(`${backend}: ${adapterName(r.summary)} is ${r.summary.software}`);
  }
  if (chosen === null && software !== null && opts.allowSoftware) chosen = software;
  if (chosen === null) throw new Error(refusal(reasons, software?.summary ?? null));

  const device = await requestDevice(chosen.adapter);
  // tfjs's WebGPUBackend refuses to construct without navigator.gpu (Node 20 has no
  // navigator at all; Node 21+ has one without gpu).
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown };
  if (nav.gpu === undefined) Object.defineProperty(nav, 'gpu', { value: chosen.gpu, configurable: true, writable: true });
  let backendInstance: tf.KernelBackend;
  try {
    // Imported only now: the package is large and only this path needs it. Its own factory
    // (registered at import when navigator.gpu exists) is replaced by ours below.
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    backendInstance = new WebGPUBackend(device, chosen.adapter.info);
  } catch (e) {
    device.destroy();
    releaseNavigatorGpu(chosen.gpu);
    throw new Error(`tfjs's webgpu backend cannot be created: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  // Priority 0: never chosen implicitly; loadBackend always names the backend it wants.
  tf.registerBackend('webgpu', () => backendInstance, 0);
  let ok = false;
  try {
    ok = await tf.setBackend('webgpu');
  } catch (e) {
    ok = false;
    reasons.push(e instanceof Error ? e.message : String(e));
  }
  if (!ok) {
    tf.removeBackend('webgpu');
    device.destroy();
    releaseNavigatorGpu(chosen.gpu);
    throw new Error(`the webgpu backend failed to initialise on ${adapterName(chosen.summary)}${reasons.length ? ` (${reasons.join('; ')})` : ''}`);
  }
  registerWebgpuNeuronKernels();
  active = chosen.summary;
  return webgpuDetail(chosen.summary);
}

function refusal(reasons: string[], software: WebgpuAdapterSummary | null): string {
  const head = software === null ? 'no WebGPU adapter' : 'only a software WebGPU adapter';
  const hint =
    software === null
      ? 'on a GPU machine check the Vulkan loader and the NVIDIA ICD (VK_DRIVER_FILES), see docs/gpu.md'
      : 'set SNNC_WEBGPU_ALLOW_FALLBACK=1 with --backend webgpu to use it anyway (tests only; it is slower than wasm)';
  return `${head}${reasons.length ? ` (${reasons.join('; ')})` : ''}: ${hint}`;
}

/**
 * On hosts where NVIDIA's ICD sits outside the loader's default directories, point the
 * loader at it (it reads these variables when Dawn creates its Vulkan instance). Does
 * nothing when either variable is already set.
 */
function pointLoaderAtNvidiaIcd(): void {
  if (process.env['VK_DRIVER_FILES'] !== undefined || process.env['VK_ICD_FILENAMES'] !== undefined) return;
  const nvidia = vulkanIcds().find((m) => m.software === null && NVIDIA_ICD_DIRS.some((d) => m.file.startsWith(d + '/')));
  if (nvidia === undefined) return;
  process.env['VK_DRIVER_FILES'] = nvidia.file;
  process.env['VK_ICD_FILENAMES'] = nvidia.file;
}

/**
 * Asks Dawn for adapters in a child Node process, so no driver is loaded here. Returns
 * the hardware adapter's summary, or the reason there is none.
 */
function probeOutOfProcess(order: readonly DawnBackend[]): WebgpuAdapterSummary | string {
  let url: string;
  try {
    url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return 'the `webgpu` package (Dawn for Node) is not installed';
  }
  const code = `
    const { create } = await import(${JSON.stringify(url)});
    const out = [];
    for (const b of ${JSON.stringify(order)}) {
      try {
        const a = await create(['backend=' + b]).requestAdapter({ powerPreference: 'high-performance' });
        if (a === null) { out.push({ backend: b, none: true }); continue; }
        const i = a.info;
        out.push({ backend: b, vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '',
          description: i.description ?? '', isFallbackAdapter: i.isFallbackAdapter === true });
      } catch (e) { out.push({ backend: b, error: String(e && e.message || e) }); }
    }
    process.stdout.write('SNNC_PROBE ' + JSON.stringify(out) + '\\n');
    process.exit(0);
  `;
  // Dawn and the driver start in well under a second; 30 s allows for a loaded machine.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000, env: process.env });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('SNNC_PROBE '));
  if (line === undefined) {
    const why = r.error?.message ?? (r.signal !== null ? `killed by ${r.signal}` : `exit code ${r.status}`);
    return `the WebGPU probe process failed (${why})`;
  }
  const found = JSON.parse(line.slice('SNNC_PROBE '.length)) as Array<Partial<WebgpuAdapterSummary> & { backend: DawnBackend; none?: boolean; error?: string }>;
  const reasons: string[] = [];
  for (const f of found) {
    if (f.none === true) reasons.push(`${f.backend}: no adapter`);
    else if (f.error !== undefined) reasons.push(`${f.backend}: ${f.error}`);
    else {
      const base = {
        dawnBackend: f.backend,
        vendor: f.vendor ?? '',
        architecture: f.architecture ?? '',
        device: f.device ?? '',
        description: f.description ?? '',
        isFallbackAdapter: f.isFallbackAdapter === true,
        featureLevel: 'core',
      } as const;
      const software = softwareAdapterReason(base);
      if (software === null) return { ...base, software };
      reasons.push(`${f.backend}: ${adapterName(base)} is ${software}`);
    }
  }
  return `no hardware WebGPU adapter (${reasons.join('; ') || 'none found'})`;
}

/** Removes navigator.gpu if we installed it: a live GPU object can keep Node from exiting. */
function releaseNavigatorGpu(gpu: GPU): void {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav !== undefined && nav.gpu === gpu) delete nav.gpu;
}

// ---- Vulkan ICD manifests ------------------------------------------------------------------

/**
 * Vulkan driver (ICD) manifests as the Khronos loader finds them on Linux, read without
 * loading any driver. `auto` uses this to skip WebGPU cheaply on machines with no hardware
 * Vulkan driver, before Dawn (and with it a driver such as Mesa's, whose LLVM crashes a
 * later-loaded TensorFlow in the same process) is ever loaded.
 */
export interface IcdManifest {
  file: string;
  /** `ICD.library_path`, as written (a bare soname or a path). */
  library: string;
  /** Why it is a software (CPU) driver, or null. */
  software: string | null;
}

/** Where NVIDIA's container toolkit puts the ICD on some GPU hosts: not a loader default. */
export const NVIDIA_ICD_DIRS = ['/usr/local/nvidia/share/vulkan/icd.d'];

/** The loader's default search directories (Vulkan-Loader docs, Linux), plus NVIDIA_ICD_DIRS. */
export function icdSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = os.homedir();
  const configDirs = [env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), ...(env['XDG_CONFIG_DIRS'] ?? '/etc/xdg').split(':')];
  const dataDirs = [env['XDG_DATA_HOME'] ?? path.join(home, '.local/share'), ...(env['XDG_DATA_DIRS'] ?? '/usr/local/share:/usr/share').split(':')];
  return [
    ...configDirs.map((d) => path.join(d, 'vulkan/icd.d')),
    '/etc/vulkan/icd.d',
    ...dataDirs.map((d) => path.join(d, 'vulkan/icd.d')),
    ...NVIDIA_ICD_DIRS,
  ].filter((d) => d !== '' && path.isAbsolute(d));
}

export function softwareIcdReason(library: string): string | null {
  const m = /lvp|lavapipe|swiftshader|llvmpipe/i.exec(path.basename(library));
  return m === null ? null : `software driver (${path.basename(library)})`;
}

function readManifest(file: string): IcdManifest | null {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: unknown } };
    const library = j.ICD?.library_path;
    if (typeof library !== 'string') return null;
    return { file, library, software: softwareIcdReason(library) };
  } catch {
    return null; // unreadable or not JSON: the loader skips it too
  }
}

function manifestsIn(entry: string): IcdManifest[] {
  if (!existsSync(entry)) return [];
  if (statSync(entry).isFile()) {
    const m = readManifest(entry);
    return m === null ? [] : [m];
  }
  const out: IcdManifest[] = [];
  for (const f of readdirSync(entry).sort()) {
    if (!f.endsWith('.json')) continue;
    const m = readManifest(path.join(entry, f));
    if (m !== null) out.push(m);
  }
  return out;
}

/**
 * The manifests the loader would use: VK_DRIVER_FILES (or the older VK_ICD_FILENAMES), a
 * colon-separated list of files or directories, replaces the search; otherwise the default
 * directories (plus VK_ADD_DRIVER_FILES).
 */
export function vulkanIcds(env: NodeJS.ProcessEnv = process.env): IcdManifest[] {
  const explicit = env['VK_DRIVER_FILES'] ?? env['VK_ICD_FILENAMES'];
  const entries = explicit !== undefined && explicit !== '' ? explicit.split(':') : [...(env['VK_ADD_DRIVER_FILES'] ?? '').split(':'), ...icdSearchDirs(env)];
  const seen = new Set<string>();
  const out: IcdManifest[] = [];
  for (const e of entries.filter((x) => x !== '')) {
    for (const m of manifestsIn(e)) {
      if (seen.has(m.file)) continue;
      seen.add(m.file);
      out.push(m);
    }
  }
  return out;
}
