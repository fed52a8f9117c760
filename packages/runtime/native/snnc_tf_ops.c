/*
 * snnc's native TensorFlow ops, loaded into the process that runs @tensorflow/tfjs-node (the
 * `tensorflow` backend) as a Node addon. Loading it registers two CPU ops in TensorFlow's global
 * registry, which tfjs-node then runs by name like any TensorFlow op:
 *
 *   SnncNeuronForward   x -> out[num_outputs] = [y, h_0 .. h_{k-1}, (blocked)]
 *   SnncNeuronBackward  dy, saved[num_saved], x -> dx
 *
 * Both run one generated kernel (neuron_kernels.generated.c, emitted from the neuron's kernel
 * plan) over all T steps in one pass. As tfjs ops the same neuron takes 7 element-wise passes
 * per step forward and about as many backward, each a full read and write of the layer's
 * activations; on the report's network those passes were ~40 % of a training step.
 *
 * Attributes (set by runtime src/node/backend/tf_native_ops.ts):
 *   hash       the plan's hash (@snnc/ir planHash): which generated kernel
 *   constants  the lifted constants as text ("%.17g" each, space-separated): exact doubles, which
 *              a float attribute would round
 *   steps, static_input, refractory_steps (forward)
 *   surrogate  "<kind> <alpha>" (backward)
 * Built by tools/build-native-ops.sh against the TensorFlow C library tfjs-node uses.
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snnc_neuron.h"
#include "snnc_parallel.h"
#include "snnc_tf.h"

/* At most this many lifted constants (the library's neurons use up to ~12). */
#define MAX_CONSTANTS 64
#define MAX_SAVED 16

typedef struct {
  const snnc_neuron_kernel *kernel;
  double constants[MAX_CONSTANTS];
  int64_t steps;
  int static_input;
  int64_t refractory_steps;
  snnc_surrogate surrogate;
} neuron_attrs;

/* A string attribute into buf (NUL-terminated); 0 on failure. */
static int string_attr(TF_OpKernelConstruction *ctx, const char *name, char *buf, size_t cap, TF_Status *s) {
  int32_t list_size = 0, total = 0;
  TF_OpKernelConstruction_GetAttrSize(ctx, name, &list_size, &total, s);
  if (TF_GetCode(s) != TF_OK || total < 0 || (size_t)total >= cap) return 0;
  TF_OpKernelConstruction_GetAttrString(ctx, name, buf, (size_t)total, s);
  if (TF_GetCode(s) != TF_OK) return 0;
  buf[total] = '\0';
  return 1;
}

static const snnc_neuron_kernel *find_kernel(const char *hash) {
  for (size_t i = 0; i < snnc_neuron_kernel_count; i++) {
    if (strcmp(snnc_neuron_kernels[i].hash, hash) == 0) return &snnc_neuron_kernels[i];
  }
  return NULL;
}

/* The attributes both ops share; NULL (and the construction failed) on a bad one. */
static neuron_attrs *read_attrs(TF_OpKernelConstruction *ctx, int backward) {
  TF_Status *s = TF_NewStatus();
  neuron_attrs *a = calloc(1, sizeof *a);
  char buf[4096];
  const char *err = NULL;
  if (a == NULL) {
    err = "snnc neuron op: out of memory";
    goto done;
  }
  if (!string_attr(ctx, "hash", buf, sizeof buf, s) || (a->kernel = find_kernel(buf)) == NULL) {
    err = "snnc neuron op: no native kernel for this plan hash (rebuild with tools/build-native-ops.sh)";
    goto done;
  }
  if (!string_attr(ctx, "constants", buf, sizeof buf, s)) {
    err = "snnc neuron op: bad `constants` attribute";
    goto done;
  }
  {
    char *p = buf;
    int count = 0;
    for (;;) {
      while (*p == ' ') p++;
      if (*p == '\0') break;
      if (count == MAX_CONSTANTS) {
        err = "snnc neuron op: too many constants";
        goto done;
      }
      char *end;
      errno = 0;
      a->constants[count] = strtod(p, &end);
      if (end == p) {
        err = "snnc neuron op: `constants` is not a list of numbers";
        goto done;
      }
      p = end;
      count++;
    }
  }
  TF_OpKernelConstruction_GetAttrInt64(ctx, "steps", &a->steps, s);
  if (TF_GetCode(s) != TF_OK || a->steps < 1) {
    err = "snnc neuron op: `steps` must be >= 1";
    goto done;
  }
  TF_Bool st = 0;
  TF_OpKernelConstruction_GetAttrBool(ctx, "static_input", &st, s);
  if (TF_GetCode(s) != TF_OK) {
    err = "snnc neuron op: bad `static_input` attribute";
    goto done;
  }
  a->static_input = st != 0;
  if (!backward) {
    TF_OpKernelConstruction_GetAttrInt64(ctx, "refractory_steps", &a->refractory_steps, s);
    if (TF_GetCode(s) != TF_OK || a->refractory_steps < 0) {
      err = "snnc neuron op: `refractory_steps` must be >= 0";
      goto done;
    }
  } else {
    char kind[64];
    double alpha;
    if (!string_attr(ctx, "surrogate", buf, sizeof buf, s) || sscanf(buf, "%63s %lf", kind, &alpha) != 2) {
      err = "snnc neuron op: `surrogate` must be \"<kind> <alpha>\"";
      goto done;
    }
    a->surrogate.alpha = alpha;
    if (strcmp(kind, "atan") == 0) a->surrogate.kind = SNNC_ATAN;
    else if (strcmp(kind, "sigmoid") == 0) a->surrogate.kind = SNNC_SIGMOID;
    else if (strcmp(kind, "fast_sigmoid") == 0) a->surrogate.kind = SNNC_FAST_SIGMOID;
    else if (strcmp(kind, "triangle") == 0) a->surrogate.kind = SNNC_TRIANGLE;
    else if (strcmp(kind, "piecewise_quadratic") == 0) a->surrogate.kind = SNNC_PIECEWISE_QUADRATIC;
    else {
      err = "snnc neuron op: unknown surrogate kind";
      goto done;
    }
  }
done:
  TF_DeleteStatus(s);
  if (err != NULL) {
    free(a);
    snnc_fail_construction(ctx, err);
    return NULL;
  }
  return a;
}

static void *forward_create(TF_OpKernelConstruction *ctx) { return read_attrs(ctx, 0); }
static void *backward_create(TF_OpKernelConstruction *ctx) { return read_attrs(ctx, 1); }
static void attrs_delete(void *a) { free(a); }

/* Below this many neurons per thread a thread costs more than it saves. */
#define MIN_PER_THREAD (16 * SNNC_BLOCK)

typedef struct {
  const neuron_attrs *a;
  int backward;
  const float *x, *dy;
  float *const *out;
  const float *const *saved;
  float *dx;
  int64_t n;
} job;

static void run_neurons(void *p, int64_t lo, int64_t hi) {
  const job *j = p;
  const neuron_attrs *a = j->a;
  const int64_t stride = a->static_input ? 0 : j->n;
  if (j->backward) a->kernel->backward(j->dy, j->saved, j->x, j->dx, a->constants, a->steps, j->n, stride, a->surrogate, lo, hi);
  else a->kernel->forward(j->x, j->out, a->constants, a->steps, j->n, stride, a->refractory_steps, lo, hi);
}

/* All n neurons, in ranges of whole blocks across the cores. */
static void run_split(job j) { snnc_parallel_for(j.n, SNNC_BLOCK, MIN_PER_THREAD, run_neurons, &j); }

static int64_t element_count(const TF_Tensor *t) {
  int64_t n = 1;
  for (int d = 0; d < TF_NumDims(t); d++) n *= TF_Dim(t, d);
  return n;
}

static void forward_compute(void *kernel, TF_OpKernelContext *ctx) {
  const neuron_attrs *a = kernel;
  TF_Status *s = TF_NewStatus();
  TF_Tensor *x = NULL;
  TF_Tensor *outs[MAX_SAVED] = {0};
  const int num_out = TF_NumOutputs(ctx);
  TF_GetInput(ctx, 0, &x, s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  if (num_out < 2 || num_out > MAX_SAVED || TF_TensorType(x) != TF_FLOAT || TF_NumDims(x) < 1 || TF_NumDims(x) > 8) {
    snnc_fail_compute(ctx, "SnncNeuronForward: expected a float32 input of rank 1-8 and 2-16 outputs");
    goto done;
  }
  int64_t dims[8];
  const int rank = TF_NumDims(x);
  for (int d = 0; d < rank; d++) dims[d] = TF_Dim(x, d);
  if (a->static_input) dims[0] *= a->steps;
  const int64_t size = element_count(x) * (a->static_input ? a->steps : 1);
  if (size % a->steps != 0) {
    snnc_fail_compute(ctx, "SnncNeuronForward: the input's size is not divisible by the number of steps");
    goto done;
  }
  const int64_t n = size / a->steps;
  float *out_data[MAX_SAVED];
  for (int i = 0; i < num_out; i++) {
    outs[i] = TF_AllocateOutput(ctx, i, TF_FLOAT, dims, rank, (size_t)size * sizeof(float), s);
    if (TF_GetCode(s) != TF_OK) {
      TF_OpKernelContext_Failure(ctx, s);
      goto done;
    }
    out_data[i] = TF_TensorData(outs[i]);
  }
  run_split((job){.a = a, .backward = 0, .x = TF_TensorData(x), .out = out_data, .n = n});
done:
  for (int i = 0; i < MAX_SAVED; i++) {
    if (outs[i] != NULL) TF_DeleteTensor(outs[i]);
  }
  if (x != NULL) TF_DeleteTensor(x);
  TF_DeleteStatus(s);
}

static void backward_compute(void *kernel, TF_OpKernelContext *ctx) {
  const neuron_attrs *a = kernel;
  TF_Status *s = TF_NewStatus();
  /* inputs: dy, saved[num_saved], x */
  TF_Tensor *in[MAX_SAVED + 2] = {0};
  TF_Tensor *dx = NULL;
  const int num_in = TF_NumInputs(ctx);
  if (num_in < 3 || num_in > MAX_SAVED + 2) {
    snnc_fail_compute(ctx, "SnncNeuronBackward: expected dy, 1-16 saved tensors and x");
    goto done;
  }
  for (int i = 0; i < num_in; i++) {
    TF_GetInput(ctx, i, &in[i], s);
    if (TF_GetCode(s) != TF_OK) {
      TF_OpKernelContext_Failure(ctx, s);
      goto done;
    }
    if (TF_TensorType(in[i]) != TF_FLOAT) {
      snnc_fail_compute(ctx, "SnncNeuronBackward: expected float32 inputs");
      goto done;
    }
  }
  const TF_Tensor *dy = in[0];
  const int64_t size = element_count(dy);
  const int rank = TF_NumDims(dy);
  if (rank < 1 || rank > 8 || size % a->steps != 0) {
    snnc_fail_compute(ctx, "SnncNeuronBackward: dy must have rank 1-8 and a size divisible by the number of steps");
    goto done;
  }
  const int num_saved = num_in - 2;
  const float *saved[MAX_SAVED];
  for (int i = 0; i < num_saved; i++) {
    if (element_count(in[1 + i]) != size) {
      snnc_fail_compute(ctx, "SnncNeuronBackward: a saved tensor's size differs from dy's");
      goto done;
    }
    saved[i] = TF_TensorData(in[1 + i]);
  }
  const int64_t n = size / a->steps;
  int64_t dims[8];
  for (int d = 0; d < rank; d++) dims[d] = TF_Dim(dy, d);
  if (a->static_input) {
    if (dims[0] % a->steps != 0) {
      snnc_fail_compute(ctx, "SnncNeuronBackward: dy's first dimension is not divisible by the number of steps");
      goto done;
    }
    dims[0] /= a->steps;
  }
  const int64_t dx_size = a->static_input ? n : size;
  const TF_Tensor *x = in[num_in - 1];
  /* The x input is read only by neurons whose Jacobians depend on it; otherwise any tensor. */
  if (a->kernel->reads_input && element_count(x) != dx_size) {
    snnc_fail_compute(ctx, "SnncNeuronBackward: this neuron's backward reads x, which must have dx's size");
    goto done;
  }
  const float *x_data = TF_TensorData(x);
  dx = TF_AllocateOutput(ctx, 0, TF_FLOAT, dims, rank, (size_t)dx_size * sizeof(float), s);
  if (TF_GetCode(s) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, s);
    goto done;
  }
  run_split((job){.a = a, .backward = 1, .dy = TF_TensorData(dy), .saved = saved, .x = x_data, .dx = TF_TensorData(dx), .n = n});
done:
  if (dx != NULL) TF_DeleteTensor(dx);
  for (int i = 0; i < MAX_SAVED + 2; i++) {
    if (in[i] != NULL) TF_DeleteTensor(in[i]);
  }
  TF_DeleteStatus(s);
}

/*
 * Registers the ops and their CPU kernels once per process (the addon may be loaded by several
 * Node environments, e.g. worker threads); `registration_error` is empty when it worked.
 */
static char registration_error[512];
static pthread_once_t registration_once = PTHREAD_ONCE_INIT;

static void register_once(void) {
  TF_Status *s = TF_NewStatus();
  TF_OpDefinitionBuilder *f = TF_NewOpDefinitionBuilder("SnncNeuronForward");
  TF_OpDefinitionBuilderAddInput(f, "x: float");
  TF_OpDefinitionBuilderAddOutput(f, "out: num_outputs * float");
  TF_OpDefinitionBuilderAddAttr(f, "num_outputs: int >= 1");
  TF_OpDefinitionBuilderAddAttr(f, "hash: string");
  TF_OpDefinitionBuilderAddAttr(f, "constants: string");
  TF_OpDefinitionBuilderAddAttr(f, "steps: int >= 1");
  TF_OpDefinitionBuilderAddAttr(f, "static_input: bool");
  TF_OpDefinitionBuilderAddAttr(f, "refractory_steps: int >= 0");
  TF_OpDefinitionBuilderSetShapeInferenceFunction(f, snnc_unknown_shapes);
  TF_RegisterOpDefinition(f, s);
  if (TF_GetCode(s) == TF_OK) {
    TF_OpDefinitionBuilder *b = TF_NewOpDefinitionBuilder("SnncNeuronBackward");
    TF_OpDefinitionBuilderAddInput(b, "dy: float");
    TF_OpDefinitionBuilderAddInput(b, "saved: num_saved * float");
    TF_OpDefinitionBuilderAddInput(b, "x: float");
    TF_OpDefinitionBuilderAddOutput(b, "dx: float");
    TF_OpDefinitionBuilderAddAttr(b, "num_saved: int >= 1");
    TF_OpDefinitionBuilderAddAttr(b, "hash: string");
    TF_OpDefinitionBuilderAddAttr(b, "constants: string");
    TF_OpDefinitionBuilderAddAttr(b, "steps: int >= 1");
    TF_OpDefinitionBuilderAddAttr(b, "static_input: bool");
    TF_OpDefinitionBuilderAddAttr(b, "surrogate: string");
    TF_OpDefinitionBuilderSetShapeInferenceFunction(b, snnc_unknown_shapes);
    TF_RegisterOpDefinition(b, s);
  }
  if (TF_GetCode(s) == TF_OK) {
    TF_KernelBuilder *k = TF_NewKernelBuilder("SnncNeuronForward", "CPU", forward_create, forward_compute, attrs_delete);
    TF_RegisterKernelBuilder("SnncNeuronForwardCpu", k, s);
  }
  if (TF_GetCode(s) == TF_OK) {
    TF_KernelBuilder *k = TF_NewKernelBuilder("SnncNeuronBackward", "CPU", backward_create, backward_compute, attrs_delete);
    TF_RegisterKernelBuilder("SnncNeuronBackwardCpu", k, s);
  }
  if (TF_GetCode(s) == TF_OK) snnc_register_maxpool_ops(s);
  if (TF_GetCode(s) == TF_OK) snnc_register_adam_op(s);
  if (TF_GetCode(s) != TF_OK) snprintf(registration_error, sizeof registration_error, "registering the snnc TensorFlow ops failed: %s", TF_Message(s));
  TF_DeleteStatus(s);
}

/* NULL once the ops are registered, else why not. */
static const char *register_ops(void) {
  pthread_once(&registration_once, register_once);
  return registration_error[0] ? registration_error : NULL;
}

/* The ops this library registers: the loader uses it only when it has every op it needs. */
static const char *const registered_ops[] = {"SnncNeuronForward", "SnncNeuronBackward", "SnncMaxPool", "SnncMaxPoolGrad", "SnncAdam"};

/* module.exports = { digest, kernels: [hash, ...], ops: [name, ...] } once the ops are registered. */
NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const char *err = register_ops();
  if (err != NULL) {
    napi_throw_error(env, NULL, err);
    return NULL;
  }
  napi_value digest, list;
  if (napi_create_string_utf8(env, snnc_neuron_kernels_digest, NAPI_AUTO_LENGTH, &digest) != napi_ok) return NULL;
  if (napi_create_array_with_length(env, snnc_neuron_kernel_count, &list) != napi_ok) return NULL;
  for (size_t i = 0; i < snnc_neuron_kernel_count; i++) {
    napi_value h;
    if (napi_create_string_utf8(env, snnc_neuron_kernels[i].hash, NAPI_AUTO_LENGTH, &h) != napi_ok) return NULL;
    if (napi_set_element(env, list, (uint32_t)i, h) != napi_ok) return NULL;
  }
  const size_t op_count = sizeof registered_ops / sizeof registered_ops[0];
  napi_value ops;
  if (napi_create_array_with_length(env, op_count, &ops) != napi_ok) return NULL;
  for (size_t i = 0; i < op_count; i++) {
    napi_value name;
    if (napi_create_string_utf8(env, registered_ops[i], NAPI_AUTO_LENGTH, &name) != napi_ok) return NULL;
    if (napi_set_element(env, ops, (uint32_t)i, name) != napi_ok) return NULL;
  }
  if (napi_set_named_property(env, exports, "ops", ops) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "digest", digest) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "kernels", list) != napi_ok) return NULL;
  return exports;
}
