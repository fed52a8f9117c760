import * as tf from '@tensorflow/tfjs-core';

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
