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

/** Reads a file written by {@link encodeSafetensors} (F32 tensors only). */
export function decodeSafetensors(bytes: Uint8Array): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + len;
  const tensors: NamedTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = h as unknown as Record<string, string>;
      continue;
    }
    if (h.dtype !== 'F32') throw new Error(`decodeSafetensors: expected F32 for ${name}, got ${h.dtype}`);
    const [s, e] = h.data_offsets;
    const data = new Float32Array((e - s) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(base + s + 4 * i, true);
    tensors.push({ name, shape: h.shape, data });
  }
  return { tensors, metadata };
}
