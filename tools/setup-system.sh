#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, once: Chromium (editor end-to-end tests
# through playwright-core) and redis-server (the BullMQ sweep-queue test). Idempotent; a
# no-op where they are already installed. Needs root (or sudo) and Debian's apt.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -eq 0 ]; then
  echo "setup-system: chromium and redis-server already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: apt-get not found; install ${need[*]} by hand (tests that need them will say so)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
