import type { Experiment } from '@snnc/ir';
import { AllReduce, createAllReduce } from './all-reduce.js';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol.js';
import type { GradientReplicas, ShardRequest, ShardResult } from './replicas.js';

/** One replica thread as the trainer sees it: Node's worker_threads and Web Workers adapt to this. */
export interface ReplicaPort {
  post(m: ToReplica): void;
  onMessage(f: (m: FromReplica) => void): void;
  /** `f` is called when the thread fails or ends without being asked to. */
  onFailure(f: (message: string) => void): void;
  terminate(): Promise<void>;
}

/**
 * Float64 values one batch-norm reduction may carry: the widest layer of the model, at least
 * this many.
 */
const MIN_REDUCE_CAPACITY = 4096;

function reduceCapacity(e: Experiment): number {
  let widest = 1;
  for (const l of e.model.layers) for (const d of l.outShape) widest = Math.max(widest, d);
  return Math.max(MIN_REDUCE_CAPACITY, widest);
}

type Pending = { results: (ShardResult | undefined)[]; left: number; resolve: (r: ShardResult[]) => void; reject: (e: Error) => void };

/** Data-parallel replicas in threads, one tfjs backend each (see GradientReplicas). */
export class ReplicaGroup implements GradientReplicas {
  private closed = false;
  /** The step in flight: a replica that dies or fails rejects it. */
  private pending: Pending | null = null;

  protected constructor(
    readonly replicas: number,
    readonly reducer: AllReduce,
    private readonly ports: ReplicaPort[],
  ) {
    ports.forEach((p, i) => {
      p.onMessage((m) => this.onMessage(i, m));
      p.onFailure((message) => {
        if (!this.closed) this.fail(new Error(`replica ${i + 1}: ${message}`));
      });
    });
  }

  /**
   * Starts `replicas - 1` threads with `spawn` (the trainer is replica 0) and resolves when every
   * one has built its network; a thread that cannot start stops them all and rejects.
   */
  static async launch(
    replicas: number,
    base: Omit<ReplicaInit, 'rank' | 'reduce'>,
    spawn: (init: ReplicaInit) => ReplicaPort,
  ): Promise<ReplicaGroup> {
    if (!Number.isInteger(replicas) || replicas < 2) throw new Error(`ReplicaGroup: need at least 2 replicas, got ${replicas}`);
    const handle = createAllReduce(replicas, reduceCapacity(base.experiment));
    const ports: ReplicaPort[] = [];
    const ready: Promise<void>[] = [];
    for (let rank = 1; rank < replicas; rank++) {
      const port = spawn({ ...base, rank, reduce: handle });
      ports.push(port);
      ready.push(
        new Promise<void>((resolve, reject) => {
          port.onMessage((m) => {
            if (m.kind === 'ready') resolve();
            else reject(new Error(`replica ${rank} failed to start: ${m.kind === 'error' ? m.message : m.kind}`));
          });
          port.onFailure((message) => reject(new Error(`replica ${rank} failed to start: ${message}`)));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(ports.map((p) => p.terminate()));
      throw e;
    }
    return new ReplicaGroup(replicas, new AllReduce(handle, 0), ports);
  }

  compute(requests: ShardRequest[]): Promise<ShardResult[]> {
    if (this.closed) return Promise.reject(new Error('ReplicaGroup: closed'));
    if (this.pending !== null) return Promise.reject(new Error('ReplicaGroup: a step is already running'));
    if (requests.length !== this.ports.length) return Promise.reject(new Error(`ReplicaGroup: ${requests.length} shards for ${this.ports.length} replica threads`));
    return new Promise<ShardResult[]>((resolve, reject) => {
      this.pending = { results: requests.map(() => undefined), left: requests.length, resolve, reject };
      requests.forEach((request, i) => this.ports[i]!.post({ kind: 'step', request }));
    });
  }

  abort(): void {
    this.reducer.abort();
  }

  /** Stops the threads; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('ReplicaGroup: closed'));
    await Promise.all(this.ports.map((p) => p.terminate()));
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
