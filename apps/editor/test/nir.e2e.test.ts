import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APP, openSession, screenshot, waitReady, type Session } from './harness.js';

/** Real NIR files beside the checkout (../shared/fixtures/nir); the test skips without them. */
const FIXTURES = path.resolve(APP, '../../../shared/fixtures/nir');
const BRAILLE = path.join(FIXTURES, 'braille_bias_zero.nir');
const HAVE = existsSync(BRAILLE);

describe.skipIf(!HAVE)('opening a .nir file in the editor', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSession();
    await s.page.goto(s.server.url);
    await waitReady(s.page);
  });
  afterAll(async () => {
    await s?.close();
  });

  async function shows(name: string): Promise<void> {
    const page = s.page;
    await expect.poll(() => page.textContent('#file-name')).toBe(name);
    // Monaco renders spaces as no-break spaces.
    await expect.poll(async () => (await page.textContent('.monaco-editor .view-lines'))?.replace(/\u00a0/g, ' ')).toContain('lif1_w_rec_prev = lif1_w_rec -> delay(1)');
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
  }

  test('Open picks a .nir file and shows the recurrent Braille network as .snn', async () => {
    const chooser = s.page.waitForEvent('filechooser');
    await s.page.click('#btn-open');
    await (await chooser).setFiles(BRAILLE);
    await shows('braille_bias_zero.snn');
    await screenshot(s.page, 'nir-open');
  });

  test('a .nir file dropped on the page opens the same way', async () => {
    await s.page.goto(s.server.url);
    await waitReady(s.page);
    const bytes = [...readFileSync(BRAILLE)];
    const transfer = await s.page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.nir'));
      return dt;
    }, bytes);
    await s.page.dispatchEvent('.monaco-editor', 'drop', { dataTransfer: transfer });
    await shows('dropped.snn');
    expect(s.errors).toEqual([]);
  });
});
