/*
 * One Adam / AdamW step of one parameter as a TensorFlow CPU op:
 *
 *   SnncAdam  p, m, v, g (float, one shape), scalars [3] (float: step_size, sqrt_bc2, decay)
 *             -> p1, m1, v1
 *
 * Why: as tfjs ops a step is ~13 element-wise ops and ~9 scalar uploads per parameter, each an
 * eager TensorFlow call of 15-20 us: ~60 % of the ops of a report-network training step and
 * ~3 % of its time. The arithmetic is the ops path's (runtime src/train/optim/adam.ts), in the
 * same order and in float, every operation rounded (-ffp-contract=off), so both give the same
 * numbers:
 *
 *   decoupled: p = p * decay          l2: g = g + p * decay       (none: neither)
 *   m1 = m * beta1 + g * (1 - beta1)
 *   v1 = v * beta2 + (g * g) * (1 - beta2)
 *   p1 = p - (m1 / (sqrt(v1) / sqrt_bc2 + eps)) * step_size
 *
 * beta1, 1 - beta1, beta2, 1 - beta2 and eps are attributes (fixed for a run); the per-step
 * values come as a tensor, since TensorFlow caches one kernel per set of attribute values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "snnc_parallel.h"
#include "snnc_tf.h"

typedef enum { DECAY_NONE, DECAY_L2, DECAY_DECOUPLED } decay_mode;

typedef struct {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps;
  decay_mode mode;
} adam_attrs;

static void *adam_create(TF_OpKernelConstruction *ctx) {
  TF_Status *s = TF_NewStatus();
  adam_attrs *a = calloc(1, sizeof *a);
  const char *names[5] = {"beta1", "one_minus_beta1", "beta2", "one_minus_beta2", "eps"};
  float *fields[5];
  char mode[16] = {0};
  int ok = a != NULL;
  if (ok) {
    fields[0] = &a->beta1;
    fields[1] = &a->one_minus_beta1;
    fields[2] = &a->beta2;
    fields[3] = &a->one_minus_beta2;
    fields[4] = &a->eps;
  }
  for (int i = 0; ok && i < 5; i++) {
    TF_OpKernelConstruction_GetAttrFloat(ctx, names[i], fields[i], s);
    ok = TF_GetCode(s) == TF_OK && isfinite(*fields[i]);
  }
  if (ok) {
    TF_OpKernelConstruction_GetAttrString(ctx, "decay_mode", mode, sizeof mode - 1, s);
    ok = TF_GetCode(s) == TF_OK;
  }
  if (ok) {
    if (strcmp(mode, "none") == 0) a->mode = DECAY_NONE;
    else if (strcmp(mode, "l2") == 0) a->mode = DECAY_L2;
    else if (strcmp(mode, "decoupled") == 0) a->mode = DECAY_DECOUPLED;
    else ok = 0;
  }
  TF_DeleteStatus(s);
  if (!ok) {
    free(a);
    snnc_fail_construction(ctx, "SnncAdam: beta1, one_minus_beta1, beta2, one_minus_beta2 and eps must be finite floats, decay_mode none, l2 or decoupled");
    return NULL;
  }
  return a;
}

static void adam_delete(void *a) { free(a); }

typedef struct {
  const adam_attrs *a;
  const float *p, *m, *v, *g;
  float *p1, *m1, *v1;
  float step_size, sqrt_bc2, decay;
} adam_job;

static void adam_range(void *ctx, int64_t lo, int64_t hi) {
  const adam_job *j = ctx;
  const adam_attrs *a = j->a;
  for (int64_t i = lo; i < hi; i++) {
    float p = j->p[i];
    float g = j->g[i];
    if (a->mode == DECAY_DECOUPLED) p = p * j->decay;
    else if (a->mode == DECAY_L2) g = g + p * j->decay;
    const float m1 = j->m[i] * a->beta1 + g * a->one_minus_beta1;
    const float v1 = j->v[i] * a->beta2 + (g * g) * a->one_minus_beta2;
    const float denom = sqrtf(v1) / j->sqrt_bc2 + a->eps;
    j->m1[i] = m1;
    j->v1[i] = v1;
    j->p1[i] = p - (m1 / denom) * j->step_size;
  }
}

static void adam_compute(void *kernel, TF_OpKernelContext *ctx) {
  TF_Status *s = TF_NewStatus();
  TF_Tensor *in[5] = {NULL, NULL, NULL, NULL, NULL};
  TF_Tensor *out[3] = {NULL, NULL, NULL};
  for (int i = 0; i < 5 && TF_GetCode(s) == TF_OK; i++) TF_GetInput(ctx, i, &in[i], s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  const int64_t n = TF_TensorElementCount(in[0]);
  int ok = 1;
  for (int i = 0; ok && i < 4; i++) ok = TF_TensorType(in[i]) == TF_FLOAT && TF_TensorElementCount(in[i]) == n;
  ok = ok && TF_TensorType(in[4]) == TF_FLOAT && TF_TensorElementCount(in[4]) == 3;
  if (!ok) {
    snnc_fail_compute(ctx, "SnncAdam: p, m, v and g must be float32 with one element count, scalars float32 [3]");
    goto done;
  }
  const int dims = TF_NumDims(in[0]);
  int64_t shape[16];
  if (dims > 16) {
    snnc_fail_compute(ctx, "SnncAdam: more than 16 dimensions");
    goto done;
  }
  for (int d = 0; d < dims; d++) shape[d] = TF_Dim(in[0], d);
  for (int i = 0; i < 3 && TF_GetCode(s) == TF_OK; i++) out[i] = TF_AllocateOutput(ctx, i, TF_FLOAT, shape, dims, (size_t)n * sizeof(float), s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  const float *scalars = TF_TensorData(in[4]);
  adam_job j = {
      .a = kernel,
      .p = TF_TensorData(in[0]),
      .m = TF_TensorData(in[1]),
      .v = TF_TensorData(in[2]),
      .g = TF_TensorData(in[3]),
      .p1 = TF_TensorData(out[0]),
      .m1 = TF_TensorData(out[1]),
      .v1 = TF_TensorData(out[2]),
      .step_size = scalars[0],
      .sqrt_bc2 = scalars[1],
      .decay = scalars[2],
  };
  snnc_parallel_for(n, 1024, 1 << 16, adam_range, &j);
done:
  for (int i = 0; i < 3; i++)
    if (out[i] != NULL) TF_DeleteTensor(out[i]);
  for (int i = 0; i < 5; i++)
    if (in[i] != NULL) TF_DeleteTensor(in[i]);
  TF_DeleteStatus(s);
}

void snnc_register_adam_op(TF_Status *s) {
  TF_OpDefinitionBuilder *b = TF_NewOpDefinitionBuilder("SnncAdam");
  TF_OpDefinitionBuilderAddInput(b, "p: float");
  TF_OpDefinitionBuilderAddInput(b, "m: float");
  TF_OpDefinitionBuilderAddInput(b, "v: float");
  TF_OpDefinitionBuilderAddInput(b, "g: float");
  TF_OpDefinitionBuilderAddInput(b, "scalars: float");
  TF_OpDefinitionBuilderAddOutput(b, "p1: float");
  TF_OpDefinitionBuilderAddOutput(b, "m1: float");
  TF_OpDefinitionBuilderAddOutput(b, "v1: float");
  TF_OpDefinitionBuilderAddAttr(b, "beta1: float");
  TF_OpDefinitionBuilderAddAttr(b, "one_minus_beta1: float");
  TF_OpDefinitionBuilderAddAttr(b, "beta2: float");
  TF_OpDefinitionBuilderAddAttr(b, "one_minus_beta2: float");
  TF_OpDefinitionBuilderAddAttr(b, "eps: float");
  TF_OpDefinitionBuilderAddAttr(b, "decay_mode: string");
  TF_OpDefinitionBuilderSetShapeInferenceFunction(b, snnc_unknown_shapes);
  TF_RegisterOpDefinition(b, s);
  if (TF_GetCode(s) != TF_OK) return;
  TF_RegisterKernelBuilder("SnncAdamCpu", TF_NewKernelBuilder("SnncAdam", "CPU", adam_create, adam_compute, adam_delete), s);
}
