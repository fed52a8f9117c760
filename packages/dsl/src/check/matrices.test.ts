import { describe, expect, it } from 'vitest';
import { compile } from '../compile.js';
import { codes } from '../test-util.js';
import { parseCsv, parseNpy } from './matrices.js';

const net = (transform: string, dims = 2) => `network n {\n  ensemble a = LIF(n: 10, dims: ${dims})\n  ensemble b = LIF(n: 10, dims: ${dims})\n  connect a -> b (transform: ${transform})\n  run 0.1s\n}\n`;

function transformOf(src: string, files: Record<string, string> = {}, bytes: Record<string, Uint8Array> = {}) {
  const r = compile(src, { file: 'dir/main.snn', readFile: (p) => files[p], readBytes: (p) => bytes[p] });
  return { t: r.ir?.networks[0]?.connections[0]?.transform, codes: codes(r) };
}

/** A .npy file (format 1.0) of little-endian float64 values with this shape. */
function npy(shape: number[], values: number[]): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + 8 * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  return out;
}

describe('matrix builders in transforms', () => {
  it('eye, zeros, ones, diag and rotation', () => {
    expect(transformOf(net('eye(2)')).t).toEqual([[1, 0], [0, 1]]);
    expect(transformOf(net('zeros(2)')).t).toEqual([[0, 0], [0, 0]]);
    expect(transformOf(net('ones(2, 2)')).t).toEqual([[1, 1], [1, 1]]);
    expect(transformOf(net('diag([2, -1])')).t).toEqual([[2, 0], [0, -1]]);
    const r = transformOf(net('rotation(pi / 2)')).t!;
    expect(r[0]![0]).toBeCloseTo(0, 15);
    expect(r[0]![1]).toBeCloseTo(-1, 15);
    expect(r[1]![0]).toBeCloseTo(1, 15);
    expect(transformOf(net('rotation(pi, dims: 3)', 3)).t![2]).toEqual([0, 0, 1]);
  });

  it('uniform and gaussian are seeded: the same seed gives the same matrix, another seed another', () => {
    const a = transformOf(net('uniform(2, low: -0.5, high: 0.5, seed: 7)')).t!;
    expect(transformOf(net('uniform(2, low: -0.5, high: 0.5, seed: 7)')).t).toEqual(a);
    expect(transformOf(net('uniform(2, low: -0.5, high: 0.5, seed: 8)')).t).not.toEqual(a);
    expect(a.flat().every((v) => v >= -0.5 && v < 0.5)).toBe(true);
    const g = transformOf(net('gaussian(2, 2, std: 0.1, seed: 1)')).t!;
    expect(g.flat().every((v) => Number.isFinite(v) && Math.abs(v) < 1)).toBe(true);
  });

  it('loads .csv and .npy files relative to the .snn file, inside its folder', () => {
    expect(transformOf(net('load("w.csv")'), { 'dir/w.csv': '1, 2\n# comment\n3 4\n' }).t).toEqual([[1, 2], [3, 4]]);
    expect(transformOf(net('load("m/w.npy")'), {}, { 'dir/m/w.npy': npy([2, 2], [0.5, 0, 0, -0.5]) }).t).toEqual([[0.5, 0], [0, -0.5]]);
    expect(transformOf(net('load("../w.csv")'), { 'w.csv': '1' }).codes[0]).toMatch(/^SNN5306 cannot load `..\/w.csv`: the path must be relative/);
    expect(transformOf(net('load("nope.csv")')).codes).toEqual(['SNN5306 cannot load `nope.csv`: no such file']);
    expect(transformOf(net('load("w.csv")'), { 'dir/w.csv': '1, 2\n3\n' }).codes).toEqual(['SNN5306 cannot load `w.csv`: line 2 has 1 values, the first row 2']);
  });

  it('reports wrong shapes and sizes', () => {
    expect(transformOf(net('eye(3)')).codes).toEqual(['SNN5005 transform is 3 x 3 but the connection needs 2 x 2 (post x input)']);
    expect(transformOf(net('zeros(2000, 2000)')).codes[0]).toMatch(/^SNN5305 `zeros` would build 2000 x 2000/);
    expect(transformOf(net('uniform(2, low: 1, high: 0)')).codes).toEqual(['SNN5305 `uniform` needs low < high, got 1 and 0']);
  });

  it('parses csv and npy', () => {
    expect(parseCsv('1,2\n3,4')).toEqual({ rows: [[1, 2], [3, 4]] });
    expect(parseCsv('1,x')).toEqual({ error: 'line 1: `x` is not a finite number' });
    expect(parseNpy(npy([3], [1, 2, 3]))).toEqual({ rows: [[1, 2, 3]] });
    expect(parseNpy(new Uint8Array([1, 2, 3]))).toEqual({ error: 'not a .npy file (bad magic bytes)' });
  });
});
