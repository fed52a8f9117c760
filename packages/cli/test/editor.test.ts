import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { editorCommand, injectPreload, startEditorServer } from '../../../packages/cli/src/commands/editor.js';
import type { Io } from '../../../packages/cli/src/io.js';

/** `snnc editor` (packages/cli/src/commands/editor.ts), against a small stand-in build. */

let root: string;
let cwd: string;

function io(): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, cwd, out: () => out, err: () => err };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'snnc-editor-dist-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'b.wasm'), Buffer.from([0, 97, 115, 109]));
  cwd = mkdtempSync(path.join(tmpdir(), 'snnc-editor-cwd-'));
  mkdirSync(path.join(cwd, 'models'));
  writeFileSync(path.join(cwd, 'models', 'net.snn'), 'network n { run 1s } // </script><script>alert(1)</script>');
  writeFileSync(path.join(cwd, 'secret.txt'), 'secret');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

describe('snnc editor', () => {
  test('serves the build on 127.0.0.1 with the file preloaded, until stopped', async () => {
    const stop = new AbortController();
    const t = io();
    const done = editorCommand('models/net.snn', { port: 0, signal: stop.signal, root }, t);
    await expect.poll(() => t.out()).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = t.out().match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
    expect(t.out()).toContain('(opening models/net.snn)');

    const page = await fetch(url);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    const json = html.match(/<script type="application\/json" id="snnc-preload">(.*?)<\/script>/)![1]!;
    // The file's own `</script>` cannot end the preload element early.
    expect(json).not.toContain('</script>');
    expect(JSON.parse(json)).toEqual({ name: 'models/net.snn', text: 'network n { run 1s } // </script><script>alert(1)</script>' });

    const wasm = await fetch(`${url}assets/b.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cache-control')).toContain('immutable');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(Uint8Array.from([0, 97, 115, 109]));
    expect((await fetch(`${url}assets/app.js`, { method: 'HEAD' })).headers.get('content-length')).toBe('14');
    expect((await fetch(`${url}nope.js`)).status).toBe(404);
    expect((await fetch(`${url}assets/app.js`, { method: 'POST' })).status).toBe(405);
    // Nothing outside the build, however the path is spelled.
    const rel = path.relative(root, path.join(cwd, 'secret.txt')).split(path.sep).join('/');
    const dotted = await fetch(`${url}${rel.replace(/\.\./g, '%2e%2e')}`);
    expect([403, 404]).toContain(dotted.status); // WHATWG URL parsing already folds `%2e%2e`
    expect(await dotted.text()).not.toContain('secret');
    expect((await fetch(`${url}..%2f..%2fetc%2fpasswd`)).status).toBe(403);

    stop.abort();
    expect(await done).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  test('mistakes are diagnostics with codes and exit 1', async () => {
    const missingBuild = io();
    expect(await editorCommand(undefined, { port: 0, root: path.join(root, 'nope') }, missingBuild)).toBe(1);
    expect(missingBuild.err()).toContain('SNN9002');
    expect(missingBuild.err()).toContain('npm run build -w @snnc/editor');

    const missingFile = io();
    expect(await editorCommand('nope.snn', { port: 0, root }, missingFile)).toBe(1);
    expect(missingFile.err()).toMatch(/SNN9001: cannot read `nope.snn`: no such file/);

    const badPort = io();
    expect(await editorCommand(undefined, { port: 70000, root }, badPort)).toBe(1);
    expect(badPort.err()).toContain('SNN9003');

    const taken = await startEditorServer({ root, port: 0 });
    const busy = io();
    expect(await editorCommand(undefined, { port: taken.port, root }, busy)).toBe(1);
    expect(busy.err()).toContain(`port ${taken.port} is in use`);
    await taken.close();
  });

  test('injectPreload escapes line separators and needs a head', () => {
    expect(injectPreload('<head></head>', { name: 'a.snn', text: '\u2028' })).toContain('\\u2028');
    expect(() => injectPreload('<html></html>', { name: 'a.snn', text: '' })).toThrow(/<\/head>/);
  });
});
