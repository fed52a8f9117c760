import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEditorServer } from '../src/commands/editor.js';
import { ISOLATION_HEADERS } from '@snnc/ir';

describe('snnc editor cross-origin isolation', () => {
  it('sends COOP and COEP (and CORP) on the page and on its assets, so the page may use SharedArrayBuffer', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'snnc-iso-'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    writeFileSync(path.join(root, 'w.wasm'), new Uint8Array([0, 97, 115, 109]));
    const server = await startEditorServer({ root, port: 0 });
    try {
      for (const p of ['/', '/w.wasm']) {
        const r = await fetch(new URL(p, server.url));
        expect(r.status).toBe(200);
        expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
        expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      }
      expect(Object.keys(ISOLATION_HEADERS)).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});
