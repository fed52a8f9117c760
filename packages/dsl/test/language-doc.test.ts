import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, parse } from '@snnc/dsl';
import { repoRoot } from './examples.js';

/** The reference's examples must at least parse; the self-contained ones must compile cleanly. */
describe('docs/language.md examples', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs/language.md'), 'utf8');
  const blocks = [...doc.matchAll(/```snn\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  blocks.forEach((block, i) => {
    it(`block ${i + 1} parses${/^(neuron|network)/m.test(block) ? ' and compiles' : ''}`, () => {
      expect(parse(block, { file: 'doc.snn' }).diagnostics).toEqual([]);
      const selfContained = !/\bfrom baseline\b|model: csnn|use "/.test(block) || /^model csnn/m.test(block);
      if (selfContained) {
        // Model examples use a `lif` neuron defined in an earlier example.
        const prelude = /\blif\b/.test(block) && !/neuron lif/.test(block) ? 'neuron lif = LIF\n' : '';
        const r = compile(prelude + block, { file: 'doc.snn' });
        expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      }
    });
  });
});
