/** The 8-byte HDF5 format signature: \x89 H D F \r \n \x1a \n. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/**
 * Whether `head` (the first bytes of a file) starts an HDF5 file. The superblock may sit at
 * byte 0, 512, 1024, 2048, ... (a user block before it); h5wasm opens anything without
 * complaint and fails later, so callers check first and give a clear message.
 */
export function isHdf5(head: Uint8Array): boolean {
  for (let at = 0; at + SIGNATURE.length <= head.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => head[at + i] === b)) return true;
  }
  return false;
}
