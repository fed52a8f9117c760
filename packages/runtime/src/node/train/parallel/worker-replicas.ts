import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Experiment } from '@snnc/ir';
import { ReplicaGroup, type ReplicaInit, type ReplicaPort } from '../../../train/parallel/index.js';
import type { BackendName } from '../../backend/index.js';

export interface WorkerReplicasOptions {
  /** Replicas in all, the trainer's own included: workers - 1 threads are started. */
  workers: number;
  experiment: Experiment;
  classes: number;
  sampleShape: number[];
  backend: BackendName;
}

/** tsx's ESM register API (require.resolve would give its CommonJS build). */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
}

/**
 * How to start a replica thread: the built .js under plain Node; when the runtime runs from its
 * TypeScript sources (its tests), a bootstrap that registers tsx's loader in the new thread and
 * then imports the source (a worker's `--import` does not apply to its entry module on Node 20).
 */
function newReplicaThread(init: ReplicaInit): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./replica-worker${ext}`, import.meta.url);
  if (ext === '.js') return new Worker(fileURLToPath(entry), { workerData: init });
  const tsxApi = pathToFileURL(tsxEsmApi()).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

function nodePort(w: Worker): ReplicaPort {
  let terminating = false;
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => void w.on('message', f),
    onFailure: (f) => {
      w.on('error', (e) => f(e.message));
      w.on('exit', (code) => {
        if (!terminating) f(`exited (code ${code})`);
      });
    },
    terminate: async () => {
      terminating = true;
      await w.terminate();
    },
  };
}

/** Data-parallel replicas in Node worker threads, one tfjs backend each. */
export type WorkerReplicas = ReplicaGroup;

export const WorkerReplicas = {
  /** Starts workers - 1 threads and resolves when every one has built its network. */
  start(o: WorkerReplicasOptions): Promise<ReplicaGroup> {
    const base = { experiment: o.experiment, classes: o.classes, sampleShape: o.sampleShape, backend: o.backend };
    return ReplicaGroup.launch(o.workers, base, (init) => nodePort(newReplicaThread(init)));
  },
};
