// Web editor benchmark: time to a usable page, keystroke-to-diagnostics latency on every
// example, and bundle size. Runs the production build in headless Chromium:
//   npm run build -w @snnc/editor && node tools/bench/editor/bench.mjs [--loads N] [--keys N]
// Targets: usable in < 2 s from localhost, diagnostics < 100 ms after a keystroke.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = path.join(root, 'apps/editor/dist');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const LOADS = arg('--loads', 5);
const KEYS = arg('--keys', 12);

if (!existsSync(path.join(dist, 'index.html'))) {
  const r = spawnSync('npm', ['run', 'build', '-w', '@snnc/editor'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.bin': 'application/octet-stream' };
const server = createServer((req, res) => {
  const p = new URL(req.url ?? '/', 'http://x').pathname;
  const file = path.join(dist, p === '/' ? 'index.html' : p);
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

async function browser() {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'snnc-bench-editor-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args, viewport: { width: 1400, height: 900 } });
  return { context, close: async () => (await context.close(), rmSync(profile, { recursive: true, force: true })) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// ---- 1. load: a fresh browser profile (cold cache) each time ---------------------------
async function measureLoad(page) {
  await page.goto(url);
  // Usable: the editor exists and the first diagnostics of the starting file are shown.
  await page.waitForFunction(() => document.getElementById('check-time')?.dataset.version !== undefined, null, { polling: 5 });
  return page.evaluate(() => ({
    usable: performance.now(),
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    bytes: performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), 0),
    marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
  }));
}

const loads = [];
const warm = [];
for (let i = 0; i < LOADS; i++) {
  const b = await browser();
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  loads.push(await measureLoad(page));
  // Warm: the same profile again (HTTP and V8 code caches filled), as when the editor is reopened.
  await measureLoad(page);
  warm.push(await measureLoad(page));
  await b.close();
}

// ---- 2. keystroke to diagnostics on every example ---------------------------------------
const b = await browser();
const page = b.context.pages()[0] ?? (await b.context.newPage());
await page.goto(url);
await page.waitForSelector('body[data-ready="true"]');
await page.click('#btn-examples');
const examples = await page.$$eval('#gallery-list button[data-example]', (bs) => bs.map((x) => x.dataset.example));
await page.keyboard.press('Escape');
const rows = [];
for (const ex of examples) {
  await page.click('#btn-examples');
  await page.click(`#gallery-list button[data-example="${ex}"]`);
  await page.waitForFunction((name) => document.getElementById('file-name')?.textContent === name, ex);
  await page.waitForFunction(() => document.getElementById('check-time')?.dataset.version !== undefined);
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+End');
  const lat = [];
  const compileMs = [];
  for (let k = 0; k < KEYS; k++) {
    const before = await page.getAttribute('#check-time', 'data-version');
    await page.keyboard.press(k % 2 === 0 ? 'Space' : 'Backspace');
    await page.waitForFunction((v) => document.getElementById('check-time')?.dataset.version !== v, before, { polling: 5 });
    lat.push(Number(await page.getAttribute('#check-time', 'data-latency')));
    compileMs.push(Number((await page.textContent('#check-time')).match(/compile ([\d.]+) ms/)[1]));
    // Let the debounce window pass so every keystroke is measured on its own.
    await page.waitForTimeout(60);
  }
  const lines = readFileSync(path.join(root, ex), 'utf8').split('\n').length;
  rows.push({ example: ex, lines, medianMs: median(lat), p90Ms: pct(lat, 0.9), compileMedianMs: median(compileMs) });
}
await b.close();
server.close();

// ---- 3. bundle size ---------------------------------------------------------------------
function walk(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const files = walk(dist).map((f) => {
  const bytes = readFileSync(f);
  return { file: path.relative(dist, f), raw: bytes.length, gzip: gzipSync(bytes).length };
});
const kb = (n) => `${(n / 1024).toFixed(0)} kB`;

console.log(`\nload to usable page (${LOADS} cold loads, ${url}):`);
console.log(`  usable (first diagnostics shown): median ${median(loads.map((l) => l.usable)).toFixed(0)} ms, max ${Math.max(...loads.map((l) => l.usable)).toFixed(0)} ms`);
for (const m of ['snnc:first-analysis', 'snnc:app-loaded', 'snnc:editor-created']) {
  console.log(`  ${m}: median ${median(loads.map((l) => l.marks[m] ?? NaN)).toFixed(0)} ms`);
}
console.log(`  warm (third load in the same profile): usable median ${median(warm.map((l) => l.usable)).toFixed(0)} ms, max ${Math.max(...warm.map((l) => l.usable)).toFixed(0)} ms`);
console.log(`  machine load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (${os.cpus().length} cores)`);
console.log(`  DOMContentLoaded: median ${median(loads.map((l) => l.dcl)).toFixed(0)} ms; transferred ${kb(median(loads.map((l) => l.bytes)))}`);
console.log(`\nkeystroke -> diagnostics (${KEYS} keystrokes per example; includes the ${25} ms debounce):`);
for (const r of rows) console.log(`  ${r.example.padEnd(40)} ${String(r.lines).padStart(4)} lines  median ${r.medianMs.toFixed(1)} ms  p90 ${r.p90Ms.toFixed(1)} ms  (compile ${r.compileMedianMs.toFixed(1)} ms)`);
console.log('\nbundle (apps/editor/dist):');
for (const f of files.sort((a, b) => b.raw - a.raw)) console.log(`  ${f.file.padEnd(56)} ${kb(f.raw).padStart(8)}  gzip ${kb(f.gzip).padStart(7)}`);
const js = files.filter((f) => f.file.endsWith('.js'));
console.log(`  total ${kb(files.reduce((s, f) => s + f.raw, 0))} (gzip ${kb(files.reduce((s, f) => s + f.gzip, 0))}); JavaScript ${kb(js.reduce((s, f) => s + f.raw, 0))} (gzip ${kb(js.reduce((s, f) => s + f.gzip, 0))})`);
