import { describe, expect, it } from 'vitest';
import { treeFromJson, treeToJson } from './tree-json.js';

describe('treeToJson / treeFromJson', () => {
  it('round-trips plain data and keeps which places hold the same object', () => {
    const range = { start: 1, end: 2 };
    const tree = { a: [range, { r: range, n: -1.5e-7, s: 'x"\n', b: false, z: null }], range };
    const back = treeFromJson<typeof tree>(treeToJson(tree));
    expect(back).toStrictEqual(tree);
    expect(back.a[0]).toBe(back.range);
    expect((back.a[1] as { r: unknown }).r).toBe(back.range);
    expect(back.a[0]).not.toBe(range);
  });

  it('refuses values JSON cannot hold exactly', () => {
    expect(() => treeToJson({ a: { b: undefined } })).toThrow('a.b: undefined is not plain JSON data');
    expect(() => treeToJson({ a: [NaN] })).toThrow('a.0: NaN has no exact JSON form');
    expect(() => treeToJson({ a: -0 })).toThrow('a: -0 has no exact JSON form');
    expect(() => treeToJson({ a: new Map() })).toThrow('a: object is not plain JSON data');
  });
});
