import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { buildMnistAsset, TEST_PER_CLASS, TRAIN_PER_CLASS } from '../../build/mnist-asset.js';
import { encodeMnistAsset, parseMnistAsset } from './mnist-asset.js';

describe('bundled MNIST subset', () => {
  test('encode and parse round-trip', () => {
    const s = {
      rows: 2,
      cols: 3,
      train: { images: Uint8Array.from({ length: 12 }, (_, i) => i), labels: Uint8Array.from([3, 7]), count: 2 },
      test: { images: Uint8Array.from({ length: 6 }, (_, i) => 100 + i), labels: Uint8Array.from([9]), count: 1 },
    };
    const back = parseMnistAsset(encodeMnistAsset(s));
    expect(back).toEqual(s);
  });

  test('rejects other files and truncated assets', () => {
    expect(() => parseMnistAsset(new TextEncoder().encode('not an asset at all, no no no'))).toThrow(/SNNMNIST/);
    const full = encodeMnistAsset({ rows: 1, cols: 1, train: { images: Uint8Array.of(1), labels: Uint8Array.of(1), count: 1 }, test: { images: Uint8Array.of(2), labels: Uint8Array.of(2), count: 1 } });
    expect(() => parseMnistAsset(full.subarray(0, full.length - 1))).toThrow(/expected 32 bytes/);
  });

  test('the build step takes a balanced, deterministic subset of real MNIST', () => {
    const a = buildMnistAsset();
    const m = parseMnistAsset(new Uint8Array(gunzipSync(a)));
    expect([m.rows, m.cols, m.train.count, m.test.count]).toEqual([28, 28, 10 * TRAIN_PER_CLASS, 10 * TEST_PER_CLASS]);
    const perClass = new Array<number>(10).fill(0);
    for (const l of m.train.labels) perClass[l]!++;
    expect(perClass).toEqual(new Array<number>(10).fill(TRAIN_PER_CLASS));
    // The first training image of MNIST is a 5.
    expect(m.train.labels[0]).toBe(5);
    // Compressed well below the raw 785 bytes per image.
    expect(a.length).toBeLessThan(0.3 * (m.train.count + m.test.count) * 785);
  });
});
