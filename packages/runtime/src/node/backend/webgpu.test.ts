import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { isSnncError } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { fusedNeuronAvailable } from '../../kernels/fused_neuron.js';
import { loadBackend } from './load.js';
import {
  activeWebgpuAdapter,
  adapterName,
  dawnBackendsFromEnv,
  loadWebgpu,
  softwareAdapterReason,
  vulkanIcds,
  webgpuDetail,
  type WebgpuAdapterSummary,
} from './webgpu.js';

const llvmpipeGl = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6', isFallbackAdapter: false };
const lavapipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7', isFallbackAdapter: true };
const h200 = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 570.124.06', isFallbackAdapter: false };

function icdDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snnc-icd-'));
  for (const [name, lib] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: lib, api_version: '1.3.0' } }));
  }
  return dir;
}

describe('adapter classification', () => {
  it('software: Dawn fallback adapters, architecture software, and llvmpipe behind GL (which is not flagged)', () => {
    expect(softwareAdapterReason(lavapipe)).toBe('a fallback adapter');
    expect(softwareAdapterReason({ ...lavapipe, isFallbackAdapter: false })).toBe('architecture `software`');
    expect(softwareAdapterReason(llvmpipeGl)).toBe('a software rasterizer (llvmpipe)');
    expect(softwareAdapterReason({ ...h200, device: 'SwiftShader Device (Subzero)' })).toMatch(/SwiftShader/);
    expect(softwareAdapterReason(h200)).toBeNull();
  });

  it('names and details', () => {
    expect(adapterName(h200)).toBe('NVIDIA: 570.124.06');
    expect(adapterName({ vendor: 'nvidia', architecture: 'hopper', device: '', description: '' })).toBe('nvidia hopper');
    expect(adapterName({ vendor: '', architecture: '', device: '', description: '' })).toBe('unnamed adapter');
    const s: WebgpuAdapterSummary = { ...h200, dawnBackend: 'vulkan', software: null, featureLevel: 'core' };
    expect(webgpuDetail(s)).toBe('webgpu (NVIDIA: 570.124.06; Dawn vulkan)');
    expect(webgpuDetail({ ...s, ...llvmpipeGl, dawnBackend: 'opengles', featureLevel: 'compatibility', software: 'x' })).toBe(
      'webgpu (OpenGL version OpenGL ES 3.2 Mesa 22.3.6; Dawn opengles, compatibility mode, software: x)',
    );
  });

  it('SNNC_WEBGPU_DAWN: default order, a list, and a typo rejected', () => {
    expect(dawnBackendsFromEnv(undefined)).toEqual(['vulkan', 'opengles']);
    expect(dawnBackendsFromEnv('opengles, vulkan')).toEqual(['opengles', 'vulkan']);
    expect(() => dawnBackendsFromEnv('metal')).toThrow(/expected vulkan or opengles, got `metal`/);
  });
});

describe('Vulkan ICD manifests', () => {
  it('VK_DRIVER_FILES (files or directories) replaces the search; software drivers are marked', () => {
    const dir = icdDir({ 'lvp_icd.x86_64.json': '/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so', 'nvidia_icd.json': 'libGLX_nvidia.so.0', 'broken.json': '{' });
    writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    const icds = vulkanIcds({ VK_DRIVER_FILES: dir });
    expect(icds.map((m) => [path.basename(m.file), m.software])).toEqual([
      ['lvp_icd.x86_64.json', 'software driver (libvulkan_lvp.so)'],
      ['nvidia_icd.json', null],
    ]);
    expect(vulkanIcds({ VK_ICD_FILENAMES: path.join(dir, 'nvidia_icd.json') }).map((m) => m.library)).toEqual(['libGLX_nvidia.so.0']);
  });

  it('the default search reads XDG data dirs', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'snnc-xdg-'));
    mkdirSync(path.join(root, 'vulkan/icd.d'), { recursive: true });
    writeFileSync(path.join(root, 'vulkan/icd.d/radeon_icd.json'), JSON.stringify({ ICD: { library_path: 'libvulkan_radeon.so' } }));
    const found = vulkanIcds({ XDG_DATA_DIRS: root, XDG_DATA_HOME: root, XDG_CONFIG_HOME: root, XDG_CONFIG_DIRS: root });
    expect(found.some((m) => m.library === 'libvulkan_radeon.so' && m.software === null)).toBe(true);
  });
});

describe('loading', () => {
  // These run before anything loads a driver into this process (see webgpu.ts on Mesa + TensorFlow).
  it('auto-style probing without a hardware ICD refuses without loading Dawn', async () => {
    const dir = icdDir({ 'lvp_icd.json': 'libvulkan_lvp.so' });
    const saved = process.env['VK_DRIVER_FILES'];
    process.env['VK_DRIVER_FILES'] = dir;
    try {
      await expect(loadWebgpu({ allowSoftware: false, probeFirst: true })).rejects.toThrow(/no hardware Vulkan driver/);
    } finally {
      if (saved === undefined) delete process.env['VK_DRIVER_FILES'];
      else process.env['VK_DRIVER_FILES'] = saved;
    }
    expect(activeWebgpuAdapter()).toBeNull();
  });

  it('auto-style probing with a hardware ICD manifest asks Dawn in a child process (here: no such driver)', async () => {
    const dir = icdDir({ 'fake_gpu.json': '/nonexistent/libvulkan_fakegpu.so' });
    const saved = process.env['VK_DRIVER_FILES'];
    process.env['VK_DRIVER_FILES'] = dir;
    try {
      await expect(loadWebgpu({ allowSoftware: false, probeFirst: true })).rejects.toThrow(/no hardware WebGPU adapter \(vulkan: /);
    } finally {
      if (saved === undefined) delete process.env['VK_DRIVER_FILES'];
      else process.env['VK_DRIVER_FILES'] = saved;
    }
    expect(activeWebgpuAdapter()).toBeNull();
  });

  it('explicit webgpu on a software-only machine: SNN7006 naming the adapter, tfjs left on its backend', async () => {
    await loadBackend('cpu');
    delete process.env['SNNC_WEBGPU_ALLOW_FALLBACK'];
    let err: unknown;
    try {
      await loadBackend('webgpu');
    } catch (e) {
      err = e;
    }
    if (err === undefined) {
      // a machine with a real GPU: nothing to refuse
      expect(activeWebgpuAdapter()?.software).toBeNull();
      return;
    }
    expect(isSnncError(err)).toBe(true);
    if (!isSnncError(err)) return;
    expect(err.code).toBe('SNN7006');
    expect(err.message).toMatch(/^backend `webgpu` cannot be used: (only a software WebGPU adapter|no WebGPU adapter)/);
    expect(tf.getBackend()).toBe('cpu');
    expect(await tf.add(tf.ones([2]), 1).data()).toEqual(new Float32Array([2, 2]));
  });

  it('explicit webgpu with SNNC_WEBGPU_ALLOW_FALLBACK=1: active, named, fused kernels and gradients work', async (ctx) => {
    process.env['SNNC_WEBGPU_ALLOW_FALLBACK'] = '1';
    let b;
    try {
      b = await loadBackend('webgpu');
    } catch (e) {
      console.warn(`webgpu tests skipped: ${e instanceof Error ? e.message : String(e)} (run tools/setup-webgpu-driver.sh)`);
      ctx.skip();
      return;
    }
    expect(b.name).toBe('webgpu');
    expect(b.detail).toMatch(/^webgpu \(.+; Dawn (vulkan|opengles)/);
    expect(tf.getBackend()).toBe('webgpu');
    expect(fusedNeuronAvailable('webgpu')).toBe(true);
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(t)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    // tfjs's synchronous readback needs a canvas, which Node does not have: the trainer must read asynchronously
    const onGpu = tf.mul(g, 2); // not yet read back: its values live only in a GPU buffer
    expect(() => onGpu.dataSync()).toThrow(/OffscreenCanvas/);
    tf.dispose([x, g, onGpu]);
    // switching away and back reuses the device
    await loadBackend('cpu');
    expect((await loadBackend('webgpu')).detail).toBe(b.detail);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});
