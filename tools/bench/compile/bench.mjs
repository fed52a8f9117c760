// Compile-time benchmark for @snnc/dsl, run against the built package:
//   npx tsc -b packages/dsl && node tools/bench/compile/bench.mjs [--quick]
// Prints the median compile time of every example after warm-up, then the time for generated
// files of 1,250 to 10,000 lines, to show that compile time grows linearly with file size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../../packages/dsl/dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const quick = process.argv.includes('--quick');
const readFile = (p) => {
  try {
    return fs.readFileSync(path.resolve(root, p), 'utf8');
  } catch {
    return undefined;
  }
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `runs` compiles after `warm` unmeasured ones; fails on any error. */
function time(text, file, runs, warm) {
  for (let i = 0; i < warm; i++) compile(text, { file, readFile });
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = compile(text, { file, readFile });
    ms.push(performance.now() - t0);
    if (!r.ir) throw new Error(`${file} did not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return median(ms);
}

function examples() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.snn') && p !== 'examples/mnist.snn') out.push(p);
    }
  };
  walk('examples');
  return out.sort();
}

/**
 * A file of about `lines` lines: repeated blocks of one neuron, one conv model (10 lines), one
 * experiment, one two-point sweep and one NEF network (12 lines), each with unique names.
 */
function generated(lines) {
  const block = (i) => `// block ${i}
neuron lif${i} = LIF(tau: 2, threshold: 1, surrogate: atan(alpha: 2))

model net${i}(input: [1, 28, 28], steps: 4, conv: 32, fc: 64) {
  encode direct
  conv2d(conv / 4, kernel: 3, padding: 1) -> batchnorm -> lif${i} -> maxpool(2)
  conv2d(conv / 2, kernel: 3, padding: 1) -> batchnorm -> lif${i} -> maxpool(2)
  flatten -> dense(fc) -> lif${i} -> dropout(0.1)
  dense(10) -> LIF(tau: 2)
  decode rate
}

experiment exp${i} { model: net${i}(conv: 64)  optimizer: adam(lr: 0.01)  batch: 64  epochs: 1 }
sweep sw${i} from exp${i} { model.fc: [32, 64] }

network nef${i} {
  input a = piecewise({0: 0, 0.5: 1})
  input b = sin(2 * pi * t)
  ensemble ab = LIF(n: 200, dims: 2, radius: 1.5)
  ensemble c = LIF(n: 100)
  connect a -> ab[0]
  connect b -> ab[1]
  connect ab -> c (function: x[0] * x[1], synapse: 5ms)
  probe c (synapse: 10ms, expect: a * b)
  run 1s
}
`;
  const perBlock = block(0).split('\n').length - 1;
  const n = Math.max(1, Math.round(lines / perBlock));
  return { text: Array.from({ length: n }, (_, i) => block(i)).join('\n'), blocks: n };
}

console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${quick ? 'quick' : 'full'} run\n`);
console.log('example                                   lines   median ms');
for (const file of examples()) {
  const text = readFile(file);
  const ms = time(text, file, quick ? 5 : 30, quick ? 2 : 10);
  console.log(`${file.padEnd(40)} ${String(text.split('\n').length).padStart(6)}   ${ms.toFixed(2).padStart(9)}`);
}

console.log('\ngenerated file      lines   median ms   ms per 1,000 lines');
for (const target of [1250, 2500, 5000, 10000]) {
  const { text } = generated(target);
  const lines = text.split('\n').length;
  const ms = time(text, `generated-${target}.snn`, quick ? 1 : 5, 1);
  console.log(`${`${target} lines`.padEnd(16)} ${String(lines).padStart(8)}   ${ms.toFixed(1).padStart(9)}   ${((ms / lines) * 1000).toFixed(1).padStart(10)}`);
}
