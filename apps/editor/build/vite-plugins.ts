import type { Plugin } from 'vite';
import { buildMnistAsset } from './mnist-asset.js';

export const MNIST_ASSET_NAME = 'mnist-subset.bin';

/**
 * Serves (dev) and emits (build) the MNIST subset as `mnist-subset.bin` next to index.html;
 * the training worker fetches it relative to the page.
 */
export function mnistSubsetPlugin(): Plugin {
  let bytes: Uint8Array | undefined;
  const get = () => (bytes ??= buildMnistAsset());
  return {
    name: 'snnc-mnist-subset',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0]?.endsWith(`/${MNIST_ASSET_NAME}`)) {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(get());
          return;
        }
        next();
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MNIST_ASSET_NAME, source: get() });
    },
  };
}
