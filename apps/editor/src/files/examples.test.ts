import { describe, expect, test } from 'vitest';
import { EXAMPLES, exampleInfo, listExamples } from './examples.js';

describe('examples gallery', () => {
  test('every examples/**/*.snn of the repository is bundled, keyed by its repository path', () => {
    expect(EXAMPLES.size).toBeGreaterThan(0);
    for (const k of EXAMPLES.keys()) expect(k).toMatch(/^examples\/.+\.snn$/);
    expect(EXAMPLES.has('examples/nef/multiply.snn')).toBe(true);
  });

  test('top-level examples come first, then one group per folder', () => {
    const groups = listExamples().map((e) => e.group);
    const order = groups.filter((g, i) => g !== groups[i - 1]);
    expect(new Set(order).size).toBe(order.length);
    if (groups.includes('')) expect(order[0]).toBe('');
  });

  test('summary is the first comment line', () => {
    expect(exampleInfo('examples/nef/a.snn', '\n// Adds two inputs.\nnetwork a {}\n')).toEqual({ path: 'examples/nef/a.snn', name: 'a', group: 'nef', summary: 'Adds two inputs.' });
    expect(exampleInfo('examples/b.snn', 'network b {}').summary).toBe('');
  });
});
