import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Experiment } from '@snnc/ir';
import { AllReduce, createAllReduce, type GradientReplicas, type ShardRequest, type ShardResult } from '../../../train/parallel/index.js';
import type { BackendName } from '../../backend/index.js';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol.js';

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

/**
 * Float64 values one batch-norm reduction may carry: the widest channel count any layer
 * could have. Layers are checked against it when the replicas start (a model wider than this
 * gets a bigger buffer).
 */
const MIN_REDUCE_CAPACITY = 4096;

function reduceCapacity(e: Experiment): number {
  let widest = 1;
  for (const l of e.model.layers) for (const d of l.outShape) widest = Math.max(widest, d);
  return Math.max(MIN_REDUCE_CAPACITY, widest);
}

/** Data-parallel replicas in worker threads, one tfjs backend each (see GradientReplicas). */
export class WorkerReplicas implements GradientReplicas {
  readonly replicas: number;
  readonly reducer: AllReduce;
  private readonly workers: Worker[];
  private closed = false;
  /** The step in flight: a worker that dies or fails rejects it. */
  private pending: { results: (ShardResult | undefined)[]; left: number; resolve: (r: ShardResult[]) => void; reject: (e: Error) => void } | null = null;

  private constructor(replicas: number, reducer: AllReduce, workers: Worker[]) {
    this.replicas = replicas;
    this.reducer = reducer;
    this.workers = workers;
    workers.forEach((w, i) => {
      w.on('message', (m: FromReplica) => this.onMessage(i, m));
      w.on('error', (e) => this.fail(new Error(`replica ${i + 1}: ${e.message}`)));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`replica ${i + 1} exited (code ${code})`));
      });
    });
  }

  /** Starts workers - 1 threads and resolves when every one has built its network. */
  static async start(o: WorkerReplicasOptions): Promise<WorkerReplicas> {
    if (!Number.isInteger(o.workers) || o.workers < 2) throw new Error(`WorkerReplicas: need at least 2 replicas, got ${o.workers}`);
    const handle = createAllReduce(o.workers, reduceCapacity(o.experiment));
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let rank = 1; rank < o.workers; rank++) {
      const init: ReplicaInit = { experiment: o.experiment, classes: o.classes, sampleShape: o.sampleShape, backend: o.backend, rank, reduce: handle };
      const w = newReplicaThread(init);
      workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (m: FromReplica): void => {
            w.off('error', onError);
            if (m.kind === 'ready') resolve();
            else reject(new Error(`replica ${rank} failed to start: ${m.kind === 'error' ? m.message : m.kind}`));
          };
          const onError = (e: Error): void => reject(new Error(`replica ${rank} failed to start: ${e.message}`));
          w.once('message', onMessage);
          w.once('error', onError);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new WorkerReplicas(o.workers, new AllReduce(handle, 0), workers);
  }

  compute(requests: ShardRequest[]): Promise<ShardResult[]> {
    if (this.closed) return Promise.reject(new Error('WorkerReplicas: closed'));
    if (this.pending !== null) return Promise.reject(new Error('WorkerReplicas: a step is already running'));
    if (requests.length !== this.workers.length) return Promise.reject(new Error(`WorkerReplicas: ${requests.length} shards for ${this.workers.length} workers`));
    return new Promise<ShardResult[]>((resolve, reject) => {
      this.pending = { results: requests.map(() => undefined), left: requests.length, resolve, reject };
      requests.forEach((request, i) => this.workers[i]!.postMessage({ kind: 'step', request } satisfies ToReplica));
    });
  }

  abort(): void {
    this.reducer.abort();
  }

  /** Stops the threads; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('WorkerReplicas: closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onMessage(i: number, m: FromReplica): void {
    const p = this.pending;
    if (p === null) return;
    switch (m.kind) {
      case 'result':
        p.results[i] = m.result;
        if (--p.left === 0) {
          this.pending = null;
          p.resolve(p.results as ShardResult[]);
        }
        return;
      case 'error':
        this.fail(new Error(`replica ${i + 1}: ${m.message}`));
        return;
      case 'ready':
        return;
    }
  }

  private fail(e: Error): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    this.reducer.abort();
    p.reject(e);
  }
}
