/*
 * Max pooling (NHWC, 'valid', any window and stride) as two TensorFlow CPU ops:
 *
 *   SnncMaxPool      x [B, H, W, C] -> y [B, OH, OW, C], argmax [B, OH, OW, C] (int32: the winner's
 *                    offset kh * KW + kw inside its window)
 *   SnncMaxPoolGrad  dy, argmax -> dx [B, H, W, C] (attr input_shape)
 *
 * Why: TensorFlow's MaxPoolGrad re-finds each window's winner from x and y, reading both at full
 * size; after a spiking layer that was 10 % of a training step on the report's network. Keeping
 * the winner's offset makes the backward a scatter of dy. Ties go to the first maximum in
 * row-major window order, as TensorFlow's and tfjs-cpu's max pooling gradients do (a window of
 * spikes often holds several 1s, or only 0s).
 */
#include <stdlib.h>
#include <string.h>

#include "snnc_parallel.h"
#include "snnc_tf.h"

typedef struct {
  int64_t kh, kw, sh, sw;
} pool_attrs;

static void *pool_create(TF_OpKernelConstruction *ctx) {
  TF_Status *s = TF_NewStatus();
  pool_attrs *a = calloc(1, sizeof *a);
  const char *names[4] = {"kernel_h", "kernel_w", "stride_h", "stride_w"};
  int64_t *fields[4];
  if (a == NULL) goto fail;
  fields[0] = &a->kh;
  fields[1] = &a->kw;
  fields[2] = &a->sh;
  fields[3] = &a->sw;
  for (int i = 0; i < 4; i++) {
    TF_OpKernelConstruction_GetAttrInt64(ctx, names[i], fields[i], s);
    if (TF_GetCode(s) != TF_OK || *fields[i] < 1 || *fields[i] > 1024) goto fail;
  }
  TF_DeleteStatus(s);
  return a;
fail:
  TF_DeleteStatus(s);
  free(a);
  snnc_fail_construction(ctx, "snnc max pool: kernel_h, kernel_w, stride_h and stride_w must be integers in 1..1024");
  return NULL;
}

static void pool_delete(void *a) { free(a); }

typedef struct {
  const pool_attrs *a;
  const float *x;
  float *y;
  int32_t *arg;
  const float *dy;
  float *dx;
  int64_t H, W, C, OH, OW;
} pool_job;

/* Rows [lo, hi) of the B * OH output rows; each window offset's pass runs along a whole row. */
static void pool_forward_rows(void *p, int64_t lo, int64_t hi) {
  const pool_job *j = p;
  const pool_attrs *a = j->a;
  const int64_t C = j->C, OW = j->OW;
  for (int64_t row = lo; row < hi; row++) {
    const int64_t b = row / j->OH, oh = row % j->OH;
    float *y = j->y + row * OW * C;
    int32_t *arg = j->arg + row * OW * C;
    for (int64_t dh = 0; dh < a->kh; dh++) {
      for (int64_t dw = 0; dw < a->kw; dw++) {
        const float *xs = j->x + ((b * j->H + oh * a->sh + dh) * j->W + dw) * C;
        const int32_t off = (int32_t)(dh * a->kw + dw);
        if (off == 0) {
          for (int64_t ow = 0; ow < OW; ow++) {
            memcpy(y + ow * C, xs + ow * a->sw * C, (size_t)C * sizeof(float));
            memset(arg + ow * C, 0, (size_t)C * sizeof(int32_t));
          }
          continue;
        }
        for (int64_t ow = 0; ow < OW; ow++) {
          const float *xw = xs + ow * a->sw * C;
          float *yw = y + ow * C;
          int32_t *aw = arg + ow * C;
          for (int64_t c = 0; c < C; c++) {
            /* strictly greater: the first maximum in row-major order wins */
            const int take = xw[c] > yw[c];
            yw[c] = take ? xw[c] : yw[c];
            aw[c] = take ? off : aw[c];
          }
        }
      }
    }
  }
}

/*
 * Images [lo, hi): windows never cross images, so threads never add into the same dx. Each image
 * is zeroed just before its scatter, while it is in cache.
 */
static void pool_backward_images(void *p, int64_t lo, int64_t hi) {
  const pool_job *j = p;
  const pool_attrs *a = j->a;
  const int64_t C = j->C;
  const int64_t image = j->H * j->W * C;
  for (int64_t b = lo; b < hi; b++) {
    memset(j->dx + b * image, 0, (size_t)image * sizeof(float));
    for (int64_t oh = 0; oh < j->OH; oh++) {
      for (int64_t ow = 0; ow < j->OW; ow++) {
        const int64_t o = ((b * j->OH + oh) * j->OW + ow) * C;
        float *base = j->dx + ((b * j->H + oh * a->sh) * j->W + ow * a->sw) * C;
        for (int64_t c = 0; c < C; c++) {
          const int32_t off = j->arg[o + c];
          base[((off / a->kw) * j->W + off % a->kw) * C + c] += j->dy[o + c];
        }
      }
    }
  }
}

static void pool_forward(void *kernel, TF_OpKernelContext *ctx) {
  const pool_attrs *a = kernel;
  TF_Status *s = TF_NewStatus();
  TF_Tensor *x = NULL, *y = NULL, *arg = NULL;
  TF_GetInput(ctx, 0, &x, s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  if (TF_TensorType(x) != TF_FLOAT || TF_NumDims(x) != 4 || TF_Dim(x, 1) < a->kh || TF_Dim(x, 2) < a->kw) {
    snnc_fail_compute(ctx, "SnncMaxPool: expected a float32 NHWC input at least one window high and wide");
    goto done;
  }
  if (a->kh * a->kw > 1 << 30) {
    snnc_fail_compute(ctx, "SnncMaxPool: window too large");
    goto done;
  }
  pool_job j = {.a = a, .H = TF_Dim(x, 1), .W = TF_Dim(x, 2), .C = TF_Dim(x, 3)};
  const int64_t B = TF_Dim(x, 0);
  j.OH = (j.H - a->kh) / a->sh + 1;
  j.OW = (j.W - a->kw) / a->sw + 1;
  const int64_t dims[4] = {B, j.OH, j.OW, j.C};
  const size_t count = (size_t)(B * j.OH * j.OW * j.C);
  y = TF_AllocateOutput(ctx, 0, TF_FLOAT, dims, 4, count * sizeof(float), s);
  if (TF_GetCode(s) == TF_OK) arg = TF_AllocateOutput(ctx, 1, TF_INT32, dims, 4, count * sizeof(int32_t), s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  j.x = TF_TensorData(x);
  j.y = TF_TensorData(y);
  j.arg = TF_TensorData(arg);
  snnc_parallel_for(B * j.OH, 1, 8, pool_forward_rows, &j);
done:
  if (arg != NULL) TF_DeleteTensor(arg);
  if (y != NULL) TF_DeleteTensor(y);
  if (x != NULL) TF_DeleteTensor(x);
  TF_DeleteStatus(s);
}

typedef struct {
  pool_attrs pool;
  int64_t shape[4];
} grad_attrs;

static void *grad_create(TF_OpKernelConstruction *ctx) {
  pool_attrs *p = pool_create(ctx);
  if (p == NULL) return NULL;
  grad_attrs *a = calloc(1, sizeof *a);
  TF_Status *s = TF_NewStatus();
  int ok = a != NULL;
  if (ok) {
    a->pool = *p;
    int32_t list = 0, total = 0;
    TF_OpKernelConstruction_GetAttrSize(ctx, "input_shape", &list, &total, s);
    ok = TF_GetCode(s) == TF_OK && list == 4;
    if (ok) TF_OpKernelConstruction_GetAttrInt64List(ctx, "input_shape", a->shape, 4, s);
    ok = ok && TF_GetCode(s) == TF_OK;
    for (int i = 0; ok && i < 4; i++) ok = a->shape[i] >= 1;
  }
  free(p);
  TF_DeleteStatus(s);
  if (!ok) {
    free(a);
    snnc_fail_construction(ctx, "SnncMaxPoolGrad: input_shape must be 4 positive integers (NHWC)");
    return NULL;
  }
  return a;
}

static void grad_compute(void *kernel, TF_OpKernelContext *ctx) {
  const grad_attrs *a = kernel;
  TF_Status *s = TF_NewStatus();
  TF_Tensor *dy = NULL, *arg = NULL, *dx = NULL;
  TF_GetInput(ctx, 0, &dy, s);
  if (TF_GetCode(s) == TF_OK) TF_GetInput(ctx, 1, &arg, s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  pool_job j = {.a = &a->pool, .H = a->shape[1], .W = a->shape[2], .C = a->shape[3]};
  const int64_t B = a->shape[0];
  if (j.H < a->pool.kh || j.W < a->pool.kw) {
    snnc_fail_compute(ctx, "SnncMaxPoolGrad: input_shape smaller than one window");
    goto done;
  }
  j.OH = (j.H - a->pool.kh) / a->pool.sh + 1;
  j.OW = (j.W - a->pool.kw) / a->pool.sw + 1;
  const int64_t want[4] = {B, j.OH, j.OW, j.C};
  int ok = TF_TensorType(dy) == TF_FLOAT && TF_TensorType(arg) == TF_INT32 && TF_NumDims(dy) == 4 && TF_NumDims(arg) == 4;
  for (int i = 0; ok && i < 4; i++) ok = TF_Dim(dy, i) == want[i] && TF_Dim(arg, i) == want[i];
  if (!ok) {
    snnc_fail_compute(ctx, "SnncMaxPoolGrad: dy (float32) and argmax (int32) must have the pooled shape of input_shape");
    goto done;
  }
  /* An offset outside the window would write outside dx: check them all (one cheap pass). */
  const int32_t *offs = TF_TensorData(arg);
  const int64_t count = B * j.OH * j.OW * j.C;
  const int32_t window = (int32_t)(a->pool.kh * a->pool.kw);
  int32_t bad = 0;
  for (int64_t i = 0; i < count; i++) bad |= (offs[i] < 0) | (offs[i] >= window);
  if (bad) {
    snnc_fail_compute(ctx, "SnncMaxPoolGrad: argmax holds an offset outside the window");
    goto done;
  }
  dx = TF_AllocateOutput(ctx, 0, TF_FLOAT, a->shape, 4, (size_t)(B * j.H * j.W * j.C) * sizeof(float), s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  j.dy = TF_TensorData(dy);
  j.arg = (int32_t *)offs;
  j.dx = TF_TensorData(dx);
  snnc_parallel_for(B, 1, 2, pool_backward_images, &j);
done:
  if (dx != NULL) TF_DeleteTensor(dx);
  if (arg != NULL) TF_DeleteTensor(arg);
  if (dy != NULL) TF_DeleteTensor(dy);
  TF_DeleteStatus(s);
}

void snnc_register_maxpool_ops(TF_Status *s) {
  TF_OpDefinitionBuilder *f = TF_NewOpDefinitionBuilder("SnncMaxPool");
  TF_OpDefinitionBuilderAddInput(f, "x: float");
  TF_OpDefinitionBuilderAddOutput(f, "y: float");
  TF_OpDefinitionBuilderAddOutput(f, "argmax: int32");
  TF_OpDefinitionBuilderAddAttr(f, "kernel_h: int >= 1");
  TF_OpDefinitionBuilderAddAttr(f, "kernel_w: int >= 1");
  TF_OpDefinitionBuilderAddAttr(f, "stride_h: int >= 1");
  TF_OpDefinitionBuilderAddAttr(f, "stride_w: int >= 1");
  TF_OpDefinitionBuilderSetShapeInferenceFunction(f, snnc_unknown_shapes);
  TF_RegisterOpDefinition(f, s);
  if (TF_GetCode(s) != TF_OK) return;
  TF_OpDefinitionBuilder *g = TF_NewOpDefinitionBuilder("SnncMaxPoolGrad");
  TF_OpDefinitionBuilderAddInput(g, "dy: float");
  TF_OpDefinitionBuilderAddInput(g, "argmax: int32");
  TF_OpDefinitionBuilderAddOutput(g, "dx: float");
  TF_OpDefinitionBuilderAddAttr(g, "kernel_h: int >= 1");
  TF_OpDefinitionBuilderAddAttr(g, "kernel_w: int >= 1");
  TF_OpDefinitionBuilderAddAttr(g, "stride_h: int >= 1");
  TF_OpDefinitionBuilderAddAttr(g, "stride_w: int >= 1");
  TF_OpDefinitionBuilderAddAttr(g, "input_shape: list(int)");
  TF_OpDefinitionBuilderSetShapeInferenceFunction(g, snnc_unknown_shapes);
  TF_RegisterOpDefinition(g, s);
  if (TF_GetCode(s) != TF_OK) return;
  TF_RegisterKernelBuilder("SnncMaxPoolCpu", TF_NewKernelBuilder("SnncMaxPool", "CPU", pool_create, pool_forward, pool_delete), s);
  if (TF_GetCode(s) != TF_OK) return;
  TF_RegisterKernelBuilder("SnncMaxPoolGradCpu", TF_NewKernelBuilder("SnncMaxPoolGrad", "CPU", grad_create, grad_compute, pool_delete), s);
}
