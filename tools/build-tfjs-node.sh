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
#   SNNC_TFJS_NODE_CACHE=DIR   where built addons are kept (default ~/.cache/snnc/tfjs-node)
# Idempotent: exits 0 at once when a working tfjs-node is already installed (--force rebuilds),
# and exits 0 with a message when no wheel can be found. A build takes ~1 min (npm, unzip, 10 s
# compile). `npm ci` and any later `npm install` remove the package (it is installed with
# --no-save, so it is not in package.json or the lockfile); every successful build is therefore
# kept in a cache outside node_modules (the addon and the TensorFlow library, keyed by the
# tfjs-node version, Node's module ABI and the CPU architecture), and running this script again
# after `npm ci` restores it from there in seconds instead of rebuilding.
# Disk: ~1.1 GB under node_modules/@tensorflow/tfjs-node/deps (never commit it), plus the same
# in the cache (hard links when both are on one file system, so usually no extra space).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PKG="$ROOT/node_modules/@tensorflow/tfjs-node"
TF_VERSION=2.21.0
TFJS_NODE_VERSION=4.22.0
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

# snnc's own TensorFlow ops (the fused neuron kernels) link the library this script installs, so
# they are built (or found up to date, in ~0 s) after every successful build or restore. The
# backend works without them (slower neuron layers), so a failure here only warns.
native_ops() {
  bash "$ROOT/tools/build-native-ops.sh" || echo "build-tfjs-node: the native neuron ops did not build; the tensorflow backend runs neurons as tfjs ops" >&2
}

if [ "$FORCE" != "--force" ] && works; then
  echo "build-tfjs-node: already built, nothing to do (--force rebuilds)"
  native_ops
  exit 0
fi

# A build is only valid for one tfjs-node version, Node module ABI and architecture.
KEY="tfjs-node-$TFJS_NODE_VERSION-node-abi$(node -p process.versions.modules)-$(node -p process.arch)"
ADDON_CACHE="${SNNC_TFJS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/snnc/tfjs-node}/$KEY"

install_package() {
  # The package without its install script (which would try the download).
  (cd "$ROOT" && flock /tmp/snnc-npm.lock npm install --no-save --ignore-scripts --no-audit --no-fund --prefer-offline "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" >/dev/null)
  [ -d "$PKG" ] || { echo "build-tfjs-node: npm did not install @tensorflow/tfjs-node" >&2; exit 1; }
}

# Copies a tree, as hard links when source and target share a file system (no extra disk, ~1 s).
copy_tree() {
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -a "$1" "$2"; }
}

if [ "$FORCE" != "--force" ] && [ -f "$ADDON_CACHE/complete" ]; then
  echo "build-tfjs-node: restoring the build kept in $ADDON_CACHE"
  install_package
  copy_tree "$ADDON_CACHE/deps" "$PKG/deps"
  copy_tree "$ADDON_CACHE/lib/napi-v8" "$PKG/lib/napi-v8"
  cp "$ADDON_CACHE/custom-binary.json" "$PKG/scripts/custom-binary.json"
  if works; then
    native_ops
    exit 0
  fi
  echo "build-tfjs-node: the kept build does not load any more; rebuilding" >&2
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

install_package

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
  # Kept for the next `npm ci`; `complete` is written last so a half-copied cache is never used.
  rm -rf "$ADDON_CACHE"
  mkdir -p "$ADDON_CACHE/lib"
  copy_tree "$PKG/deps" "$ADDON_CACHE/deps"
  copy_tree "$PKG/lib/napi-v8" "$ADDON_CACHE/lib/napi-v8"
  cp "$PKG/scripts/custom-binary.json" "$ADDON_CACHE/custom-binary.json"
  date -u +%Y-%m-%dT%H:%M:%SZ > "$ADDON_CACHE/complete"
  echo "build-tfjs-node: kept in $ADDON_CACHE (restored from there after npm ci)"
  native_ops
  exit 0
fi
echo "build-tfjs-node: built, but the smoke test failed" >&2
exit 1
