#!/usr/bin/env bash
# The report's configuration (examples/report/network.snn, experiment `baseline`: conv 32-64-128,
# fc 64, T=4, batch 64, Adam lr 0.01) on one backend. A full 3-epoch run takes over an hour on
# wasm, so this measures:
#   1. seconds per training step on real MNIST batches (step-time.mjs), extrapolated to an epoch;
#   2. one real epoch on a subset through runExperiment (run.mjs): TRAIN_LIMIT training and
#      TEST_LIMIT test images, with the run directory, checkpoints and summary.json.
# Set FULL=1 to run the real thing (3 epochs, 60k/10k).
#
#   BACKEND=wasm STEPS=20 TRAIN_LIMIT=3200 TEST_LIMIT=2000 tools/bench/train/report.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
BACKEND=${BACKEND:-wasm}
RUNS=${RUNS:-/tmp/snnc-bench-runs}
npx tsc -b packages/runtime packages/dsl
uptime
node tools/bench/train/step-time.mjs examples/report/network.snn --experiment baseline --backend "$BACKEND" --steps "${STEPS:-20}" --warmup 3
if [ "${FULL:-0}" = 1 ]; then
  node tools/bench/train/run.mjs examples/report/network.snn --experiment baseline --backend "$BACKEND" --runs "$RUNS"
else
  node tools/bench/train/run.mjs examples/report/network.snn --experiment baseline --backend "$BACKEND" --epochs 1 \
    --train-limit "${TRAIN_LIMIT:-3200}" --test-limit "${TEST_LIMIT:-2000}" --runs "$RUNS"
fi
uptime
