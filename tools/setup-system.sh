#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, once:
#   chromium                      editor end-to-end tests (playwright-core drives it)
#   redis-server                  the BullMQ sweep-queue test
#   libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri
#                                 Mesa llvmpipe, the software GPU driver Dawn uses for the
#                                 webgpu backend tests (tools/setup-webgpu-driver.sh checks it)
# Idempotent; a no-op where everything is installed. Needs root (or sudo) and Debian's apt.
set -euo pipefail
pkgs=(chromium redis-server libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "setup-system: ${pkgs[*]} already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: apt-get not found; install ${need[*]} by hand (tests that need them say so and skip)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
