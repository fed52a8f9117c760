#!/usr/bin/env bash
# Builds snnc's native TensorFlow ops (packages/runtime/native/: the fused neuron kernels generated
# from the neuron definitions, and max pooling that keeps its winners, as TensorFlow CPU ops) into
# packages/runtime/native/build/snnc_tf_ops.node, a Node addon that the `tensorflow` backend
# loads after @tensorflow/tfjs-node (runtime src/node/backend/tf_native_ops.ts).
#
# Why: on the tensorflow backend a neuron layer otherwise runs as tfjs ops, ~7 element-wise passes
# per time step each way; one generated loop per layer does the same work in one pass
# (docs/runtime.md, "Native neuron ops"). Optional like tfjs-node itself: without this library
# the backend runs the plan as tfjs ops.
#
# Usage: tools/build-native-ops.sh [--force]   (tools/build-tfjs-node.sh runs it)
# Needs: a built tfjs-node (its TensorFlow C library and headers under
# node_modules/@tensorflow/tfjs-node/deps), a C compiler (cc) and Node's headers (node_api.h:
# /usr/include/node on Debian, or npm_config_nodedir). Rebuilds only when a source is newer than
# the library. Compiles in ~2 s.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS="$ROOT/node_modules/@tensorflow/tfjs-node/deps"
SRC="$ROOT/packages/runtime/native"
OUT="$SRC/build/snnc_tf_ops.node"
NODE_INCLUDE="${npm_config_nodedir:-/usr}/include/node"

if [ ! -f "$DEPS/lib/libtensorflow_framework.so.2" ] || [ ! -f "$DEPS/include/tensorflow/c/kernels.h" ]; then
  echo "build-native-ops: no built tfjs-node (run tools/build-tfjs-node.sh); skipping"
  exit 0
fi
if [ ! -f "$NODE_INCLUDE/node_api.h" ]; then
  echo "build-native-ops: Node's headers not found ($NODE_INCLUDE/node_api.h; set npm_config_nodedir); skipping" >&2
  exit 0
fi
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build-native-ops: no C compiler ($CC); skipping" >&2
  exit 0
fi

if [ "${1:-}" != "--force" ] && [ -f "$OUT" ] && [ -z "$(find "$SRC" -maxdepth 1 -newer "$OUT" \( -name '*.c' -o -name '*.h' \))" ]; then
  echo "build-native-ops: up to date ($OUT)"
  exit 0
fi

mkdir -p "$SRC/build"
# -march=native: the library is built where it runs (it stays in this checkout, ignored by git),
# and AVX2 made the neuron backward 35 % faster here; SNNC_NATIVE_MARCH=-march=x86-64-v2 (or
# any -m flags) builds for other CPUs. -ffp-contract=off: no fused multiply-add, so the float forward rounds every operation as the JS
# kernels (Math.fround) do and all backends give the same spikes. The generated loops declare a
# value per state whether or not a given Jacobian reads it, hence the unused-variable switches. The library links the
# TensorFlow framework library tfjs-node's addon has already loaded into the process.
"$CC" -std=gnu11 -O3 ${SNNC_NATIVE_MARCH:--march=native} -ffp-contract=off -fno-math-errno -fPIC -shared -Wall -Wextra -Wno-unused-parameter -Wno-unused-variable -Wno-unused-but-set-variable \
  -I"$DEPS/include" -I"$NODE_INCLUDE" \
  -o "$OUT.tmp" "$SRC"/*.c \
  -L"$DEPS/lib" -l:libtensorflow_framework.so.2 -lpthread -lm -Wl,-rpath,"$DEPS/lib"
mv "$OUT.tmp" "$OUT"
echo "build-native-ops: built $OUT"
