/**
 * Trained weights as a `.safetensors` file (the format of Hugging Face safetensors, readable
 * from Python with `safetensors.numpy.load_file`): an 8-byte little-endian header length, a
 * JSON header mapping each tensor name to dtype, shape and byte offsets, then the raw
 * little-endian float32 data. Names are the runtime's stable weight names (`dense_0/kernel`).
 */

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`encodeSafetensors: ${t.name} has shape [${t.shape.join(', ')}] but ${t.data.length} values`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  // The data should start 8-byte aligned; the format allows trailing spaces in the header.
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, o += 4) view.setFloat32(o, t.data[i]!, true);
  }
  return out;
}

/**
 * Reads an F32 safetensors file (as {@link encodeSafetensors} writes). The bytes are untrusted
 * (a downloaded or imported weights file): the header length, JSON, dtypes, shapes and offsets
 * are checked against the file before any value is read.
 */
export function decodeSafetensors(bytes: Uint8Array): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`decodeSafetensors: ${bytes.length} bytes is too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = Number(view.getBigUint64(0, true));
  if (len > bytes.length - 8) throw new Error(`decodeSafetensors: the header claims ${len} bytes but the file has ${bytes.length - 8} after the length`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + len)));
  } catch (e) {
    throw new Error(`decodeSafetensors: the header is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('decodeSafetensors: the header is not a JSON object');
  const base = 8 + len;
  const tensors: NamedTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, h] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof h !== 'object' || h === null || !Object.values(h).every((v) => typeof v === 'string')) throw new Error('decodeSafetensors: __metadata__ must map names to strings');
      metadata = h as Record<string, string>;
      continue;
    }
    const t = h as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (t.dtype !== 'F32') throw new Error(`decodeSafetensors: expected F32 for ${name}, got ${String(t.dtype)}`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`decodeSafetensors: ${name} has no valid shape`);
    if (!Array.isArray(t.data_offsets) || t.data_offsets.length !== 2 || !t.data_offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`decodeSafetensors: ${name} has no valid data_offsets`);
    const [s, e] = t.data_offsets as [number, number];
    const shape = t.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    if (e - s !== 4 * n || base + e > bytes.length) throw new Error(`decodeSafetensors: ${name} [${shape.join(', ')}] needs ${4 * n} bytes at ${s}..${e}, outside the file or of the wrong size`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(base + s + 4 * i, true);
    tensors.push({ name, shape, data });
  }
  return { tensors, metadata };
}
