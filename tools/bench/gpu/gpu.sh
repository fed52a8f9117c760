#!/usr/bin/env bash
# The prepared GPU benchmark (issue 7): tfjs's `webgpu` backend on Dawn (npm `webgpu`) on a
# machine with an NVIDIA GPU and no network. Under 8 minutes. Steps:
#   1. the driver side: nvidia-smi, NVIDIA_DRIVER_CAPABILITIES (Vulkan needs `graphics`),
#      the Vulkan loader (libvulkan.so.1) and the NVIDIA ICD manifest (exported as
#      VK_DRIVER_FILES / VK_ICD_FILENAMES when found);
#   2. a raw Dawn probe: adapter info (vendor, architecture, isFallbackAdapter) and one WGSL
#      compute shader checked on the GPU;
#   3. bench.mjs: training images/s of the report's network (conv 32-64-128, fc 64, T = 4) at
#      batch 64, 256 and 1024, and the fused LIF kernel against composed ops at T = 4, 8, 16, 32.
#      It refuses a software adapter (SNN7006), so the numbers are a real GPU's or none.
#
#   bash tools/bench/gpu/gpu.sh             the real run (prints GPU {...} lines; copies the log to $OUT if set)
#   bash tools/bench/gpu/gpu.sh --dry-run   tiny settings, accepts a software adapter (CPU-only machines)
#   bash tools/bench/gpu/gpu.sh --prepare   on a machine WITH Debian apt access: unpack libvulkan1 into
#                                           tools/bench/gpu/vendor/ (git-ignored; carry it) for GPU hosts without a loader
#
# Needs in the working tree: node_modules (webgpu, @tensorflow/*, typescript's native tsc) and
# Node >= 20 on PATH. packages/{ir,dsl,runtime}/dist are built here when missing (offline, ~10 s).
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
ROOT=$PWD
HERE=tools/bench/gpu
MODE=${1:-run}
LOG=$(mktemp)
say() { echo "gpu.sh: $*" | tee -a "$LOG"; }

if [ "$MODE" = "--prepare" ]; then
  set -e
  mkdir -p "$HERE/vendor/debs"
  (cd "$HERE/vendor/debs" && apt-get download libvulkan1)
  for d in "$HERE"/vendor/debs/*.deb; do dpkg-deb -x "$d" "$HERE/vendor/root"; done
  ls -la "$HERE"/vendor/root/usr/lib/x86_64-linux-gnu/
  exit 0
fi

START=$(date +%s)
say "start $(date -u +%FT%TZ) mode=$MODE host=$(hostname)"
command -v node >/dev/null || { say "FAIL: node not on PATH (Node >= 20 is required)"; exit 1; }
say "node $(node --version)"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/gpu.sh: nvidia-smi: /' | tee -a "$LOG"
else
  say "nvidia-smi: not found"
fi
say "NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset} (Vulkan needs 'graphics' or 'all')"

# Vulkan loader: the system's, else the one unpacked by --prepare.
if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  say "vulkan loader: $(ldconfig -p | grep 'libvulkan\.so\.1' | head -1 | sed 's/.*=> //')"
elif [ -f "$HERE/vendor/root/usr/lib/x86_64-linux-gnu/libvulkan.so.1" ]; then
  export LD_LIBRARY_PATH="$ROOT/$HERE/vendor/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "vulkan loader: carried copy in $HERE/vendor (LD_LIBRARY_PATH)"
else
  say "vulkan loader: MISSING (no libvulkan.so.1; run '$0 --prepare' where apt works and carry $HERE/vendor)"
fi

# NVIDIA's ICD: often outside the loader's default directories in containers.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for j in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$j" ]; then export VK_DRIVER_FILES="$j" VK_ICD_FILENAMES="$j"; break; fi
  done
fi
say "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
[ -n "${VK_DRIVER_FILES:-}" ] && [ -f "$VK_DRIVER_FILES" ] && say "ICD: $(tr -d '\n ' < "$VK_DRIVER_FILES")"
ls /usr/local/nvidia/share/vulkan/icd.d /etc/vulkan/icd.d /usr/share/vulkan/icd.d 2>/dev/null | sed 's/^/gpu.sh: icd dirs: /' | tee -a "$LOG"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

if [ ! -f packages/runtime/dist/node/index.js ] || [ ! -f packages/dsl/dist/index.js ]; then
  say "building packages/runtime and packages/dsl (dist missing)"
  npx tsc -b packages/runtime packages/dsl 2>&1 | tail -20 | tee -a "$LOG"
fi

say "raw Dawn probe (vulkan)"
timeout 60 node --input-type=module -e "
  const { create, globals } = await import('$ROOT/node_modules/webgpu/index.js');
  Object.assign(globalThis, globals);
  const a = await create(['backend=vulkan']).requestAdapter({ powerPreference: 'high-performance' });
  if (a === null) { console.log('PROBE adapter: none'); process.exit(3); }
  const i = a.info;
  console.log('PROBE adapter: ' + JSON.stringify({ vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter }));
  const dev = await a.requestDevice();
  const m = dev.createShaderModule({ code: '@group(0) @binding(0) var<storage, read_write> v: array<f32>; @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = v[id.x] * 2.0 + 1.0; }' });
  const p = dev.createComputePipeline({ layout: 'auto', compute: { module: m, entryPoint: 'main' } });
  const n = 1024, buf = dev.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  dev.queue.writeBuffer(buf, 0, Float32Array.from({ length: n }, (_, k) => k));
  const rb = dev.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const e = dev.createCommandEncoder(), c = e.beginComputePass();
  c.setPipeline(p); c.setBindGroup(0, dev.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }));
  c.dispatchWorkgroups(n / 64); c.end(); e.copyBufferToBuffer(buf, 0, rb, 0, n * 4); dev.queue.submit([e.finish()]);
  await rb.mapAsync(GPUMapMode.READ); const r = new Float32Array(rb.getMappedRange().slice(0)); rb.unmap();
  const ok = r.every((x, k) => x === 2 * k + 1);
  console.log('PROBE compute: ' + (ok ? 'ok' : 'WRONG') + ' (' + r[0] + ', ' + r[1] + ', ' + r[n - 1] + '; expected 1, 3, ' + (2 * n - 1) + ')');
  dev.destroy(); process.exit(ok ? 0 : 4);
" 2>&1 | grep -v 'artificially reduced' | cut -c1-400 | tee -a "$LOG"
PROBE_RC=${PIPESTATUS[0]}
say "probe exit code $PROBE_RC"
if grep -q '"isFallbackAdapter":true' "$LOG" || ! grep -qi '"vendor":"nvidia"' "$LOG"; then
  say "WARNING: the Vulkan adapter is not an NVIDIA GPU (fallback/software or none): bench.mjs will refuse it unless --dry-run"
fi

if [ "$MODE" = "--dry-run" ]; then
  ARGS=(--allow-software --batches 4,8 --steps 2 --warmup 1 --phase-seconds 20 --lif-steps 4,8 --lif-shape 2,8,8,4 --lif-iters 2)
  LIMIT=300
else
  ARGS=(--batches 64,256,1024 --steps 20 --warmup 2 --phase-seconds 50 --lif-steps 4,8,16,32 --lif-shape 64,28,28,32 --lif-iters 5)
  LIMIT=$(( 450 - ($(date +%s) - START) ))
fi
say "bench.mjs ${ARGS[*]} (limit ${LIMIT}s)"
timeout "$LIMIT" node "$HERE/bench.mjs" "${ARGS[@]}" 2>&1 | grep -v 'artificially reduced' | tee -a "$LOG"
BENCH_RC=${PIPESTATUS[0]}
say "bench exit code $BENCH_RC; total $(( $(date +%s) - START )) s"
if [ -n "${OUT:-}" ] && [ -d "$OUT" ]; then cp "$LOG" "$OUT/gpu-bench.log"; fi
rm -f "$LOG"
exit "$BENCH_RC"
