import { describe, expect, it } from 'vitest';
import type { TargetCode } from '@snnc/ir';
import { binaryCode, bitsFor, codeOutputs, countCorrect, decodeBatch, encodeBatch, fromGray, grayCode, inverseOnehotCode, onehotCode, targetCodec, toGray } from './index.js';

const KINDS: TargetCode[] = ['onehot', 'inverse_onehot', 'binary', 'gray'];

describe('target codes', () => {
  it('need K outputs for one-hot codes and ceil(log2 K) for bit codes', () => {
    expect(codeOutputs('onehot', 10)).toBe(10);
    expect(codeOutputs('inverse_onehot', 10)).toBe(10);
    expect(codeOutputs('binary', 10)).toBe(4);
    expect(codeOutputs('gray', 10)).toBe(4);
    expect(codeOutputs('binary', 16)).toBe(4);
    expect(codeOutputs('binary', 17)).toBe(5);
    expect(codeOutputs('gray', 2)).toBe(1);
    expect(bitsFor(3)).toBe(2);
  });

  for (const kind of KINDS) {
    for (const classes of [2, 3, 10, 16, 26]) {
      it(`${kind} round-trips every label for K=${classes}`, () => {
        const codec = targetCodec(kind, classes);
        const labels = Int32Array.from({ length: classes }, (_, i) => i);
        const targets = encodeBatch(codec, labels);
        expect(targets.length).toBe(classes * codec.outputs);
        expect(Array.from(decodeBatch(codec, targets, classes))).toEqual(Array.from(labels));
        // noisy rates on the right side of 0.5 still decode to the same label
        const noisy = targets.map((v) => (v === 1 ? 0.75 : 0.25));
        expect(Array.from(decodeBatch(codec, noisy, classes))).toEqual(Array.from(labels));
      });
    }
  }

  it('writes the codebooks of the report, most significant bit first', () => {
    const row = (codec: ReturnType<typeof targetCodec>, c: number) => Array.from(codec.codebook.subarray(c * codec.outputs, (c + 1) * codec.outputs));
    expect(row(onehotCode(10), 3)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(row(inverseOnehotCode(10), 3)).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    expect(row(binaryCode(10), 6)).toEqual([0, 1, 1, 0]);
    expect(row(binaryCode(10), 9)).toEqual([1, 0, 0, 1]);
    // reflected Gray: 0000 0001 0011 0010 0110 0111 0101 0100 1100 1101
    const gray = grayCode(10);
    expect(Array.from({ length: 10 }, (_, c) => row(gray, c).join(''))).toEqual([
      '0000', '0001', '0011', '0010', '0110', '0111', '0101', '0100', '1100', '1101',
    ]);
  });

  it('gives neighbouring Gray codes a Hamming distance of one and inverts toGray', () => {
    for (let n = 0; n < 1000; n++) {
      expect(fromGray(toGray(n))).toBe(n);
      const diff = toGray(n) ^ toGray(n + 1);
      expect(diff & (diff - 1)).toBe(0);
    }
  });

  it('decodes one-hot by argmax and inverse one-hot by argmin, first index on ties', () => {
    expect(onehotCode(4).decodeRow([0.1, 0.9, 0.3, 0.9], 0)).toBe(1);
    expect(onehotCode(4).decodeRow([0, 0, 0, 0], 0)).toBe(0);
    expect(inverseOnehotCode(4).decodeRow([0.9, 0.2, 0.5, 0.2], 0)).toBe(1);
    expect(onehotCode(3).decodeRow([9, 9, 9, 0.2, 0.1, 0.7], 3)).toBe(2);
    expect(onehotCode(2).decodeRow([NaN, NaN], 0)).toBe(-1);
  });

  it('thresholds bits at 0.5 and counts an invalid code word as a miss', () => {
    const bin = binaryCode(10);
    expect(bin.decodeRow([0.5, 0.49, 0.49, 0.5], 0)).toBe(9); // 1001
    expect(bin.decodeRow([1, 1, 1, 1], 0)).toBe(-1); // 15 is no label
    expect(bin.decodeRow([1, 0, 1, 0], 0)).toBe(-1); // 10
    const gray = grayCode(10);
    expect(gray.decodeRow([1, 1, 0, 1], 0)).toBe(9);
    expect(gray.decodeRow([1, 0, 0, 0], 0)).toBe(-1); // gray 1000 = 15
    // a miss never matches any label, including 0
    expect(countCorrect(bin, [1, 1, 1, 1, 0, 0, 0, 0], [0, 0])).toBe(1);
  });

  it('counts correct predictions over a batch', () => {
    const codec = onehotCode(3);
    const outputs = [0.9, 0, 0, 0, 0.2, 0.8, 0.5, 0.1, 0];
    expect(countCorrect(codec, outputs, [0, 2, 1])).toBe(2);
  });

  it('rejects labels outside the classes and outputs of the wrong width', () => {
    expect(() => encodeBatch(onehotCode(3), [3])).toThrow(/label 3/);
    expect(() => decodeBatch(onehotCode(3), [1, 2], 1)).toThrow(/expected 1 x 3/);
    expect(() => targetCodec('gray', 1)).toThrow(/classes >= 2/);
  });
});
