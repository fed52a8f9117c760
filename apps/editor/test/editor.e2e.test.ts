import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeShare } from '../src/files/share.js';
import { openSession, screenshot, waitReady, type Session } from './harness.js';

/**
 * End to end in headless Chromium: the production build served from node:http on
 * 127.0.0.1 by the same server `snnc editor` uses. One browser for the whole file; the tests
 * run in order and each loads the page state it needs.
 */

const NETWORK = `network multiply {
  seed 0
  input a = 0.5
  input b = 0.2
  ensemble ab = LIF(n: 200, dims: 2, radius: 1.5)
  ensemble c = LIF(n: 100)
  connect a -> ab[0]
  connect b -> ab[1]
  connect ab -> c (function: x[0] * x[1], synapse: 5ms)
  probe c (synapse: 10ms, expect: a * b)
  probe ab.spikes
  run 1s
}
`;

/** A small dense SNN that trains in seconds on the bundled subset with the wasm backend. */
const TINY = `neuron lif = LIF(tau: 2.0)

model mlp(input: [1, 28, 28], steps: 4) {
  encode direct
  flatten -> dense(64) -> lif -> dense(10) -> lif
  decode rate
}

experiment tiny {
  model: mlp  data: mnist  target: onehot  loss: mse
  optimizer: adam(lr: 0.005)  batch: 16  epochs: 20  seed: 1
}
`;

let s: Session;
let page: Page;

async function openShared(name: string, text: string): Promise<void> {
  const fragment = await encodeShare({ name, text });
  // A new document each time: a hash-only navigation would not reload the page.
  await page.goto('about:blank');
  await page.goto(`${s.server.url}#${fragment}`);
  await waitReady(page);
}

/** The problems list as `CODE@line` strings. */
async function problems(): Promise<string[]> {
  return page.$$eval('#problems li', (lis) => lis.map((li) => `${(li as HTMLElement).dataset['code']}@${(li as HTMLElement).dataset['line']}`));
}

async function gotoLineEnd(line: number): Promise<void> {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/** Mean of the first series of a probe plot over its last 0.1 s, as shown on the page. */
async function plotMean(probe: string): Promise<number> {
  const raw = await page.getAttribute(`[data-plot="${probe}"] .value`, 'data-values');
  return raw ? (JSON.parse(raw) as number[])[0]! : NaN;
}

async function simTime(): Promise<number> {
  return Number((await page.getAttribute('#sim-status', 'data-t')) ?? 0);
}

beforeAll(async () => {
  s = await openSession();
  page = s.page;
});

afterAll(async () => {
  await s?.close();
});

describe('editor in Chromium', () => {
  test('loads, highlights from the compiler lexer and compiles the starting file', async () => {
    await openShared('multiply.snn', NETWORK);
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    // `network` is a keyword token, `LIF` a built-in name: both come from @snnc/dsl's tokenize.
    const keywordColor = await page.$eval('.view-line span span', (el) => getComputedStyle(el).color);
    expect(keywordColor).toBe('rgb(29, 78, 216)');
    expect(await page.$$eval('#target option', (os) => os.map((o) => o.textContent))).toEqual(['network multiply']);
    await screenshot(page, '01-loaded');
    expect(s.errors).toEqual([]);
  });

  test('a mistake gets a marker on its line with its code, and the fix removes it', async () => {
    await openShared('multiply.snn', NETWORK);
    await gotoLineEnd(6);
    await page.keyboard.type('\n  connect a -> nope');
    await page.keyboard.press('Escape');
    await expect.poll(problems).toEqual(['SNN2001@7']);
    // Monaco draws the marker as a squiggle level with line 7.
    await page.waitForSelector('.monaco-editor .squiggly-error');
    const markerTop = await page.$eval('.monaco-editor .squiggly-error', (el) => el.getBoundingClientRect().top);
    const lines = await page.$$eval('.monaco-editor .view-line', (ls) => ls.map((l) => ({ top: l.getBoundingClientRect().top, text: l.textContent })));
    // Monaco renders spaces as no-break spaces.
    expect(lines.find((l) => Math.abs(l.top - markerTop) < 2)?.text?.replace(/\u00a0/g, ' ')).toContain('connect a -> nope');
    expect(await page.textContent('#problems')).toContain('unknown input or ensemble `nope`');
    await screenshot(page, '02-marker');
    await page.keyboard.press('Control+Shift+K');
    await expect.poll(problems).toEqual([]);
    await expect.poll(() => page.$$('.monaco-editor .squiggly-error').then((x) => x.length)).toBe(0);
  });

  test('hovering a layer shows its inferred shape', async () => {
    await openShared('tiny.snn', TINY);
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    await page.locator('.view-line span span', { hasText: /^dense$/ }).first().hover();
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    await expect.poll(() => hover.textContent(), { timeout: 10_000 }).toContain('[784] → [64]');
    expect(await hover.textContent()).toContain('fully connected layer');
    await screenshot(page, '03-hover');
  });

  test('a run to its end plots the probe and draws a spike raster', async () => {
    await openShared('multiply.snn', NETWORK);
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    await page.click('.tabs button[data-tab="network"]');
    await page.selectOption('#sim-speed', 'max');
    await page.uncheck('#sim-keep');
    await page.click('#btn-run');
    await expect.poll(() => page.getAttribute('#sim-status', 'data-done'), { timeout: 30_000 }).toBe('finished');
    expect(await simTime()).toBeCloseTo(1, 6);
    const mean = await plotMean('c');
    expect(mean).toBeGreaterThan(0.06);
    expect(mean).toBeLessThan(0.14);
    // 64 of the 200 neurons of `ab` are drawn; at 200-400 Hz they spike many times in 1 s.
    expect(Number(await page.getAttribute('[data-raster="ab.spikes"]', 'data-spikes'))).toBeGreaterThan(1000);
    await page.check('#sim-keep');
    await screenshot(page, '04-run-raster');
  });

  test('the multiply example runs, settles near 0.1, and follows its slider', async () => {
    await page.goto('about:blank');
    await page.goto(s.server.url);
    await waitReady(page);
    await page.click('#btn-examples');
    await page.waitForSelector('#gallery-list button[data-example="examples/nef/multiply.snn"]');
    await screenshot(page, '05-gallery');
    await page.click('#gallery-list button[data-example="examples/nef/multiply.snn"]');
    await expect.poll(() => page.textContent('#file-name')).toBe('examples/nef/multiply.snn');
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    await page.selectOption('#target', 'network:multiply');
    await page.click('.tabs button[data-tab="network"]');
    await page.selectOption('#sim-speed', 'max');
    await page.click('#btn-run');
    await page.waitForSelector('#net-graph svg .net-node[data-name="a"]');
    // The graph labels the product connection with its function.
    expect(await page.textContent('#net-graph svg')).toContain('x[0] * x[1]');
    await page.waitForSelector('[data-plot]');
    const probe = (await page.$$eval('[data-plot]', (ps) => ps.map((p) => (p as HTMLElement).dataset['plot'])))[0]!;
    await expect.poll(simTime, { timeout: 30_000 }).toBeGreaterThan(1.5);
    await expect.poll(() => plotMean(probe), { timeout: 10_000 }).toBeGreaterThan(0.06);
    const settled = await plotMean(probe);
    expect(settled).toBeGreaterThan(0.06);
    expect(settled).toBeLessThan(0.14);
    await screenshot(page, '06-multiply');
    // Past its run time the simulation keeps going in real time; b = 0.2 -> -0.6 flips the product to -0.3.
    await page.$eval('input[type=range][data-input="b"]', (el) => {
      const r = el as HTMLInputElement;
      r.value = '-0.6';
      r.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const moved = await simTime();
    await expect.poll(async () => (await simTime()) - moved, { timeout: 15_000 }).toBeGreaterThan(0.6);
    const followed = await plotMean(probe);
    expect(followed).toBeLessThan(-0.2);
    expect(followed).toBeGreaterThan(-0.4);
    await screenshot(page, '07-slider');
    await page.click('#btn-stop');
    await expect.poll(() => page.getAttribute('#sim-status', 'data-done')).toBe('stopped');
  });

  test('training a small model in the browser beats chance within a few hundred steps', async () => {
    await openShared('tiny.snn', TINY);
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
    await page.selectOption('#target', 'experiment:tiny');
    await page.click('#btn-run');
    await expect.poll(async () => Number((await page.getAttribute('#train-step', 'data-value')) ?? 0), { timeout: 120_000 }).toBeGreaterThanOrEqual(300);
    const acc = Number(await page.getAttribute('#train-acc', 'data-value'));
    expect(acc).toBeGreaterThan(0.3); // chance is 0.1
    expect(await page.textContent('#train-status')).toContain('backend wasm');
    // live firing rates: one series per neuron layer of TINY, from the first activity interval on
    await expect.poll(() => page.locator('#train-plots [data-plot="firing-rate"]').count()).toBe(1);
    expect(await page.textContent('#train-plots [data-plot="firing-rate"]')).toContain('neuron_0');
    await screenshot(page, '08-training');
    await page.click('#btn-stop');
    await expect.poll(() => page.getAttribute('#train-status', 'data-done'), { timeout: 30_000 }).toBe('aborted');
    // The worker traced test sample 0 when it stopped: one raster band per neuron layer (the two
    // LIF layers of TINY), 4 steps each, the hidden layer capped at 64 of its 64 neurons.
    expect(await page.getAttribute('#train-raster', 'data-epoch')).toBe('stopped');
    expect(await page.getAttribute('#train-raster', 'data-layers')).toBe('2');
    const bands = await page.$$eval('#train-raster [data-band]', (els) =>
      els.map((e) => {
        const d = (e as HTMLElement).dataset;
        const c = e.querySelector('canvas')!;
        // drawn pixels: any non-transparent alpha in the band's canvas
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) inked++;
        return { band: d['band'], rows: Number(d['rows']), steps: Number(d['steps']), spikes: Number(d['spikes']), inked };
      }),
    );
    expect(bands.map((b) => [b.band, b.rows, b.steps])).toEqual([
      ['neuron_0', 64, 4],
      ['neuron_1', 10, 4],
    ]);
    // a trained network spikes for a digit; what was counted was drawn
    expect(bands.reduce((n, b) => n + b.spikes, 0)).toBeGreaterThan(0);
    for (const b of bands) expect(b.inked > 0).toBe(b.spikes > 0);
    await page.locator('#train-raster').scrollIntoViewIfNeeded();
    await screenshot(page, '12-training-raster');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-weights')]);
    expect(download.suggestedFilename()).toBe('tiny.safetensors');
    const bytes = readFileSync((await download.path())!);
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { shape: number[] }>;
    expect(header['dense_0/kernel']?.shape).toEqual([784, 64]);
  });

  test('a shared URL opens the same source and runs nothing until Run', async () => {
    await openShared('tiny.snn', TINY);
    await gotoLineEnd(1);
    await page.keyboard.type(' // edited');
    await page.keyboard.press('Escape');
    await page.click('#btn-share');
    await expect.poll(() => page.getAttribute('#status-text', 'data-share-url')).toContain('#snn1=');
    const url = (await page.getAttribute('#status-text', 'data-share-url'))!;
    const other = await s.context.newPage();
    await other.goto(url);
    await waitReady(other);
    expect(await other.textContent('#file-name')).toBe('tiny.snn');
    const [download] = await Promise.all([other.waitForEvent('download'), other.click('#btn-save')]);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved).toBe(TINY.replace('neuron lif = LIF(tau: 2.0)', 'neuron lif = LIF(tau: 2.0) // edited'));
    // Nothing ran: no simulation or training status, and Run is waiting for the user.
    expect(await other.textContent('#sim-status')).toBe('');
    expect(await other.textContent('#train-status')).toBe('');
    expect(await other.isEnabled('#btn-run')).toBe(true);
    await screenshot(other, '09-shared');
    await other.close();
    expect(s.errors).toEqual([]);
  });
});

describe('language features in Chromium', () => {
  const MESSY = `neuron lif=LIF( tau:2.0 )
model m(input:[1,28,28],steps:4){
encode direct
flatten->dense(10)->lif
}
`;

  test('completion offers the parameters of the call under the cursor', async () => {
    await openShared('multiply.snn', NETWORK);
    await gotoLineEnd(6);
    await page.keyboard.press('ArrowLeft'); // inside `LIF(n: 100|)`
    await page.keyboard.type(', tau_');
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.suggest-widget .monaco-list-row');
    await expect.poll(() => widget.allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringContaining('tau_rc')]));
    await screenshot(page, '10-completion');
    await page.keyboard.press('Enter');
    await page.keyboard.type('20ms');
    await expect.poll(() => page.textContent('#status-text')).toBe('no errors');
  });

  test('F12 goes to the definition of a name', async () => {
    await openShared('multiply.snn', NETWORK);
    await gotoLineEnd(7); // `  connect a -> ab[0]`
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.textContent('#cursor-pos')).toBe('Ln 7, Col 17');
    await page.keyboard.press('F12');
    await expect.poll(() => page.textContent('#cursor-pos')).toMatch(/^Ln 5, Col 1[2-4]$/);
  });

  test('Format rewrites the document like `snnc fmt`', async () => {
    const { format } = await import('@snnc/dsl');
    await openShared('messy.snn', MESSY);
    await page.click('#btn-format');
    await expect.poll(() => page.textContent('.view-line')).not.toContain('lif=LIF');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-save')]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(format(MESSY, { file: 'messy.snn' }).text);
    await screenshot(page, '11-formatted');
  });
});
