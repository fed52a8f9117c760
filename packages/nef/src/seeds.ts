/**
 * Per-object seeds. Each ensemble, input and simulator stream gets its own seed derived from
 * the network seed and the object's name (FNV-1a over the name, mixed with the seed), so
 * adding or reordering objects never changes the neurons of another ensemble.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (Math.floor(seed) >>> 0)) >>> 0;
  h = Math.imul(h, 0x01000193) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // splitmix-style avalanche so that labels differing in one character give unrelated seeds
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
