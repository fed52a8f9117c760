/**
 * Upper bounds on what snnc reads from a path it was given, bytes, per kind of file. A path
 * is untrusted input (a `use`, a data path, a checkpoint manifest, a share link): without a
 * bound, `/dev/zero` or a huge file would be read until memory runs out. Browser-safe (the
 * editor bounds decompressed share links with `source`); the readers are in `@snnc/ir/node`.
 */
export const READ_LIMITS = {
  /** A `.snn` source file (the largest example is a few KB). */
  source: 8 * 2 ** 20,
  /** An IDX data file (MNIST's training images are 47 MB; EMNIST's largest ~700 MB would need the limit raised). */
  idx: 512 * 2 ** 20,
  /** One weights file of a checkpoint. */
  weights: 512 * 2 ** 20,
  /** A JSON file snnc wrote (checkpoint manifests, records, metrics). */
  json: 64 * 2 ** 20,
} as const;

export type ReadKind = keyof typeof READ_LIMITS;
