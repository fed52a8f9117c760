/* The TensorFlow C kernel API as the native ops use it, and their shared error helpers. */
#ifndef SNNC_TF_H
#define SNNC_TF_H

/*
 * kernels.h defines the constant TF_InputRange_Args_STRUCT_SIZE (C++ const, so internal there; in
 * C an external definition in every file that includes it): weak, so the files link together.
 */
#define TF_InputRange_Args_STRUCT_SIZE __attribute__((weak)) TF_InputRange_Args_STRUCT_SIZE
#include <tensorflow/c/kernels.h>
#undef TF_InputRange_Args_STRUCT_SIZE
/* ops.h declares these as bare structs (C++ style); C needs the typedefs first. */
typedef struct TF_DimensionHandle TF_DimensionHandle;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeHandle TF_ShapeHandle;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
#include <tensorflow/c/ops.h>
#include <tensorflow/c/tf_status.h>
#include <tensorflow/c/tf_tensor.h>

static inline void snnc_fail_construction(TF_OpKernelConstruction *ctx, const char *msg) {
  TF_Status *s = TF_NewStatus();
  TF_SetStatus(s, TF_INVALID_ARGUMENT, msg);
  TF_OpKernelConstruction_Failure(ctx, s);
  TF_DeleteStatus(s);
}

static inline void snnc_fail_compute(TF_OpKernelContext *ctx, const char *msg) {
  TF_Status *s = TF_NewStatus();
  TF_SetStatus(s, TF_INVALID_ARGUMENT, msg);
  TF_OpKernelContext_Failure(ctx, s);
  TF_DeleteStatus(s);
}

/* Shapes are left to the kernels: these ops run eagerly, never in a graph that needs them. */
static inline void snnc_unknown_shapes(TF_ShapeInferenceContext *ctx, TF_Status *status) { TF_ShapeInferenceContextSetUnknownShape(ctx, status); }

/* Registers SnncMaxPool and SnncMaxPoolGrad (snnc_maxpool.c); status says whether it worked. */
void snnc_register_maxpool_ops(TF_Status *s);

/* Registers SnncAdam (snnc_adam.c). */
void snnc_register_adam_op(TF_Status *s);

#endif
