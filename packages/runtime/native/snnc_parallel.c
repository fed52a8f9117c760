#include "snnc_parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 64

typedef struct {
  snnc_range_fn fn;
  void *ctx;
  int64_t lo, hi;
} range_job;

static void *run_range(void *p) {
  const range_job *j = p;
  if (j->lo < j->hi) j->fn(j->ctx, j->lo, j->hi);
  return NULL;
}

static int cores(void) {
  static int count = 0;
  if (count == 0) {
    const char *env = getenv("SNNC_NATIVE_THREADS");
    const long c = env != NULL ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    count = c < 1 ? 1 : c > MAX_THREADS ? MAX_THREADS : (int)c;
  }
  return count;
}

void snnc_parallel_for(int64_t n, int64_t grain, int64_t min_per_thread, snnc_range_fn fn, void *ctx) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  const int64_t most = min_per_thread > 0 ? n / min_per_thread : n;
  const int threads = most < 1 ? 1 : most < cores() ? (int)most : cores();
  const int64_t grains = (n + grain - 1) / grain;
  const int64_t per = (grains + threads - 1) / threads * grain;
  range_job jobs[MAX_THREADS] = {0};
  pthread_t tids[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int t = 0; t < threads; t++) {
    jobs[t] = (range_job){fn, ctx, t * per < n ? t * per : n, (t + 1) * per < n ? (t + 1) * per : n};
  }
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&tids[t], NULL, run_range, &jobs[t]) == 0;
  run_range(&jobs[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(tids[t], NULL);
    else run_range(&jobs[t]);
  }
}
