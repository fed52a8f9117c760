import { createRequire } from 'node:module';
import { gradientsRegistered } from '../../kernels/gradients.js';

/**
 * Registers tfjs's gradient functions in Node. tfjs-core's CommonJS build leaves them out
 * (they are an ESM side-effect module with extensionless imports Node cannot load), and the
 * `@tensorflow/tfjs` umbrella's Node build carries them. It registers into the same global
 * registry as our tfjs-core, which it requires (one shared instance, checked in tests).
 */
export function registerNodeGradients(): void {
  if (gradientsRegistered()) return;
  createRequire(import.meta.url)('@tensorflow/tfjs');
  if (!gradientsRegistered()) throw new Error('registerNodeGradients: @tensorflow/tfjs loaded but registered no gradients');
}
