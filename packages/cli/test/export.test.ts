import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readNir } from '@snnc/nir';
import { describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

const FIXTURES = path.join(repoRoot, '..', 'shared', 'fixtures', 'nir');
const HAVE = existsSync(path.join(FIXTURES, 'README.md'));

describe('snnc export', () => {
  it.skipIf(!HAVE)('exports an imported NIR model with its weights back to NIR: same node types and edges', async () => {
    const dir = tempFiles({});
    copyFileSync(path.join(FIXTURES, 'braille_bias_zero.nir'), path.join(dir, 'braille.nir'));
    expect((await snnc(['import', 'braille.nir', '--dt', '1ms'], dir)).code).toBe(0);
    // No --checkpoint: the weights file braille.snn names.
    const r = await snnc(['export', 'braille.snn', '--dt', '1ms', '-o', 'back.nir'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('weights: braille.safetensors (named by braille.snn)');
    expect(r.stdout).toBe('wrote back.nir: model braille as 7 NIR nodes and 7 edges (dt 0.001 s), 1 warning(s)\n');
    expect(r.stderr).toContain("warning SNN7465: NIR export of `braille`: decoder `rate` is not a NIR node");
    const back = await readNir(readFileSync(path.join(dir, 'back.nir')), 'back.nir');
    const original = await readNir(readFileSync(path.join(dir, 'braille.nir')), 'braille.nir');
    const kinds = (g: typeof back.graph) => [...g.nodes.values()].map((n) => n.kind).sort();
    expect(kinds(back.graph)).toEqual(kinds(original.graph));
    expect(back.graph.edges).toContainEqual(['lif1_lif', 'lif1_w_rec']);
    expect(back.graph.edges).toContainEqual(['lif1_w_rec', 'lif1_lif']);
    const fc1 = back.graph.nodes.get('fc1')!;
    const orig = original.graph.nodes.get('fc1')!;
    expect(fc1.kind === 'Affine' && orig.kind === 'Affine' && Array.from(fc1.params.weight.data)).toEqual(orig.kind === 'Affine' ? Array.from(orig.params.weight.data, Math.fround) : []);
  });

  it('a trained-style model: warnings for what is lossy, --strict refuses, layernorm is refused at its line', async () => {
    const dir = tempFiles({
      'm.snn': 'model m(input: [4], steps: 2) {\n  dense(3) -> LIF(tau: 2.0, reset: soft)\n}\n',
      'pool.snn': 'model p(input: [1, 4, 4], steps: 2) {\n  conv2d(2, kernel: 1) -> LIF -> maxpool(2)\n  flatten -> dense(2) -> LIF\n}\n',
      'ln.snn': 'model n(input: [4], steps: 2) {\n  dense(4) -> layernorm -> LIF\n}\n',
    });
    const ok = await snnc(['export', 'm.snn', '-o', 'm.nir'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('no --checkpoint: the initial (untrained) weights are exported');
    // Located at the layer.
    expect(ok.stderr).toMatch(/^m\.snn:2:15: warning SNN7465: NIR export of `m`: neuron `neuron_0`: soft reset \(v -= threshold\) has no NIR form/m);
    const nir = await readNir(readFileSync(path.join(dir, 'm.nir')), 'm.nir');
    expect([...nir.graph.nodes.values()].map((n) => n.kind).sort()).toEqual(['Affine', 'Input', 'LIF', 'Output']);
    const strict = await snnc(['export', 'm.snn', '--strict', '-o', 'strict.nir'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error SNN7465');
    expect(existsSync(path.join(dir, 'strict.nir'))).toBe(false);
    // Max pooling of spikes is exact in NIR: a SumPool2d and a Threshold at 0.5.
    const pool = await snnc(['export', 'pool.snn', '-o', 'p.nir'], dir);
    expect(pool.code).toBe(0);
    const p = await readNir(readFileSync(path.join(dir, 'p.nir')), 'p.nir');
    expect([...p.graph.nodes.values()].map((n) => n.kind).sort()).toEqual(['Affine', 'Conv2d', 'Flatten', 'Input', 'LIF', 'LIF', 'Output', 'SumPool2d', 'Threshold']);
    const ln = await snnc(['export', 'ln.snn', '-o', 'n.nir'], dir);
    expect(ln.code).toBe(1);
    expect(ln.stderr).toMatch(/^ln\.snn:2:15: error SNN7464: model `n` cannot be exported to NIR: layer `layernorm_0`: layernorm has no NIR primitive/m);
    expect(existsSync(path.join(dir, 'n.nir'))).toBe(false);
  });
});
