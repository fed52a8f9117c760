import { describe, expect, test } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

describe('safetensors', () => {
  test('round-trip with an aligned header and metadata', () => {
    const tensors = [
      { name: 'dense_0/kernel', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-7, -1e9) },
      { name: 'dense_0/bias', shape: [3], data: Float32Array.of(0.25, 0.5, 0.75) },
    ];
    const bytes = encodeSafetensors(tensors, { model: 'mlp' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header['dense_0/bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    expect(decodeSafetensors(bytes)).toEqual({ tensors, metadata: { model: 'mlp' } });
  });

  test('refuses damaged files: short, a header longer than the file, offsets outside it', () => {
    const bytes = encodeSafetensors([{ name: 'w', shape: [2], data: Float32Array.of(1, 2) }]);
    expect(() => decodeSafetensors(bytes.subarray(0, 4))).toThrow(/too short/);
    expect(() => decodeSafetensors(bytes.subarray(0, 20))).toThrow(/header claims/);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/w \[2\] needs 8 bytes at 0\.\.8, outside the file/);
  });

  test('a shape that does not match the data is an error', () => {
    expect(() => encodeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/shape \[2, 2\] but 3 values/);
  });
});
