/*
 * A parallel for over [0, n) for the native ops: contiguous ranges, whole multiples of `grain`,
 * one per thread. TensorFlow's own thread pool is idle while one of these ops runs (eager ops run
 * one at a time here), and one core's memory bandwidth is what bounds these loops.
 */
#ifndef SNNC_PARALLEL_H
#define SNNC_PARALLEL_H

#include <stdint.h>

typedef void (*snnc_range_fn)(void *ctx, int64_t lo, int64_t hi);

/*
 * Runs fn(ctx, lo, hi) over disjoint ranges covering [0, n), on as many threads as there are cores
 * (SNNC_NATIVE_THREADS overrides), but no more than n / min_per_thread; a thread that cannot
 * start has its range run on the calling thread.
 */
void snnc_parallel_for(int64_t n, int64_t grain, int64_t min_per_thread, snnc_range_fn fn, void *ctx);

#endif
