/**
 * A synchronous sum across the replicas of a data-parallel training step (the main thread and
 * its worker threads), through one SharedArrayBuffer and Atomics. Synchronous on purpose: batch
 * norm needs the whole batch's statistics in the middle of a forward (and backward) pass, which
 * tfjs runs as plain synchronous calls. Every replica calls `sum` the same number of times in the
 * same order with vectors of the same length; each gets the same total, added in rank order in
 * float64, so the replicas never drift apart.
 */
export interface CrossReplicaSum {
  readonly rank: number;
  readonly replicas: number;
  /** Element-wise sum of `values` over all replicas (blocks until every replica has called it). */
  sum(values: Float64Array): Float64Array;
}

/** What a replica needs to join: posted to worker threads (a SharedArrayBuffer is shared, not copied). */
export interface AllReduceHandle {
  buffer: SharedArrayBuffer;
  replicas: number;
  /** Float64 values one replica can contribute per call. */
  capacity: number;
}

/** Control words: arrivals at the barrier, its generation, and a flag set when a replica fails. */
const ARRIVED = 0;
const GENERATION = 1;
const BROKEN = 2;
const CONTROL_BYTES = 16;

/** The longest a replica waits for the others at one barrier, ms: a dead replica must not hang training. */
const BARRIER_TIMEOUT_MS = 120_000;

export function createAllReduce(replicas: number, capacity: number): AllReduceHandle {
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`createAllReduce: replicas must be a positive integer, got ${replicas}`);
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`createAllReduce: capacity must be a positive integer, got ${capacity}`);
  return { buffer: new SharedArrayBuffer(CONTROL_BYTES + replicas * capacity * 8), replicas, capacity };
}

export class AllReduce implements CrossReplicaSum {
  private readonly control: Int32Array;
  private readonly slots: Float64Array;

  constructor(
    private readonly handle: AllReduceHandle,
    readonly rank: number,
  ) {
    if (!Number.isInteger(rank) || rank < 0 || rank >= handle.replicas) throw new Error(`AllReduce: rank ${rank} outside 0..${handle.replicas - 1}`);
    this.control = new Int32Array(handle.buffer, 0, CONTROL_BYTES / 4);
    this.slots = new Float64Array(handle.buffer, CONTROL_BYTES, handle.replicas * handle.capacity);
  }

  get replicas(): number {
    return this.handle.replicas;
  }

  sum(values: Float64Array): Float64Array {
    const { replicas, capacity } = this.handle;
    if (values.length > capacity) throw new Error(`AllReduce.sum: ${values.length} values exceed the capacity ${capacity}`);
    if (replicas === 1) return Float64Array.from(values);
    this.slots.set(values, this.rank * capacity);
    this.barrier();
    const out = new Float64Array(values.length);
    for (let r = 0; r < replicas; r++) {
      const base = r * capacity;
      for (let i = 0; i < values.length; i++) out[i]! += this.slots[base + i]!;
    }
    // Nobody may overwrite its slot for the next call before every replica has read this one.
    this.barrier();
    return out;
  }

  /** Marks the group failed and wakes every waiting replica (they then throw instead of hanging). */
  abort(): void {
    Atomics.store(this.control, BROKEN, 1);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
  }

  private barrier(): void {
    if (Atomics.load(this.control, BROKEN) !== 0) throw new Error('AllReduce: another replica failed');
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.handle.replicas - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    const deadline = Date.now() + BARRIER_TIMEOUT_MS;
    while (Atomics.load(this.control, GENERATION) === generation) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.abort();
        throw new Error(`AllReduce: replicas did not meet within ${BARRIER_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(this.control, GENERATION, generation, left);
    }
    if (Atomics.load(this.control, BROKEN) !== 0) throw new Error('AllReduce: another replica failed');
  }
}
