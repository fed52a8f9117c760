import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodeSafetensors } from '@snnc/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseMnistAsset } from '../src/train/mnist-asset.js';
import { normalizedSample } from '../src/train/trace.js';
import { APP, DIST, openSession, screenshot, waitReady, type Session } from './harness.js';

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

/** The `snnc` command the harness serves the editor with. */
const SNNC = path.resolve(APP, '../../packages/cli/bin/snnc.js');

function snnc(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, [SNNC, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Spikes in a `snnc trace --model` CSV (a header, then one row per step: step, then 0/1 per neuron). */
function csvSpikes(file: string): number {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return rows.reduce((n, r) => n + r.split(',').slice(1).reduce((a, v) => a + Number(v), 0), 0);
}

/**
 * A model that reads MNIST row by row (28 steps of 28 inputs), with weights no initialisation
 * draws, written as NIR by `snnc export`: the editor trains it on its MNIST subset, so a run shows
 * which weights it started from.
 */
const MODEL = `neuron lif = LIF(tau: 2.0, threshold: 1.0)
model m(input: [28], steps: 28) {
  dense(10)
  lif
}
`;
const EXPERIMENT = `\nexperiment fromfile {\n  model: m\n  data: sequential_mnist\n  normalize: unit\n  epochs: 1\n}\n`;

describe("an opened .nir file runs with the file's weights", () => {
  let s: Session;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'snnc-nir-weights-'));
    writeFileSync(path.join(dir, 'm.snn'), MODEL);
    // Every kernel entry in [-0.1, 0.3), a bias rising over the units: far from a random init.
    const kernel = new Float32Array(28 * 10).map((_, i) => (((i * 37) % 17) / 17) * 0.4 - 0.1);
    const bias = new Float32Array(10).map((_, i) => 0.05 * i);
    writeFileSync(path.join(dir, 'w.safetensors'), encodeSafetensors([{ name: 'dense_0/kernel', shape: [28, 10], data: kernel }, { name: 'dense_0/bias', shape: [10], data: bias }], {}));
    snnc(dir, 'export', 'm.snn', '--checkpoint', 'w.safetensors', '-o', 'm.nir');
    s = await openSession();
    await s.page.goto(s.server.url);
    await waitReady(s.page);
  });
  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the first trace, before training, is what snnc trace gives on the snnc import of the same file', async () => {
    // The CLI side: snnc import, then snnc trace on test sample 0 of the editor's MNIST subset.
    const cli = path.join(dir, 'cli');
    mkdirSync(cli);
    snnc(cli, 'import', '../m.nir');
    const imported = readFileSync(path.join(cli, 'm.snn'), 'utf8');
    expect(imported).toContain('// snnc-weights: m.safetensors');
    const asset = parseMnistAsset(new Uint8Array(gunzipSync(readFileSync(path.join(DIST, 'mnist-subset.bin')))));
    const sample = normalizedSample(asset.test.images, 28 * 28, 0, { kind: 'unit' });
    const rows = Array.from({ length: 28 }, (_, t) => Array.from(sample.subarray(t * 28, (t + 1) * 28)).join(','));
    writeFileSync(path.join(cli, 'sample0.csv'), `${rows.join('\n')}\n`);
    snnc(cli, 'trace', 'm.snn', '--input', 'sample0.csv', '--out', 'file.csv');
    const fromFile = csvSpikes(path.join(cli, 'file.csv'));
    // The same model without its weights line starts from a fresh initialisation.
    writeFileSync(path.join(cli, 'fresh.snn'), imported.replace(/^\/\/ snnc-weights:.*$/m, ''));
    snnc(cli, 'trace', 'fresh.snn', '--input', 'sample0.csv', '--out', 'fresh.csv');
    expect(csvSpikes(path.join(cli, 'fresh.csv'))).not.toBe(fromFile);

    // The editor side: open the .nir, add an experiment for its model, run it.
    const page = s.page;
    const chooser = page.waitForEvent('filechooser');
    await page.click('#btn-open');
    await (await chooser).setFiles(path.join(dir, 'm.nir'));
    await expect.poll(() => page.textContent('#file-name')).toBe('m.snn');
    expect(await page.textContent('#file-weights')).toBe('weights from m.nir');
    expect(await page.isVisible('#file-weights')).toBe(true);
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(EXPERIMENT);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.$$eval('#target option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['experiment:fromfile']);
    expect(await page.textContent('#status-text')).toBe('no errors');
    await page.selectOption('#target', 'experiment:fromfile');
    // The tiny epoch can end (and redraw the raster) before a poll from here sees the first
    // trace on a busy machine, so the page records that trace the moment it is drawn
    // (data-epoch is set last, after the bands).
    await page.evaluate(() => {
      const raster = document.querySelector<HTMLElement>('#train-raster')!;
      const w = window as unknown as { fileTrace?: { text: string; bands: [string, number][] } };
      new MutationObserver(() => {
        if (raster.dataset['epoch'] !== 'file' || w.fileTrace) return;
        const bands = [...raster.querySelectorAll<HTMLElement>('[data-band]')].map((e) => [e.dataset['band']!, Number(e.dataset['spikes'])] as [string, number]);
        w.fileTrace = { text: raster.textContent ?? '', bands };
      }).observe(raster, { attributes: true, attributeFilter: ['data-epoch'] });
    });
    await page.click('#btn-run');
    await expect.poll(() => page.evaluate(() => (window as unknown as { fileTrace?: unknown }).fileTrace !== undefined), { timeout: 60_000 }).toBe(true);
    const first = await page.evaluate(() => (window as unknown as { fileTrace: { text: string; bands: [string, number][] } }).fileTrace);
    expect(first.bands).toEqual([['neuron_0', fromFile]]);
    expect(first.text).toContain('with the weights from m.nir, before training');
    expect(await page.textContent('#epoch-log')).toContain('weights: 2 tensors from m.nir, not a fresh initialisation');
    await screenshot(page, 'nir-weights');
    await page.click('#btn-stop');
    // Stopped, or already through its one short epoch on a slow machine: either way it ended cleanly.
    await expect.poll(() => page.getAttribute('#train-status', 'data-done'), { timeout: 30_000 }).toMatch(/^(aborted|completed)$/);
    expect(s.errors).toEqual([]);
  });

  test("a model edited so the file's weights no longer fit stops with a message naming the missing tensor", async () => {
    const page = s.page;
    // The imported model with a second dense layer: dense_1 has no tensor in the file.
    const edited = readFileSync(path.join(dir, 'cli', 'm.snn'), 'utf8').replace('dense(10)', 'dense(10)\ndense(10)') + EXPERIMENT;
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(edited);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await page.textContent('.monaco-editor .view-lines'))?.replace(/\u00a0/g, ' ')).toMatch(/dense\(10\)\s*dense\(10\)/);
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    await page.selectOption('#target', 'experiment:fromfile');
    await page.click('#btn-run');
    await expect.poll(() => page.getAttribute('#train-status', 'data-error'), { timeout: 60_000 }).toContain('the weights from m.nir do not fit model `m`');
    expect(await page.getAttribute('#train-status', 'data-error')).toContain('dense_1/kernel');
  });
});
