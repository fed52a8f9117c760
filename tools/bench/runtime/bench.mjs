#!/usr/bin/env node
// Training speed of the report's SNN (conv 32-64-128, fc 64, T=4, MSE on one-hot rates, Adam)
// on every tfjs backend that loads here, side by side with the PyTorch reference
// (/work/shared/peers/torch_lif/lif_snn.py --bench), plus fused vs composed LIF kernels.
//
//   npx tsc -b packages/runtime && node tools/bench/runtime/bench.mjs [options]
//     --iters N        timed training iterations per row (default 10), after --warmup (default 3)
//     --batches 64,128 --backends tensorflow,wasm,cpu --no-torch --no-lif --no-train
//     --lif-steps 4,8,16,32  --lif-batch 16  --cpu-iters 2 (the cpu backend takes ~30 s/step)
//     --profile        one tf.profile()d step per backend: the kernels that dominate
//     --json FILE      also write every row as JSON
// Each row runs in its own process (clean peak RSS); rows run one after another, never in parallel.
// Each row records the load: other processes' CPU (cores, from /proc/stat) during the timed loop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSampler, loadMnist, median, mnistDir, reportModel } from './workload.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TORCH = process.env.TORCH_LIF ?? '/work/shared/peers/torch_lif/lif_snn.py';

function args(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!k.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) a[k.slice(2)] = true;
    else a[k.slice(2)] = next, i++;
  }
  return a;
}
const list = (s, d) => (typeof s === 'string' ? s.split(',') : d);

// ----------------------------------------------------------------------------- children
async function child(a) {
  const tf = await import('@tensorflow/tfjs-core');
  const { loadBackend } = await import('@snnc/runtime/node');
  const { buildNetwork } = await import('@snnc/runtime');
  const { Random } = await import('@snnc/ir');
  const loaded = await loadBackend(a.backend);
  const out = { backend: loaded.name, detail: loaded.detail };
  if (a.child === 'train' || a.child === 'profile') {
    const B = Number(a.batch);
    const iters = Number(a.iters);
    const warmup = Number(a.warmup);
    const impl = a.impl ?? 'auto';
    const net = buildNetwork(reportModel(128, 64, 4), { seed: 0, neuronImpl: impl });
    const data = loadMnist(B * 8);
    const batches = Array.from({ length: 8 }, (_, i) => ({
      x: tf.tensor4d(data.x.subarray(i * B * 784, (i + 1) * B * 784), [B, 28, 28, 1]),
      y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.y.subarray(i * B, (i + 1) * B), 'int32'), 10), 'float32')),
    }));
    const opt = tf.train.adam(1e-3);
    const rng = new Random(1);
    const step = (i) => {
      const { x, y } = batches[i % batches.length];
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(net.forward(x, { training: true, rng }), y))), true, net.trainable);
      const v = loss.dataSync()[0];
      loss.dispose();
      return v;
    };
    if (a.child === 'profile') {
      step(0);
      const info = await tf.profile(() => { step(1); });
      const byKernel = new Map();
      for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (await k.kernelTimeMs));
      const total = [...byKernel.values()].reduce((s, v) => s + v, 0);
      out.profile = [...byKernel.entries()].sort((p, q) => q[1] - p[1]).slice(0, 14).map(([name, ms]) => ({ name, ms: +ms.toFixed(1), share: +(ms / total).toFixed(3) }));
      out.kernelMsTotal = +total.toFixed(1);
      return out;
    }
    for (let i = 0; i < warmup; i++) step(i);
    const tensorsAfterWarmup = tf.memory().numTensors;
    const sample = cpuSampler();
    const times = [];
    const cpuTimes = [];
    let loss = 0;
    for (let i = 0; i < iters; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      loss = step(warmup + i);
      const c1 = process.cpuUsage(c0);
      times.push(performance.now() - t0);
      cpuTimes.push((c1.user + c1.system) / 1000);
    }
    const cpu = sample();
    const fwd = [];
    for (let i = 0; i < Math.min(5, iters); i++) {
      const t0 = performance.now();
      tf.tidy(() => net.forward(batches[i % 8].x, { training: false, rng }).dataSync());
      fwd.push(performance.now() - t0);
    }
    Object.assign(out, {
      kind: 'train', impl, batch: B, iters, warmup,
      msPerIter: +median(times).toFixed(1), imgPerS: +(B / (median(times) / 1000)).toFixed(1),
      cpuMsPerIter: +median(cpuTimes).toFixed(1), // process CPU time (all threads): the work, less sensitive to load than wall time
      forwardMs: +median(fwd).toFixed(1), lastLoss: +loss.toFixed(5),
      tensorsFlat: tf.memory().numTensors === tensorsAfterWarmup,
      peakRssKB: process.resourceUsage().maxRSS, selfCores: +cpu.selfCores.toFixed(2), otherCores: +cpu.otherCores.toFixed(2),
      loadavg: +os.loadavg()[0].toFixed(2),
    });
    return out;
  }
  if (a.child === 'lif') {
    // The five LIF layers of the network at their real shapes, batch --lif-batch, T steps,
    // on time-major [T*B, ...] inputs drawn so that the neurons fire; dy given (tf.grad).
    const { buildNeuron, fusedNeuronAvailable } = await import('@snnc/runtime');
    const { LIF } = await import('./workload.mjs');
    const T = Number(a.steps);
    const B = Number(a.lifBatch);
    const shapes = [[28, 28, 32], [14, 14, 64], [7, 7, 128], [64], [10]];
    const rng = new Random(3);
    const ctx = { training: true, rng, steps: T, batch: B, folded: true };
    const xs = shapes.map((s, i) => tf.randomUniform([T * B, ...s], -0.5, 2.5, 'float32', i));
    const dys = shapes.map((s, i) => tf.randomUniform([T * B, ...s], -1, 1, 'float32', 10 + i));
    const time = (f) => {
      const ts = [];
      for (let r = 0; r < 6; r++) {
        const t0 = performance.now();
        f();
        if (r > 0) ts.push(performance.now() - t0); // the first run warms up
      }
      return median(ts);
    };
    const rows = [];
    for (const impl of fusedNeuronAvailable() ? ['composed', 'bptt', 'fused'] : ['composed', 'bptt']) {
      const layers = shapes.map((_, i) => buildNeuron({ kind: 'neuron', id: `neuron_${i}`, inShape: [], outShape: [], neuron: LIF }, impl));
      const sample = cpuSampler();
      const fwdMs = time(() => tf.tidy(() => layers.forEach((l, i) => l.apply(xs[i], ctx).dataSync())));
      const fwdBwdMs = time(() => tf.tidy(() => layers.forEach((l, i) => tf.grad((x) => l.apply(x, ctx))(xs[i], dys[i]).dataSync())));
      const cpu = sample();
      rows.push({ impl, fwdMs: +fwdMs.toFixed(1), fwdBwdMs: +fwdBwdMs.toFixed(1), otherCores: +cpu.otherCores.toFixed(2) });
    }
    tf.dispose([...xs, ...dys]);
    Object.assign(out, { kind: 'lif', steps: T, batch: B, rows });
    return out;
  }
  throw new Error(`unknown child mode ${a.child}`);
}

// ----------------------------------------------------------------------------- parent
function runChild(argv, timeoutS = 900) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...argv], {
    encoding: 'utf8', timeout: timeoutS * 1000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, maxBuffer: 1 << 24,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ') };
  return JSON.parse(line);
}

function runTorch(B, iters, warmup) {
  if (!fs.existsSync(TORCH)) return { error: `${TORCH} not found` };
  const r = spawnSync('/usr/bin/time', ['-v', '/usr/bin/python3', TORCH, '--conv', '128', '--fc', '64', '--batch', String(B), '--T', '4', '--threads', '2', '--bench', String(iters), '--warmup', String(warmup)], {
    encoding: 'utf8', env: { ...process.env, MNIST_DIR: mnistDir() }, cwd: path.dirname(TORCH), timeout: 900_000,
  });
  const bench = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH'));
  if (!bench) return { error: ((r.stderr ?? '') + (r.stdout ?? '')).trim().split('\n').slice(-3).join(' | ') };
  const kv = Object.fromEntries(bench.split(' ').slice(1).map((p) => p.split('=')));
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const cpuPct = /Percent of CPU this job got: (\d+)%/.exec(r.stderr ?? '');
  return {
    kind: 'train', backend: 'pytorch', detail: `PyTorch (Debian python3-torch), 2 threads`, batch: B, iters, warmup,
    msPerIter: +(Number(kv.median_s_per_iter) * 1000).toFixed(1), imgPerS: Number(kv.img_per_s),
    cpuMsPerIter: +(Number(kv.median_cpu_s_per_iter) * 1000).toFixed(1),
    peakRssKB: rss ? Number(rss[1]) : null, loadavg: Number(kv.loadavg1_start), psi: `${kv.cpu_psi_some_avg10_start}->${kv.cpu_psi_some_avg10_end}`,
    selfCores: cpuPct ? Number(cpuPct[1]) / 100 : null,
  };
}

async function main() {
  const a = args(process.argv.slice(2));
  if (a.child) {
    const out = await child({ ...a, lifBatch: a['lif-batch'] });
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  const iters = Number(a.iters ?? 10);
  const warmup = Number(a.warmup ?? 3);
  const batches = list(a.batches, ['64', '128']).map(Number);
  const backends = list(a.backends, ['tensorflow', 'wasm', 'cpu']);
  const rows = [];
  const log = (r) => {
    rows.push(r);
    console.error(JSON.stringify(r));
  };
  console.error(`# ${new Date().toISOString()} ${os.cpus()[0]?.model} x${os.cpus().length}; loadavg at start ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (a.profile) {
    for (const backend of backends.filter((b) => b !== 'cpu')) log({ mode: 'profile', ...runChild(['--child', 'profile', '--backend', backend, '--batch', '64', '--iters', '1', '--warmup', '1']) });
  }
  if (!a['no-train']) {
    for (const B of batches) {
      if (!a['no-torch']) log(runTorch(B, Math.max(iters, 10), warmup));
      for (const backend of backends) {
        const cpuRow = backend === 'cpu';
        if (cpuRow && B !== batches[0]) continue; // ~30 s per step: one batch size is enough
        const it = cpuRow ? Number(a['cpu-iters'] ?? 2) : iters;
        log(runChild(['--child', 'train', '--backend', backend, '--batch', String(B), '--iters', String(it), '--warmup', String(cpuRow ? 1 : warmup)]));
        if (backend !== 'cpu' && B === batches[0] && !a['no-ablation']) {
          // the same step with the other neuron implementations (auto = fused on wasm, bptt on tensorflow)
          for (const impl of backend === 'wasm' ? ['composed', 'bptt'] : ['composed']) {
            log(runChild(['--child', 'train', '--backend', backend, '--batch', String(B), '--iters', String(it), '--warmup', String(warmup), '--impl', impl]));
          }
        }
      }
    }
  }
  if (!a['no-lif']) {
    for (const backend of backends) {
      for (const T of list(a['lif-steps'], ['4', '8', '16', '32']).map(Number)) {
        if (backend === 'cpu' && T > 8) continue;
        log(runChild(['--child', 'lif', '--backend', backend, '--steps', String(T), '--lif-batch', String(a['lif-batch'] ?? 16)]));
      }
    }
  }
  console.log(table(rows));
  if (typeof a.json === 'string') fs.writeFileSync(a.json, JSON.stringify(rows, null, 2));
}

function table(rows) {
  const out = ['| backend | LIF | batch | train ms/iter | img/s | CPU ms/iter | forward ms | peak RSS MB | own cores | other cores (load) |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of rows.filter((r) => r.kind === 'train')) {
    out.push(`| ${r.detail} | ${r.impl ?? 'autograd'} | ${r.batch} | ${r.msPerIter} | ${r.imgPerS} | ${r.cpuMsPerIter ?? ''} | ${r.forwardMs ?? ''} | ${r.peakRssKB ? (r.peakRssKB / 1024).toFixed(0) : ''} | ${r.selfCores ?? ''} | ${r.otherCores ?? ''}${r.psi ? ` psi ${r.psi}` : ''} (${r.loadavg}) |`);
  }
  const lif = rows.filter((r) => r.kind === 'lif');
  if (lif.length) {
    out.push('', '| backend | T | fwd ms: composed / bptt / fused | fwd+bwd ms: composed / bptt / fused | fwd+bwd speed-up of the best over composed | other cores |', '|---|---:|---|---|---:|---|');
    for (const r of lif) {
      const get = (impl) => r.rows.find((x) => x.impl === impl);
      const c = get('composed');
      const best = Math.min(...r.rows.map((x) => x.fwdBwdMs));
      const cell = (k) => ['composed', 'bptt', 'fused'].map((i) => get(i)?.[k] ?? 'n/a').join(' / ');
      out.push(`| ${r.backend} | ${r.steps} | ${cell('fwdMs')} | ${cell('fwdBwdMs')} | ${(c.fwdBwdMs / best).toFixed(2)}x | ${r.rows.map((x) => x.otherCores).join('/')} |`);
    }
  }
  for (const r of rows.filter((r) => r.error || r.mode === 'profile')) out.push('', '```', JSON.stringify(r), '```');
  return out.join('\n');
}

await main();
