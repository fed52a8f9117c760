import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

/** Inputs a careless user or an attacker can hand `snnc`: each ends in a located error, exit 1. */
describe('snnc on files that are not .snn text', () => {
  it('`use "/dev/zero"` is a located SNN2006, read not at all', async () => {
    const dir = tempFiles({ 'a.snn': 'use "/dev/zero"\n' });
    const r = await snnc(['check', 'a.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^a\.snn:1:5: error SNN2006: cannot read `\/dev\/zero`: it is a device, not a regular file/m);
  });

  it('a FIFO given to check fails at once instead of hanging', async () => {
    const dir = tempFiles({});
    execFileSync('mkfifo', [path.join(dir, 'pipe.snn')]);
    const r = await snnc(['check', 'pipe.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read `pipe.snn`: it is a pipe, not a regular file');
  });

  it('a file that is not UTF-8 is an encoding error, and fmt --write leaves its bytes alone', async () => {
    const dir = tempFiles({});
    const latin1 = Buffer.from('// caf\xe9\nneuron lif = LIF(tau: 2.0)\n', 'latin1');
    writeFileSync(path.join(dir, 'l.snn'), latin1);
    const r = await snnc(['check', 'l.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it is not UTF-8 text (invalid byte 0xe9 at line 1');
    const w = await snnc(['fmt', '--write', 'l.snn'], dir);
    expect(w.code).toBe(1);
    expect(readFileSync(path.join(dir, 'l.snn')).equals(latin1)).toBe(true);
  });

  it('a byte order mark does not shift line 1 columns', async () => {
    const dir = tempFiles({ 'b.snn': '\uFEFFneuron lif = LIF(tau: 2.0, bogus: 1)\n' });
    const r = await snnc(['check', 'b.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^b\.snn:1:28: error SNN2003/m);
  });
});

describe('flags and runtime errors', () => {
  it('refuses --lr 0x10 (not read as 16) and other non-decimal numbers', async () => {
    const dir = tempFiles({ 'n.snn': 'network n {\n  input a = 0.5\n  run 10ms\n}\n' });
    for (const v of ['0x10', '0b1', 'Infinity', '1_0']) {
      const r = await snnc(['run', 'n.snn', '--lr', v], dir);
      expect(r.code, v).toBe(2);
      expect(r.stderr).toContain('expected a positive number');
    }
  });

  it('warns that a network ignores the training flags', async () => {
    const dir = tempFiles({ 'n.snn': 'network n {\n  input a = 0.5\n  ensemble e1 = LIF(n: 10)\n  connect a -> e1\n  run 10ms\n}\n' });
    const r = await snnc(['run', 'n.snn', '--epochs', '3', '--batch', '8'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --epochs, --batch are for training experiments; network `n` is simulated without them');
  });

  it('points a data file error at the string that names the file, and says to gunzip a .gz', async () => {
    const spec = (images: string) =>
      `neuron lif = LIF(tau: 2.0)\nmodel m(input: [1, 28, 28], steps: 2) {\n  flatten -> dense(10) -> lif\n}\nexperiment e {\n  model: m\n  data: idx(train_images: "${images}", train_labels: "l.idx", test_images: "${images}", test_labels: "l.idx", classes: 10)\n}\n`;
    const dir = tempFiles({ 'missing.snn': spec('nope.idx'), 'gz.snn': spec('img.idx.gz') });
    const missing = await snnc(['run', 'missing.snn', '--backend', 'cpu'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^missing\.snn:7:27: error SNN7001: cannot read training images `.*nope\.idx`: no such file/m);
    expect(missing.stderr).toContain('^^^^^^^^^^');
    writeFileSync(path.join(dir, 'img.idx.gz'), gzipSync(Buffer.from([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])));
    const gz = await snnc(['run', 'gz.snn', '--backend', 'cpu'], dir);
    expect(gz.code).toBe(1);
    expect(gz.stderr).toMatch(/^gz\.snn:7:27: error SNN7010: `.*img\.idx\.gz` is gzip-compressed/m);
    expect(gz.stderr).toContain('hint: gzip: decompress it first');
  });
});

describe('flags that make a run too large', () => {
  it('estimates memory again after --batch and --time, before allocating anything', async () => {
    const dir = tempFiles({
      'e.snn': 'neuron lif = LIF(tau: 2.0)\nmodel m(input: [1, 28, 28], steps: 4) {\n  flatten -> dense(100) -> lif -> dense(10) -> lif\n}\nexperiment e { model: m  data: mnist  batch: 32 }\n',
      'n.snn': 'network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 100)\n  connect a -> ens\n  probe ens.spikes\n  run 1s\n}\n',
    });
    const batch = await snnc(['run', 'e.snn', '--batch', '1000000000', '--backend', 'cpu'], dir);
    expect(batch.code).toBe(1);
    expect(batch.stderr).toMatch(/^e\.snn:3:\d+: error SNN4400: experiment `e` \(batch 1000000000, 4 steps\) needs about/m);
    const time = await snnc(['run', 'n.snn', '--time', '1000000000'], dir);
    expect(time.code).toBe(1);
    expect(time.stderr).toMatch(/^n\.snn:5:3: error SNN5400: network `n` \(1\.00e12 steps\) needs about/m);
  });
});

describe('run directories that are not what they claim', () => {
  it('snnc report and --resume neither hang on a FIFO nor read a device named as a run file', async () => {
    const dir = tempFiles({});
    const run = path.join(dir, 'run');
    mkdirSync(run);
    execFileSync('mkfifo', [path.join(run, 'summary.json')]);
    symlinkSync('/dev/zero', path.join(run, 'metrics.jsonl'));
    symlinkSync('/dev/zero', path.join(run, 'experiment.json'));
    writeFileSync(path.join(run, 'run.json'), '{"format": "snnc-run"}');
    const report = await snnc(['report', 'run'], dir);
    expect(report.code).toBe(0);
    const resume = await snnc(['run', '--resume', 'run'], dir);
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(/SNN7012: `.*run` is not a run directory: cannot read experiment\.json: it is a device, not a regular file/);
  });
});
