/*
 * The fused neuron kernels' shared declarations: the surrogate derivatives the generated
 * backward loops call, and the table the generated file (neuron_kernels.generated.c) fills.
 */
#ifndef SNNC_NEURON_H
#define SNNC_NEURON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* JS's Math.sign, Math.min and Math.max: NaN in, NaN out. */
static inline double snnc_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : x; }
static inline double snnc_min(double a, double b) { return isnan(a) || isnan(b) ? NAN : a < b ? a : b; }
static inline double snnc_max(double a, double b) { return isnan(a) || isnan(b) ? NAN : a > b ? a : b; }

/* dS/dx of the spike's surrogate: the kinds of @snnc/ir `Surrogate` (runtime model/surrogate.ts). */
typedef enum { SNNC_ATAN, SNNC_SIGMOID, SNNC_FAST_SIGMOID, SNNC_TRIANGLE, SNNC_PIECEWISE_QUADRATIC } snnc_surrogate_kind;

typedef struct {
  snnc_surrogate_kind kind;
  double alpha;
} snnc_surrogate;

/*
 * g[q] = dS/dx at x = g[q] (in place), in double, in the order of runtime model/surrogate.ts
 * `surrogateDerivative` (the cpu and wasm kernels' reference; the native-vs-JS test compares the
 * two for every kind). One loop per kind, so the kind is not decided per element.
 */
static inline void snnc_surrogate_block(snnc_surrogate s, double *g, int64_t m) {
  const double a = s.alpha;
  switch (s.kind) {
    case SNNC_ATAN: {
      const double k = (M_PI / 2) * a;
      for (int64_t q = 0; q < m; q++) {
        const double u = k * g[q];
        g[q] = a / (2 * (1 + u * u));
      }
      return;
    }
    case SNNC_SIGMOID:
      for (int64_t q = 0; q < m; q++) {
        const double sg = 1 / (1 + exp(-a * g[q]));
        g[q] = a * sg * (1 - sg);
      }
      return;
    case SNNC_FAST_SIGMOID:
      for (int64_t q = 0; q < m; q++) {
        const double d = 1 + a * fabs(g[q]);
        g[q] = 1 / (d * d);
      }
      return;
    case SNNC_TRIANGLE:
      for (int64_t q = 0; q < m; q++) g[q] = a * snnc_max(0, 1 - fabs(g[q]));
      return;
    case SNNC_PIECEWISE_QUADRATIC:
      for (int64_t q = 0; q < m; q++) g[q] = snnc_max(0, a - a * a * fabs(g[q]));
      return;
  }
  for (int64_t q = 0; q < m; q++) g[q] = NAN;
}

/*
 * Neurons per block in the generated loops: the block's state (a few KiB per state variable in
 * double) stays in L1 while the loop walks the T steps' rows.
 */
#define SNNC_BLOCK 256

/* Both run the neurons lo <= i < hi of n per step (threads take disjoint ranges). */
typedef void (*snnc_forward_fn)(const float *x, float *const *out, const double *c, int64_t T, int64_t n, int64_t xStride, int64_t refr, int64_t lo,
                                int64_t hi);
typedef void (*snnc_backward_fn)(const float *dy, const float *const *saved, const float *x, float *dx, const double *c, int64_t T, int64_t n,
                                 int64_t xStride, snnc_surrogate sg, int64_t lo, int64_t hi);

typedef struct {
  const char *hash; /* @snnc/ir planHash of the lifted plan's key */
  snnc_forward_fn forward;
  snnc_backward_fn backward;
  int reads_input; /* the backward reads x (its Jacobians depend on the input) */
} snnc_neuron_kernel;

extern const snnc_neuron_kernel snnc_neuron_kernels[];
extern const size_t snnc_neuron_kernel_count;
/* SHA-256 of the generated kernels' source: the JS side loads a library only with its own digest. */
extern const char snnc_neuron_kernels_digest[];

#endif
