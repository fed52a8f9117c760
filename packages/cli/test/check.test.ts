import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

function examples(dir = path.join(repoRoot, 'examples')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? examples(path.join(dir, e.name)) : e.name.endsWith('.snn') ? [path.relative(repoRoot, path.join(dir, e.name))] : [],
  );
}

describe('snnc check', () => {
  it('is clean on every example and exits 0', async () => {
    const files = examples();
    expect(files.length).toBeGreaterThan(8);
    const r = await snnc(['check', ...files]);
    expect(r.stderr).toContain(`0 errors, 0 warnings in ${files.length} files`);
    expect(r.code).toBe(0);
  });

  it('prints file:line:col, a code frame and a hint, and exits 1', async () => {
    const dir = tempFiles({
      'bad.snn': 'neuron lif = LIF(tau: 2.0)\n\nmodel m(input: [784], steps: 4) {\n  dense(64) -> lfi\n}\n',
    });
    const r = await snnc(['check', 'bad.snn'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.snn:4:16: error SNN2001: /m);
    expect(r.stderr).toContain('4 |   dense(64) -> lfi');
    expect(r.stderr).toContain('^^^');
    expect(r.stderr).toContain('did you mean `lif`?');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('reports a missing file as a diagnostic, not a crash', async () => {
    const r = await snnc(['check', 'does-not-exist.snn'], tempFiles({}));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does-not-exist.snn:1:1: error SNN9001: cannot read `does-not-exist.snn`: no such file');
  });

  it('uses no colour when stderr is not a terminal', async () => {
    const r = await snnc(['check', 'x.snn'], tempFiles({ 'x.snn': 'model {' }));
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b[');
  });
});

describe('snnc compile', () => {
  it('prints the IR as JSON on stdout', async () => {
    const r = await snnc(['compile', 'examples/report/network.snn']);
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.stdout) as { irVersion: number; experiments: { name: string; model: { layers: unknown[] } }[] };
    expect(ir.irVersion).toBe(2);
    expect(ir.experiments.length).toBeGreaterThan(0);
    expect(ir.experiments[0]!.model.layers.length).toBeGreaterThan(10);
  });

  it('prints the AST with --emit ast and rejects an unknown --emit', async () => {
    const ast = await snnc(['compile', 'examples/nef/adding.snn', '--emit', 'ast']);
    expect(ast.code).toBe(0);
    expect(JSON.parse(ast.stdout)).toBeTypeOf('object');
    const bad = await snnc(['compile', 'examples/nef/adding.snn', '--emit', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'xml' is invalid");
  });

  it('prints nothing on stdout when the file has errors', async () => {
    const r = await snnc(['compile', 'x.snn'], tempFiles({ 'x.snn': 'network n { ensemble a = LIF(n: -3) }' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error SNN');
  });
});

describe('command line mistakes', () => {
  it('names an unknown flag and suggests the close one, exit 2', async () => {
    const r = await snnc(['run', 'examples/mnist.snn', '--epoch', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--epoch'");
    expect(r.stderr).toContain('--epochs');
  });

  it('rejects a bad number for a numeric flag', async () => {
    const r = await snnc(['run', 'examples/mnist.snn', '--epochs', 'two']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--epochs <n>' argument 'two' is invalid. expected a positive integer.");
  });

  it('rejects an unknown command and prints the version', async () => {
    expect((await snnc(['frobnicate'])).code).toBe(2);
    const v = await snnc(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints help for a command', async () => {
    const r = await snnc(['help', 'fmt']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--check');
  });
});
