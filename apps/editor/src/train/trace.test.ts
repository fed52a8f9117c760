import { describe, expect, test } from 'vitest';
import { normalizedSample, rasterTicks } from './trace.js';

describe('normalizedSample', () => {
  const images = Uint8Array.of(0, 255, 51, 102, 0, 255);
  test('unit and standard normalisation of one sample', () => {
    expect(Array.from(normalizedSample(images, 3, 1, { kind: 'unit' }))).toEqual([0.4, 0, 1].map(Math.fround));
    const s = normalizedSample(images, 3, 0, { kind: 'standard', mean: 0.5, std: 0.25 });
    expect(Array.from(s)).toEqual([-2, 2, (0.2 - 0.5) / 0.25].map(Math.fround));
  });
  test('a sample past the end is an error', () => {
    expect(() => normalizedSample(images, 3, 2, { kind: 'unit' })).toThrow(/outside the 2 images/);
  });
});

describe('rasterTicks', () => {
  test('ticks per step and unit, time-major', () => {
    // T = 3, 2 units: unit 1 fires at t = 0 and 2, unit 0 at t = 1
    const r = rasterTicks({ layerId: 'neuron_0', shape: [2], steps: 3, spikes: Uint8Array.of(0, 1, 1, 0, 0, 1) });
    expect(r.shown).toBe(2);
    expect(r.units).toBe(2);
    expect(Array.from(r.times)).toEqual([0, 1, 2]);
    expect(Array.from(r.rows)).toEqual([1, 0, 1]);
  });
  test('caps the rows, spreading them over all units', () => {
    // 2 steps of [2, 2, 2] = 8 units; every unit fires at t = 1 only, unit 6 also at t = 0
    const spikes = new Uint8Array(16);
    spikes.fill(1, 8);
    spikes[6] = 1;
    const r = rasterTicks({ layerId: 'neuron_0', shape: [2, 2, 2], steps: 2, spikes }, 4);
    expect(r.shown).toBe(4);
    expect(r.units).toBe(8);
    // rows 0..3 are units 0, 2, 4, 6
    expect(Array.from(r.times)).toEqual([0, 1, 1, 1, 1]);
    expect(Array.from(r.rows)).toEqual([3, 0, 1, 2, 3]);
  });
  test('a length that does not match shape x steps is an error', () => {
    expect(() => rasterTicks({ layerId: 'neuron_1', shape: [3], steps: 2, spikes: new Uint8Array(5) })).toThrow(/5 values, expected 2 x 3/);
  });
});
