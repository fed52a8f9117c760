import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.resolve(APP, '../..');
export const DIST = path.join(APP, 'dist');
export const ARTIFACTS = path.join(APP, 'test-artifacts');
export const CHROMIUM = process.env['SNNC_CHROMIUM'] ?? '/usr/bin/chromium';

/** Inputs of the build: when any is newer than dist/index.html, the app is rebuilt. */
const BUILD_INPUTS = [
  path.join(APP, 'src'),
  path.join(APP, 'build'),
  path.join(APP, 'index.html'),
  path.join(APP, 'vite.config.ts'),
  path.join(APP, 'package.json'),
  ...['ir', 'dsl', 'nef', 'runtime', 'nir'].map((p) => path.join(REPO, 'packages', p, 'src')),
  path.join(REPO, 'examples'),
];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(p)) if (e !== 'node_modules' && !e.endsWith('.test.ts')) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

/** Builds the app with Vite unless dist/ is newer than every source it is made from. */
export function ensureBuilt(): void {
  const index = path.join(DIST, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(...BUILD_INPUTS.map(newest))) return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: APP, encoding: 'utf8', stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** The `snnc editor` process serving dist/ (the real command, not its source). */
export interface EditorServer {
  url: string;
  close(): Promise<void>;
}

/** The `snnc` command (it runs the bundle `npm run build` writes, or says to build it first). */
const SNNC_BIN = path.join(REPO, 'packages', 'cli', 'bin', 'snnc.js');

/** Starts `snnc editor --port 0` (it serves apps/editor/dist) and resolves once it prints its URL. */
export function startSnncEditor(): Promise<EditorServer> {
  const proc = spawn(process.execPath, [SNNC_BIN, 'editor', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`snnc editor printed no URL within 30 s: ${out}`)), 30_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        close: async () => {
          proc.kill('SIGTERM');
          await exited;
        },
      });
    });
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`snnc editor exited with ${code}: ${out}`));
    });
  });
}

export interface Session {
  server: EditorServer;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen by any page. */
  errors: string[];
  close(): Promise<void>;
}

/** Headless flags from docs/toolchain.md: no GPU, no network except 127.0.0.1. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export async function openSession(): Promise<Session> {
  ensureBuilt();
  // Screenshots of this run only, so a renamed step leaves no stale picture behind.
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startSnncEditor();
  const profile = mkdtempSync(path.join(tmpdir(), 'snnc-editor-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const errors: string[] = [];
  context.on('page', (p) => watch(p, errors));
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page, errors);
  return {
    server,
    context,
    page,
    errors,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watch(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the page has loaded and the first analysis has arrived. */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('.monaco-editor .view-lines');
  await page.waitForFunction(() => document.getElementById('check-time')?.dataset['version'] !== undefined);
}
