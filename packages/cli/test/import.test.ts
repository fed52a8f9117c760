import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeSafetensors } from '@snnc/runtime';
import { describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

const FIXTURES = path.join(repoRoot, '..', 'shared', 'fixtures', 'nir');
const HAVE = existsSync(path.join(FIXTURES, 'README.md'));
if (!HAVE) console.warn(`snnc import tests skipped: ${FIXTURES} does not exist`);

describe.skipIf(!HAVE)('snnc import', () => {
  it('writes a .snn model that checks and its weights beside it', async () => {
    const dir = tempFiles({});
    copyFileSync(path.join(FIXTURES, 'lif_norse.nir'), path.join(dir, 'lif_norse.nir'));
    const r = await snnc(['import', 'lif_norse.nir', '--dt', '0.1ms', '--steps', '1000'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote lif_norse.snn (model lif_norse: 2 layers, dt 0.0001 s) and lif_norse.safetensors (2 tensors)\n');
    const snn = readFileSync(path.join(dir, 'lif_norse.snn'), 'utf8');
    expect(snn).toContain('model lif_norse(input: [1], steps: 1000) {');
    expect(snn).toContain('\n// snnc-weights: lif_norse.safetensors\n');
    expect(snn).toContain('neuron lif_1 = NirLIF(tau: 2.5ms, r: 1, v_leak: 0, threshold: 0.1, reset: 0, dt: 100us)');
    const w = decodeSafetensors(readFileSync(path.join(dir, 'lif_norse.safetensors')));
    expect(w.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['dense_0/kernel', [1, 1], [1]],
      ['dense_0/bias', [1], [0]],
    ]);
    expect(w.metadata).toMatchObject({ producer: 'snnc import', source: 'lif_norse.nir', model: 'lif_norse' });
    const check = await snnc(['check', 'lif_norse.snn'], dir);
    expect(check.code).toBe(0);
  });

  it("the NIR paper's LIF task: the imported neuron driven by lif_exact.csv spikes within 10 steps of the exact solution", async () => {
    const dir = tempFiles({});
    copyFileSync(path.join(FIXTURES, 'lif_norse.nir'), path.join(dir, 'lif_norse.nir'));
    expect((await snnc(['import', 'lif_norse.nir', '--dt', '0.1ms', '--steps', '1000'], dir)).code).toBe(0);
    // Column 0 is the input current; the graph's Affine is the identity (weight 1, bias 0), so
    // the current reaches the LIF node unchanged.
    const rows = readFileSync(path.join(FIXTURES, 'lif_exact.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    const exact = rows.flatMap((r, k) => (r[2]! > 0 ? [k] : []));
    expect(exact).toEqual([460, 510, 710, 760]);
    writeFileSync(path.join(dir, 'input.csv'), rows.map((r) => String(r[0])).join('\n') + '\n');
    const r = await snnc(['trace', 'lif_norse.snn', '--neuron', 'lif_1', '--input', 'input.csv', '--dt', '0.1ms', '--out', 'trace.csv'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const trace = readFileSync(path.join(dir, 'trace.csv'), 'utf8').trim().split('\n');
    const col = trace[0]!.split(',').indexOf('spike');
    const spikes = trace.slice(1).flatMap((l, k) => (l.split(',')[col] === '1' ? [k] : []));
    expect(spikes).toHaveLength(exact.length);
    spikes.forEach((s, i) => expect(Math.abs(s - exact[i]!)).toBeLessThanOrEqual(10));

    // The whole model (Affine -> LIF, weights from the file the .snn names), imported without
    // --dt and discretised by the --dt of snnc trace, as the issue runs it.
    copyFileSync(path.join(FIXTURES, 'lif_norse.nir'), path.join(dir, 'plain.nir'));
    expect((await snnc(['import', 'plain.nir'], dir)).code).toBe(0);
    const m = await snnc(['trace', 'plain.snn', '--input', 'input.csv', '--dt', '0.1ms', '--backend', 'cpu', '--out', 'model.csv'], dir);
    expect(m.code).toBe(0);
    const rowsOut = readFileSync(path.join(dir, 'model.csv'), 'utf8').trim().split('\n');
    const spikeCol = rowsOut[0]!.split(',').findIndex((h) => h.endsWith('.spike'));
    const modelSpikes = rowsOut.slice(1).flatMap((l, k) => (l.split(',')[spikeCol] === '1' ? [k] : []));
    expect(modelSpikes).toHaveLength(exact.length);
    modelSpikes.forEach((s, i) => expect(Math.abs(s - exact[i]!)).toBeLessThanOrEqual(10));
  });

  it('writes NAME.snn into the working directory by default, not beside a read-only .nir', async () => {
    const dir = tempFiles({});
    const r = await snnc(['import', path.join(FIXTURES, 'two_lif_neurons.nir')], dir);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'two_lif_neurons.snn'))).toBe(true);
    expect(existsSync(path.join(dir, 'two_lif_neurons.safetensors'))).toBe(true);
  });

  it('refuses the malformed Braille subgraph naming edge and node, and what it cannot import yet, with exit 1', async () => {
    const bad = path.join(FIXTURES, 'braille_bias_zero_subgraph.nir');
    const r = await snnc(['import', bad, '-o', path.join(tempFiles({}), 'b.snn')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error SNN7461: `' + bad + '`: edge `input -> lif` in graph `lif1`: node `lif` does not exist (nodes: input, lif1, lin, output)');
    expect(r.stderr).not.toMatch(/at .*\.[jt]s:\d+/);
  });

  it('imports the recurrent Braille network: named results, a one-step delay on the loop, weights under the compiled ids', async () => {
    const dir = tempFiles({});
    const r = await snnc(['import', path.join(FIXTURES, 'braille_bias_zero.nir'), '-o', 'braille.snn', '--dt', '1ms', '--steps', '256'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snn = readFileSync(path.join(dir, 'braille.snn'), 'utf8');
    expect(snn).toContain('  lif1_w_rec_prev = lif1_w_rec -> delay(1)\n  lif1_lif = add(lif1_w_rec_prev, fc1) -> lif1_lif_neuron');
    const w = decodeSafetensors(readFileSync(path.join(dir, 'braille.safetensors')));
    expect(w.tensors.map((t) => `${t.name} [${t.shape.join(', ')}]`).sort()).toEqual(['dense_0/bias [38]', 'dense_0/kernel [12, 38]', 'dense_1/bias [7]', 'dense_1/kernel [38, 7]', 'dense_2/bias [38]', 'dense_2/kernel [38, 38]']);
    expect((await snnc(['check', 'braille.snn'], dir)).code).toBe(0);
    // It runs on an input sequence through snnc trace with the imported weights (12 inputs, 20 steps).
    const rows = Array.from({ length: 20 }, (_, t) => Array.from({ length: 12 }, (_, i) => ((t * 7 + i * 3) % 5 === 0 ? 1 : 0)).join(','));
    writeFileSync(path.join(dir, 'input.csv'), `${rows.join('\n')}\n`);
    // Without --checkpoint the weights file the .snn names is used; the same as naming it.
    const traced = await snnc(['trace', 'braille.snn', '--input', 'input.csv', '--backend', 'cpu', '--out', 'trace.csv'], dir);
    expect(traced.stderr).toContain('weights: braille.safetensors (named by braille.snn)');
    expect(traced.stderr).toContain('traced model braille: 20 steps, 2 neuron layer(s) on cpu');
    expect(traced.code).toBe(0);
    const explicit = await snnc(['trace', 'braille.snn', '--input', 'input.csv', '--checkpoint', 'braille.safetensors', '--backend', 'cpu', '--out', 'explicit.csv'], dir);
    expect(explicit.code).toBe(0);
    expect(readFileSync(path.join(dir, 'explicit.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'trace.csv'), 'utf8'));
    const header = readFileSync(path.join(dir, 'trace.csv'), 'utf8').split('\n')[0]!.split(',');
    expect(header.filter((h) => h.startsWith('lif1_lif.spike['))).toHaveLength(38);
    expect(header.filter((h) => h.startsWith('lif2.spike['))).toHaveLength(7);
    writeFileSync(path.join(dir, 'cut.safetensors'), readFileSync(path.join(dir, 'braille.safetensors')).subarray(0, 100));
    const bad = await snnc(['trace', 'braille.snn', '--input', 'input.csv', '--checkpoint', 'cut.safetensors', '--backend', 'cpu', '--out', 'bad.csv'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error SNN7007: cannot use checkpoint `.*cut\.safetensors`: the header claims \d+ bytes but the file has 92 after the length/);
    // A weights file named outside the .snn's folder is refused.
    writeFileSync(path.join(dir, 'escape.snn'), readFileSync(path.join(dir, 'braille.snn'), 'utf8').replace('// snnc-weights: braille.safetensors', '// snnc-weights: ../braille.safetensors'));
    const escape = await snnc(['trace', 'escape.snn', '--input', 'input.csv', '--backend', 'cpu', '--out', 'e.csv'], dir);
    expect(escape.code).toBe(1);
    expect(escape.stderr).toContain('escape.snn names the weights file `../braille.safetensors`, which is outside its folder');
  });

  it('snnc eval and snnc run (fine-tuning) start from the weights file the imported .snn names', async () => {
    const dir = tempFiles({});
    expect((await snnc(['import', path.join(FIXTURES, 'braille_bias_zero.nir'), '-o', 'braille.snn', '--dt', '1ms', '--steps', '4'], dir)).code).toBe(0);
    // Four 1 x 12 IDX "images" and their labels (7 classes), written here.
    const idx = (magic: number, dims: number[], body: number[]) => {
      const head = Buffer.alloc(4 + 4 * dims.length);
      head.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
      return Buffer.concat([head, Buffer.from(body)]);
    };
    writeFileSync(path.join(dir, 'img'), idx(0x803, [4, 1, 12], Array.from({ length: 48 }, (_, i) => (i * 37) % 256)));
    writeFileSync(path.join(dir, 'lab'), idx(0x801, [4], [0, 3, 6, 2]));
    writeFileSync(path.join(dir, 'main.snn'), 'use "braille.snn"\nexperiment e { model: braille  data: idx(train_images: "img", train_labels: "lab", test_images: "img", test_labels: "lab", classes: 7)  batch: 2  epochs: 1 }\n');
    const e = await snnc(['eval', 'main.snn', '--backend', 'cpu'], dir);
    expect(e.code).toBe(0);
    expect(e.stderr).toMatch(/weights: braille\.safetensors \(named by .*braille\.snn\)/);
    expect(e.stdout).toContain('(weights file)');
    const r = await snnc(['run', 'main.snn', '--backend', 'cpu', '--runs-dir', 'runs'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/weights: braille\.safetensors \(named by .*braille\.snn\)/);
    expect(r.stdout + r.stderr).toMatch(/epoch=0, train_loss=/);
  });

  it('refuses what it cannot import yet with SNN7463 naming the node', async () => {
    const { nirArray, writeNir } = await import('@snnc/nir');
    const none = () => ({ kind: 'group' as const, children: new Map() });
    const node = (n: object) => ({ ...n, metadata: none(), extra: none() });
    const graph = {
      kind: 'NIRGraph' as const,
      nodes: new Map([
        ['in', node({ kind: 'Input', params: { shape: nirArray([1], [2], '<q') } })],
        ['thr', node({ kind: 'Scale', params: { scale: nirArray([2], [1, 2]) } })],
        ['out', node({ kind: 'Output', params: { shape: nirArray([1], [2], '<q') } })],
      ]),
      edges: [['in', 'thr'], ['thr', 'out']] as [string, string][],
      metadata: none(),
      extra: none(),
    };
    const dir = tempFiles({});
    writeFileSync(path.join(dir, 'thr.nir'), await writeNir(graph as Parameters<typeof writeNir>[0]));
    const r = await snnc(['import', 'thr.nir'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('thr.nir:1:1: error SNN7463: cannot import `thr.nir`: node `thr` (Scale): `scale` differs between neurons; a .snn layer takes one value');
  });

  it('names the flag when --dt or --out is wrong', async () => {
    const r = await snnc(['import', 'x.nir', '--dt', 'fast'], tempFiles({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dt: expected a positive time such as 0.1ms');
    const missing = await snnc(['import', 'missing.nir'], tempFiles({}));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error SNN9001: cannot read `missing.nir`');
  });
});
