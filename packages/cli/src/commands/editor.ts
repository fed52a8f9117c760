import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISOLATION_HEADERS, makeDiagnostic, syntheticRange, type Diagnostic } from '@snnc/ir';
import { printDiagnostics, readText, type Io } from '../io.js';

/** `snnc editor` serves this folder: the web editor's production build. */
export const EDITOR_DIST = fileURLToPath(new URL('../../../../apps/editor/dist/', import.meta.url));

/** Tried first when no port is given; another free port is used when it is taken. */
export const DEFAULT_EDITOR_PORT = 7070;

/** The id of the JSON script the editor reads its first document from (apps/editor/src/files/startup.ts). */
const PRELOAD_ID = 'snnc-preload';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  // instantiateStreaming rejects wasm served under any other type
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
  '.snn': 'text/plain; charset=utf-8',
};

export interface EditorServerOptions {
  /** The built editor (defaults to {@link EDITOR_DIST}). */
  root?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A document to open first: written into index.html, so the page needs no extra request. */
  preload?: { name: string; text: string };
}

export interface EditorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the built editor on 127.0.0.1 only (never on other interfaces: the page is a
 * local tool). GET and HEAD of files under `root`; `/` is index.html with the preload.
 */
export async function startEditorServer(opts: EditorServerOptions = {}): Promise<EditorServer> {
  const root = path.resolve(opts.root ?? EDITOR_DIST);
  const indexHtml = readFileSync(path.join(root, 'index.html'), 'utf8');
  const page = opts.preload ? injectPreload(indexHtml, opts.preload) : indexHtml;
  let port = 0;
  const server = createServer((req, res) => {
    // DNS rebinding: a page on another site can point its own host name at 127.0.0.1 and
    // read the opened file; the Host header still names that site, so only ours are served.
    if (!isLocalHost(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('forbidden: the editor answers only to http://127.0.0.1 and http://localhost');
      return;
    }
    handle(req, res, root, page);
  });
  port = await listen(server, opts.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') reject(new Error('expected a TCP address from the editor server'));
      else resolve(addr.port);
    });
  });
}

/** Whether a request's Host header names this server: 127.0.0.1 or localhost, at its port. */
export function isLocalHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const m = /^(127\.0\.0\.1|localhost)(?::(\d+))?$/i.exec(host);
  return m !== null && (m[2] === undefined ? port === 80 : Number(m[2]) === port);
}

/** Puts the document into index.html as JSON; `<` is escaped so the text cannot close the script. */
export function injectPreload(html: string, doc: { name: string; text: string }): string {
  const json = JSON.stringify({ name: doc.name, text: doc.text }).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const tag = `<script type="application/json" id="${PRELOAD_ID}">${json}</script>`;
  const at = html.indexOf('</head>');
  if (at < 0) throw new Error('expected </head> in the editor index.html');
  return `${html.slice(0, at)}${tag}\n${html.slice(at)}`;
}

function handle(req: IncomingMessage, res: ServerResponse, root: string, page: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (pathname === '/' || pathname === '/index.html') {
    send(res, req, 200, CONTENT_TYPES['.html']!, page, 'no-cache');
    return;
  }
  const file = path.resolve(root, `.${pathname}`);
  // Never serve anything outside the editor build, whatever `..` or encoded slashes the URL holds.
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Vite names built assets by content hash, so they never change under the same name.
  const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  send(res, req, 200, type, readFileSync(file), cache);
}

function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string | Buffer, cache: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff', ...ISOLATION_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** The name the editor shows and compiles the preloaded file under: relative to cwd when inside it. */
function preloadName(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
}

/**
 * `snnc editor [FILE] [--port N]`: serves the web editor on 127.0.0.1, prints its URL, and
 * runs until interrupted (Ctrl-C) or `signal` aborts. FILE, when given, is opened first.
 * Resolves to the exit code.
 */
export async function editorCommand(file: string | undefined, opts: { port?: number; signal?: AbortSignal; root?: string }, io: Io): Promise<number> {
  const root = opts.root ?? EDITOR_DIST;
  const fail = (d: Diagnostic, source?: string) => {
    printDiagnostics(io, [d], (f) => (f === d.range.file ? source : undefined));
    return 1;
  };
  if (!existsSync(path.join(root, 'index.html'))) {
    return fail(
      makeDiagnostic('SNN9002', syntheticRange('snnc'), {
        message: `the web editor is not built (no ${path.join(root, 'index.html')}); build it with \`npm run build -w @snnc/editor\``,
      }),
    );
  }
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    return fail(makeDiagnostic('SNN9003', syntheticRange('snnc'), { message: `--port must be an integer from 0 to 65535, got ${opts.port}` }));
  }
  let preload: { name: string; text: string } | undefined;
  if (file !== undefined) {
    const read = readText(path.resolve(io.cwd, file));
    if ('error' in read) return fail(makeDiagnostic('SNN9001', syntheticRange(file), { path: file, reason: read.error }));
    preload = { name: preloadName(file, io.cwd), text: read.text };
  }
  let server: EditorServer;
  try {
    server = await startEditorServer({ root, port: opts.port ?? DEFAULT_EDITOR_PORT, ...(preload ? { preload } : {}) });
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (inUse && opts.port === undefined) server = await startEditorServer({ root, port: 0, ...(preload ? { preload } : {}) });
    else {
      const message = inUse ? `port ${opts.port} is in use; choose another with --port, or --port 0 for any free port` : `cannot start the editor server: ${(e as Error).message}`;
      return fail(makeDiagnostic('SNN9003', syntheticRange('snnc'), { message }));
    }
  }
  io.stdout.write(`snnc editor: ${server.url}${preload ? ` (opening ${preload.name})` : ''}\npress Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (opts.signal?.aborted) return stop();
    opts.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
