import { createRequire } from 'node:module';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

export interface MachineInfo {
  cpus: number;
  cpu_model: string;
  platform: string;
  arch: string;
  total_memory_bytes: number;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    total_memory_bytes: os.totalmem(),
    node: process.version,
  };
}

/** The version of snnc's runtime package (the toolchain's packages share one version). */
export function snncVersion(): string {
  const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
  return pkg.version;
}

/** Peak memory seen while training: process RSS and tfjs's tensor bytes, sampled per batch. */
export class MemoryPeaks {
  rssBytes = 0;
  tfBytes = 0;
  tfTensors = 0;

  sample(numBytes?: number, numTensors?: number): void {
    const mem = numBytes === undefined ? tf.memory() : { numBytes, numTensors: numTensors ?? 0 };
    this.tfBytes = Math.max(this.tfBytes, mem.numBytes);
    this.tfTensors = Math.max(this.tfTensors, mem.numTensors);
    this.rssBytes = Math.max(this.rssBytes, process.memoryUsage.rss());
  }

  /** The OS's own peak RSS of this process (includes moments between samples). */
  maxRssBytes(): number {
    return Math.max(this.rssBytes, process.resourceUsage().maxRSS * 1024);
  }
}
