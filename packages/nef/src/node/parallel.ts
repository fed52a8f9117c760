import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Network } from '@snnc/ir';
import { buildNetworkAsync, solveJob, type BuildOptions, type SolveJob, type SolveResult } from '../build.js';
import type { BuiltNetwork } from '../built.js';

/**
 * `buildNetwork` with the decoder solves of different ensembles on worker threads (at most
 * `threads`, default one per core, never more than there are ensembles to solve). The result
 * equals `buildNetwork`'s: each worker samples its ensemble from the same seed. Worth it when
 * solves dominate the build (Nengo's eval points at thousands of neurons per ensemble).
 */
export async function buildNetworkParallel(net: Network, opts: BuildOptions = {}, threads: number = availableParallelism()): Promise<BuiltNetwork> {
  const pool = new SolvePool(Math.max(1, threads));
  try {
    return await buildNetworkAsync(net, opts, (job) => pool.run(job));
  } finally {
    await pool.close();
  }
}

type Reply = { ok: true; res: SolveResult } | { ok: false; message: string };

/** Worker threads started on demand, each solving one job at a time. */
class SolvePool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run(job: SolveJob): Promise<SolveResult> {
    const w = await this.acquire();
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        w.once('error', onError);
        w.once('message', (m: Reply) => {
          w.off('error', onError);
          resolve(m);
        });
        w.postMessage(job);
      });
      // a failed solve (a silent ensemble: SNN5014) fails the same way here, with its SnncError
      return reply.ok ? reply.res : solveJob(job);
    } finally {
      this.release(w);
    }
  }

  private async acquire(): Promise<Worker> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length < this.size) {
      const w = newSolveThread();
      this.all.push(w);
      return w;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.acquire();
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

/**
 * The built .js under plain Node; from the TypeScript sources (the package's tests), a
 * bootstrap that registers tsx's loader in the new thread and then imports the source.
 */
function newSolveThread(): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./solve-worker${ext}`, import.meta.url);
  if (ext === '.js') return new Worker(fileURLToPath(entry));
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}
