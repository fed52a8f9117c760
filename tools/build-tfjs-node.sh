#!/usr/bin/env bash
# Builds the optional `tensorflow` backend (@tensorflow/tfjs-node 4.22.0) without downloads.
#
# Why: tfjs-node's installer downloads libtensorflow from a host this machine cannot reach,
# and no npm package ships it. The TensorFlow 2.21 CPU wheel in pip's local index carries the
# same C library (libtensorflow_cc.so.2 exports every TF/TFE C function the addon calls) and
# its headers, so the addon is compiled against that (docs/runtime.md, tfjs-backends.md
# appendix A). snnc never needs it: `loadBackend('auto')` takes it when it works, else wasm.
#
# Usage: tools/build-tfjs-node.sh [--force]
#   TFJS_NODE_TF_WHEEL=/path/to/tensorflow_cpu-2.21.0-*.whl   use this wheel instead of pip's
# Idempotent: exits 0 at once when a working tfjs-node is already installed (--force rebuilds),
# and exits 0 with a message when no wheel can be found. Takes ~1 min (npm, unzip, 10 s compile).
# `npm ci` and any later `npm install` remove it again (it is installed with --no-save, so it
# is not in package.json or the lockfile): run this script again afterwards.
# Disk: ~1.1 GB under node_modules/@tensorflow/tfjs-node/deps (never commit it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKG="$ROOT/node_modules/@tensorflow/tfjs-node"
TF_VERSION=2.21.0
FORCE=${1:-}

works() {
  (cd "$ROOT" && TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('@tensorflow/tfjs-node');
    if (tf.getBackend() !== 'tensorflow') process.exit(1);
    const y = tf.tidy(() => tf.sum(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]))).dataSync()[0]);
    if (y !== 12) process.exit(1);
    console.log('tfjs-node OK: tfjs-node ' + tf.version['tfjs-node'] + ', TensorFlow ' + tf.backend().binding.TF_Version);
  " 2>/dev/null)
}

if [ "$FORCE" != "--force" ] && works; then
  echo "build-tfjs-node: already built, nothing to do (--force rebuilds)"
  exit 0
fi

WHEEL=${TFJS_NODE_TF_WHEEL:-}
if [ -z "$WHEEL" ]; then
  CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/snnc/wheels"
  mkdir -p "$CACHE"
  WHEEL=$(ls "$CACHE"/tensorflow_cpu-$TF_VERSION-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$WHEEL" ]; then
    echo "build-tfjs-node: looking for the TensorFlow $TF_VERSION CPU wheel with pip (local index)..."
    pip download -q --no-deps --only-binary=:all: --retries 0 --timeout 10 -d "$CACHE" "tensorflow-cpu==$TF_VERSION" >/dev/null 2>&1 || true
    WHEEL=$(ls "$CACHE"/tensorflow_cpu-$TF_VERSION-*.whl 2>/dev/null | head -n1 || true)
  fi
fi
if [ -z "$WHEEL" ] || [ ! -f "$WHEEL" ]; then
  echo "build-tfjs-node: no TensorFlow $TF_VERSION CPU wheel available; skipping (snnc uses the wasm backend)"
  exit 0
fi
echo "build-tfjs-node: wheel $WHEEL"

# The package without its install script (which would try the download).
(cd "$ROOT" && flock /tmp/snnc-npm.lock npm install --no-save --ignore-scripts --no-audit --no-fund @tensorflow/tfjs-node@4.22.0 >/dev/null)
[ -d "$PKG" ] || { echo "build-tfjs-node: npm did not install @tensorflow/tfjs-node" >&2; exit 1; }

LIB="$PKG/deps/lib"
rm -rf "$PKG/deps" "$PKG/lib/napi-v8"
mkdir -p "$LIB"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
unzip -q "$WHEEL" 'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2' 'tensorflow/include/*' -d "$TMP"
mv "$TMP/tensorflow/libtensorflow_cc.so.2" "$TMP/tensorflow/libtensorflow_framework.so.2" "$LIB/"
mv "$TMP/tensorflow/include" "$PKG/deps/include"
(
  cd "$LIB"
  ln -sf libtensorflow_cc.so.2 libtensorflow.so                 # -ltensorflow at link time
  ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so # -ltensorflow_framework
  ln -sf libtensorflow_cc.so.2 libtensorflow.so.2.9.1           # install.js sees this and skips its download
)
# A custom binary without an `addon` entry sends install.js straight to --build-from-source.
echo '{"tf-lib": "unused: deps/lib is already populated"}' > "$PKG/scripts/custom-binary.json"
echo "build-tfjs-node: compiling the addon..."
(cd "$PKG" && npm_config_nodedir=${npm_config_nodedir:-/usr} PATH="$ROOT/node_modules/.bin:$PATH" node scripts/install.js >"$TMP/install.log" 2>&1) || {
  tail -n 30 "$TMP/install.log" >&2
  echo "build-tfjs-node: the addon failed to build" >&2
  exit 1
}
if works; then
  exit 0
fi
echo "build-tfjs-node: built, but the smoke test failed" >&2
exit 1
