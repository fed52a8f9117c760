#!/usr/bin/env node
// Training speed and peak memory of two workloads on every tfjs backend that loads here, side by
// side with the PyTorch reference (lif_snn.py --bench, path from TORCH_LIF), plus fused vs
// composed LIF kernels:
//   report   the report's SNN: conv 32-64-128, fc 64, T=4, LIF, MSE on one-hot rates, Adam
//   sj_csnn  SpikingJelly's CSNN: 2 x conv 128 at 28x28 (and 14x14), fc 2048, IF neurons, T=4
// Training goes through the same Trainer as `snnc run` (data pipeline, activity counting and, on
// wasm, the data-parallel worker threads, one per core unless --workers N).
//
//   npx tsc -b packages/runtime && node tools/bench/runtime/bench.mjs [options]
//     --iters N        timed training iterations per row (default 10), after --warmup (default 3)
//     --batches 64,128 --backends tensorflow,wasm,cpu --workloads report,sj_csnn
//     --workers N      wasm replicas (default: one per core, as `snnc run`)
//     --no-torch --no-lif --no-train --no-ablation
//     --lif-steps 4,8,16,32  --lif-batch 16  --cpu-iters 2 (the cpu backend takes ~30 s/step)
//     --profile        one tf.profile()d step per backend: the kernels that dominate, by kernel
//                      and by kernel and input shapes
//     --json FILE      also write every row as JSON (each with its `workload`)
// Each row runs in its own process (clean peak RSS: worker threads count, they share it); rows
// run one after another, never in parallel. Each row records the load: other processes' CPU
// (cores, from /proc/stat) during the timed loop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchExperiment, cpuSampler, loadMnist, median, mnistDir, reportModel, WORKLOADS, workloadModel } from './workload.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// The PyTorch peer: TORCH_LIF, else the shared folder beside the repository (../shared).
const TORCH = process.env.TORCH_LIF ?? path.resolve(HERE, '../../../../shared/peers/torch_lif/lif_snn.py');

/**
 * The system BLAS (Debian's alternatives link) and TF_ENABLE_ONEDNN_OPTS: Debian's PyTorch runs
 * its convolutions on the system BLAS, which made it 5x slower on the CSNN with the reference
 * BLAS than with OpenBLAS here (docs/benchmarks.md §10), so every run says which it had.
 */
function blasInfo() {
  let blas = 'unknown';
  try {
    blas = fs.realpathSync('/etc/alternatives/libblas.so.3-x86_64-linux-gnu').replace('/usr/lib/x86_64-linux-gnu/', '');
  } catch {
    // not Debian's alternatives
  }
  return `system BLAS ${blas}; TF_ENABLE_ONEDNN_OPTS=${process.env.TF_ENABLE_ONEDNN_OPTS ?? '(unset: snnc sets 1)'}`;
}

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
  if (a.child === 'profile') {
    const B = Number(a.batch);
    const net = buildNetwork(workloadModel(a.workload), { seed: 0 });
    const data = loadMnist(B * 2);
    const batches = [0, 1].map((i) => ({
      x: tf.tensor4d(data.x.subarray(i * B * 784, (i + 1) * B * 784), [B, 28, 28, 1]),
      y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.y.subarray(i * B, (i + 1) * B), 'int32'), 10), 'float32')),
    }));
    const opt = tf.train.adam(1e-3);
    const rng = new Random(1);
    const step = (i) => {
      const { x, y } = batches[i];
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(net.forward(x, { training: true, rng }), y))), true, net.trainable);
      loss.dataSync();
      loss.dispose();
    };
    step(0);
    const info = await tf.profile(() => { step(1); });
    // tf.customGrad forwards are recorded as a scope ('unnamed scope') AND as the kernels inside
    // them: counting both would count their time twice, so scopes are left out of the totals.
    const byKernel = new Map();
    const byShape = new Map();
    for (const k of info.kernels) {
      if (k.name === 'unnamed scope') continue;
      const ms = await k.kernelTimeMs;
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const e = byShape.get(key) ?? { ms: 0, calls: 0 };
      e.ms += ms;
      e.calls++;
      byShape.set(key, e);
    }
    const total = [...byKernel.values()].reduce((s, v) => s + v, 0);
    out.profile = [...byKernel.entries()].sort((p, q) => q[1] - p[1]).slice(0, 14).map(([name, ms]) => ({ name, ms: +ms.toFixed(1), share: +(ms / total).toFixed(3) }));
    out.profileByShape = [...byShape.entries()].sort((p, q) => q[1].ms - p[1].ms).slice(0, 20).map(([kernel, e]) => ({ kernel, ms: +e.ms.toFixed(1), calls: e.calls }));
    out.kernelMsTotal = +total.toFixed(1);
    out.peakBytes = info.peakBytes;
    return out;
  }
  if (a.child === 'train') {
    // The Trainer of `snnc run`, timed per training batch through its progress callback.
    const { Trainer, takeFirst } = await import('@snnc/runtime');
    const { loadData, planReplicas, startReplicas } = await import('@snnc/runtime/node');
    const B = Number(a.batch);
    const iters = Number(a.iters);
    const warmup = Number(a.warmup);
    const impl = a.impl ?? 'auto';
    const experiment = benchExperiment(a.workload, B);
    const mnist = await loadData({ kind: 'mnist' }, '.');
    const train = takeFirst(mnist.train, B * (warmup + iters));
    const test = takeFirst(mnist.test, B);
    const plan = planReplicas(a.workers === undefined ? undefined : Number(a.workers), loaded, experiment);
    const replicas = await startReplicas(plan, loaded, experiment, train);
    const net = buildNetwork(experiment.model, { seed: experiment.seed, neuronImpl: impl });
    const trainer = new Trainer({ experiment, network: net, train, test, ...(replicas ? { replicas } : {}) });
    const times = [];
    const cpuTimes = [];
    let tensorsAfterWarmup = 0;
    let sample;
    let lastSeconds = 0;
    let c0 = process.cpuUsage();
    let loss = 0;
    await trainer.run({
      callbacks: {
        onBatch: (p) => {
          if (p.phase !== 'train') return;
          const c1 = process.cpuUsage(c0);
          c0 = process.cpuUsage();
          if (p.batch > warmup) {
            times.push((p.seconds - lastSeconds) * 1000);
            cpuTimes.push((c1.user + c1.system) / 1000);
          }
          if (p.batch === warmup) {
            tensorsAfterWarmup = tf.memory().numTensors;
            sample = cpuSampler();
          }
          lastSeconds = p.seconds;
          loss = p.loss;
        },
      },
    });
    const cpu = sample();
    const fwd = [];
    const x = tf.tensor4d(loadMnist(B).x, [B, 28, 28, 1]);
    const rng = new Random(1);
    for (let i = 0; i < Math.min(5, iters); i++) {
      const t0 = performance.now();
      tf.tidy(() => net.forward(x, { training: false, rng }).dataSync());
      fwd.push(performance.now() - t0);
    }
    x.dispose();
    const tensorsFlat = tf.memory().numTensors === tensorsAfterWarmup;
    trainer.dispose();
    net.dispose();
    await replicas?.close();
    Object.assign(out, {
      kind: 'train', workload: a.workload, impl, batch: B, iters, warmup, workers: plan.replicas,
      msPerIter: +median(times).toFixed(1), imgPerS: +(B / (median(times) / 1000)).toFixed(1),
      cpuMsPerIter: +median(cpuTimes).toFixed(1), // process CPU time (all threads): the work, less sensitive to load than wall time
      forwardMs: +median(fwd).toFixed(1), lastLoss: +loss.toFixed(5),
      tensorsFlat,
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
    Object.assign(out, { kind: 'lif', workload: 'lif', steps: T, batch: B, rows });
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

function runTorch(workload, B, iters, warmup) {
  if (!fs.existsSync(TORCH)) return { workload, error: `${TORCH} not found` };
  const r = spawnSync('/usr/bin/time', ['-v', '/usr/bin/python3', TORCH, '--arch', workload, '--conv', '128', '--fc', '64', '--batch', String(B), '--T', '4', '--threads', String(os.availableParallelism()), '--bench', String(iters), '--warmup', String(warmup)], {
    encoding: 'utf8', env: { ...process.env, MNIST_DIR: mnistDir() }, cwd: path.dirname(TORCH), timeout: 900_000,
  });
  const bench = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH'));
  if (!bench) return { workload, error: ((r.stderr ?? '') + (r.stdout ?? '')).trim().split('\n').slice(-3).join(' | ') };
  const kv = Object.fromEntries(bench.split(' ').slice(1).map((p) => p.split('=')));
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const cpuPct = /Percent of CPU this job got: (\d+)%/.exec(r.stderr ?? '');
  return {
    kind: 'train', workload, backend: 'pytorch', detail: `PyTorch ${/torch=(\S+)/.exec(r.stdout ?? '')?.[1] ?? '?'}, ${os.availableParallelism()} threads`, batch: B, iters, warmup,
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
  console.error(`# ${new Date().toISOString()} ${os.cpus()[0]?.model} x${os.cpus().length}; loadavg at start ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; ${blasInfo()}`);
  const workloads = list(a.workloads, WORKLOADS);
  const bad = workloads.filter((w) => !WORKLOADS.includes(w));
  if (bad.length) throw new Error(`--workloads: unknown ${bad.join(', ')} (known: ${WORKLOADS.join(', ')})`);
  const workers = a.workers === undefined ? [] : ['--workers', String(a.workers)];
  if (a.profile) {
    for (const backend of backends.filter((b) => b !== 'cpu')) log({ mode: 'profile', workload: workloads[0], ...runChild(['--child', 'profile', '--workload', workloads[0], '--backend', backend, '--batch', '64', '--iters', '1', '--warmup', '1']) });
  }
  if (!a['no-train']) {
    for (const workload of workloads) {
      for (const B of batches) {
        if (!a['no-torch']) log(runTorch(workload, B, Math.max(iters, 10), warmup));
        for (const backend of backends) {
          const cpuRow = backend === 'cpu';
          if (cpuRow && (B !== batches[0] || workload !== 'report')) continue; // ~30 s per step: one row is enough
          const it = cpuRow ? Number(a['cpu-iters'] ?? 2) : iters;
          const common = ['--child', 'train', '--workload', workload, '--backend', backend, '--batch', String(B), '--iters', String(it), ...workers];
          log({ workload, ...runChild([...common, '--warmup', String(cpuRow ? 1 : warmup)]) });
          if (backend !== 'cpu' && B === batches[0] && workload === 'report' && !a['no-ablation']) {
            // the same step with the other neuron implementations (auto = fused on wasm, bptt on tensorflow)
            for (const impl of backend === 'wasm' ? ['composed', 'bptt'] : ['composed']) {
              log({ workload, ...runChild([...common, '--warmup', String(warmup), '--impl', impl]) });
            }
          }
        }
      }
    }
  }
  if (!a['no-lif']) {
    for (const backend of backends) {
      for (const T of list(a['lif-steps'], ['4', '8', '16', '32']).map(Number)) {
        if (backend === 'cpu' && T > 8) continue;
        log({ workload: 'lif', ...runChild(['--child', 'lif', '--backend', backend, '--steps', String(T), '--lif-batch', String(a['lif-batch'] ?? 16)]) });
      }
    }
  }
  console.log(table(rows));
  if (typeof a.json === 'string') fs.writeFileSync(a.json, JSON.stringify(rows, null, 2));
}

function table(rows) {
  const out = ['| workload | backend | LIF | batch | train ms/iter | img/s | CPU ms/iter | forward ms | peak RSS MB | own cores | other cores (load) |', '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of rows.filter((r) => r.kind === 'train')) {
    out.push(`| ${r.workload} | ${r.detail}${r.workers > 1 ? `, ${r.workers} workers` : ''} | ${r.impl ?? 'autograd'} | ${r.batch} | ${r.msPerIter} | ${r.imgPerS} | ${r.cpuMsPerIter ?? ''} | ${r.forwardMs ?? ''} | ${r.peakRssKB ? (r.peakRssKB / 1024).toFixed(0) : ''} | ${r.selfCores ?? ''} | ${r.otherCores ?? ''}${r.psi ? ` psi ${r.psi}` : ''} (${r.loadavg}) |`);
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
