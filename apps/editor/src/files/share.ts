/**
 * Share a model as a URL: the source is deflate-compressed with the platform's
 * CompressionStream and written into the fragment (`#snn1=<base64url>&name=<file>`), so it
 * never reaches a server. Opening such a URL only loads the text; nothing runs until the
 * user presses Run.
 */

import { READ_LIMITS } from '@snnc/ir';

const PREFIX = 'snn1';

export interface SharedSource {
  name: string;
  text: string;
}

export async function encodeShare(src: SharedSource): Promise<string> {
  const bytes = (await pipe(new TextEncoder().encode(src.text), new CompressionStream('deflate-raw')))!;
  const params = new URLSearchParams();
  params.set(PREFIX, toBase64Url(bytes));
  params.set('name', src.name);
  return params.toString();
}

/**
 * Reads a fragment (with or without `#`). Resolves to undefined when the fragment is not a
 * share link, and rejects with a readable message when it is one but is damaged.
 */
export async function decodeShare(fragment: string): Promise<SharedSource | undefined> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const data = params.get(PREFIX);
  if (data === null) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(data);
  } catch {
    throw new Error('the shared link is damaged (not base64url); was it cut short when copied?');
  }
  let inflated: Uint8Array | undefined;
  try {
    inflated = await pipe(bytes, new DecompressionStream('deflate-raw'), READ_LIMITS.source);
  } catch {
    throw new Error('the shared link is damaged (cannot decompress); was it cut short when copied?');
  }
  // A few KB of deflate can expand to gigabytes: stop at the size of the largest source file.
  if (inflated === undefined) throw new Error(`the shared link holds more than ${READ_LIMITS.source / 2 ** 20} MiB of text; snnc does not open it`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    throw new Error('the shared link is damaged (not UTF-8 text)');
  }
  const name = params.get('name') ?? 'shared.snn';
  return { name: /^[\w.-]+\.snn$/.test(name) ? name : 'shared.snn', text };
}

/** The stream's output, or undefined as soon as it passes `maxBytes` (the rest is not produced). */
async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream, maxBytes = Infinity): Promise<Uint8Array | undefined> {
  const reader = new Blob([input as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
