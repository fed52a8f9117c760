#!/usr/bin/env bash
# Installs a software GPU driver that Dawn (the `webgpu` npm package) can use on a CPU-only
# machine, so the webgpu tests of @snnc/runtime run instead of skipping: Mesa's EGL + GLES
# with llvmpipe, which Dawn drives through its OpenGL ES backend in compatibility mode
# (EGL_PLATFORM=surfaceless; the runtime sets it). Debian 12's own Vulkan lavapipe (Mesa
# 22.3) is rejected by Dawn, so Vulkan is not used here (docs/gpu.md has the Mesa 25 route).
# Idempotent and fast: a no-op when the packages are present. Needs root (or sudo) and apt.
# Ends by asking Dawn for the adapter and printing it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pkgs=(libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "setup-webgpu-driver: ${pkgs[*]} already installed"
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-webgpu-driver: apt-get not found; install Mesa EGL/GLES (llvmpipe) by hand; webgpu tests will skip" >&2
  exit 0
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-webgpu-driver: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Check: Dawn's GL ES backend must offer an adapter (the webgpu package must be installed).
cd "$here"
if [ ! -f node_modules/webgpu/index.js ]; then
  echo "setup-webgpu-driver: node_modules/webgpu missing (npm ci first); skipping the Dawn check"
  exit 0
fi
EGL_PLATFORM=surfaceless node --input-type=module -e "
  const { create } = await import('$here/node_modules/webgpu/index.js');
  const a = await create(['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
  if (a === null) { console.error('setup-webgpu-driver: Dawn found no OpenGL ES adapter'); process.exit(1); }
  console.log('setup-webgpu-driver: Dawn adapter:', a.info.description || a.info.device);
" 2>&1 | grep -v 'artificially reduced'
