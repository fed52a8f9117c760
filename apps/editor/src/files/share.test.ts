import { describe, expect, test } from 'vitest';
import { decodeShare, encodeShare, fromBase64Url, toBase64Url } from './share.js';

describe('share links', () => {
  test('round-trip source with unicode and every byte value through the fragment', async () => {
    const text = `// Größe: 5 µs ✓\nnetwork n {\n  input a = 0.5\n  run 1s\n}\n${'x'.repeat(3000)}`;
    const fragment = await encodeShare({ name: 'n.snn', text });
    expect(fragment).toMatch(/^snn1=[A-Za-z0-9_-]+&name=n\.snn$/);
    expect(fragment.length).toBeLessThan(text.length / 4); // deflate of a repetitive text
    expect(await decodeShare(`#${fragment}`)).toEqual({ name: 'n.snn', text });
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  test('a fragment that is not a share link is ignored', async () => {
    expect(await decodeShare('')).toBeUndefined();
    expect(await decodeShare('#section-2')).toBeUndefined();
  });

  test('a damaged link is a readable error, not a crash', async () => {
    const fragment = await encodeShare({ name: 'n.snn', text: 'network n { run 1s }' });
    await expect(decodeShare(fragment.replace(/snn1=([^&]{6})/, 'snn1=$1!'))).rejects.toThrow(/damaged \(not base64url\)/);
    await expect(decodeShare(fragment.replace(/snn1=([^&]*)&/, (_, d: string) => `snn1=${d.slice(0, d.length - 5)}&`))).rejects.toThrow(/damaged/);
  });

  test('a file name that could be a path is replaced', async () => {
    const fragment = await encodeShare({ name: '../../etc/passwd', text: 'x' });
    expect((await decodeShare(fragment))?.name).toBe('shared.snn');
  });
});

describe('share links that expand too far', () => {
  test('a decompression bomb is refused after 8 MiB, without inflating the rest', async () => {
    // 64 MiB of zeros deflate to about 64 KB: the link is small, its text is not.
    const bomb = await new Response(new Blob([new Uint8Array(64 * 2 ** 20)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
    const fragment = `snn1=${toBase64Url(new Uint8Array(bomb))}&name=big.snn`;
    await expect(decodeShare(fragment)).rejects.toThrow('the shared link holds more than 8 MiB of text');
  });
});
