import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { editorCommand, injectPreload, isLocalHost, startEditorServer } from '../src/commands/editor.js';
import { captureIo } from './helpers.js';

/** `snnc editor` (src/commands/editor.ts), against a small stand-in build. */

let root: string;
let cwd: string;

const io = () => captureIo(cwd);

/** A GET with the Host header a browser would send for `host` (fetch cannot set it). */
function getWithHost(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
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

  test('answers only to its own host names, so a DNS-rebinding page cannot read the opened file', async () => {
    const server = await startEditorServer({ root, port: 0, preload: { name: 'a.snn', text: 'the secret model' } });
    try {
      const evil = await getWithHost(server.port, `attacker.example:${server.port}`);
      expect(evil.status).toBe(403);
      expect(evil.body).not.toContain('secret');
      expect((await getWithHost(server.port, `127.0.0.1:${server.port}`)).body).toContain('the secret model');
      expect((await getWithHost(server.port, `localhost:${server.port}`)).status).toBe(200);
      expect((await getWithHost(server.port, `localhost:${server.port + 1}`)).status).toBe(403);
    } finally {
      await server.close();
    }
    expect(isLocalHost(undefined, 80)).toBe(false);
    expect(isLocalHost('LOCALHOST', 80)).toBe(true);
    expect(isLocalHost('127.0.0.1.attacker.example:7070', 7070)).toBe(false);
  });

  test('injectPreload escapes line separators and needs a head', () => {
    expect(injectPreload('<head></head>', { name: 'a.snn', text: '\u2028' })).toContain('\\u2028');
    expect(() => injectPreload('<html></html>', { name: 'a.snn', text: '' })).toThrow(/<\/head>/);
  });
});
