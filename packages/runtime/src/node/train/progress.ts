import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { formatRates, type BatchProgress } from '../../train/index.js';

/** Prints training progress: bars on a terminal, periodic plain lines in logs and CI. */
export interface ProgressReporter {
  /** A phase starts: `batches` in total, `startBatch` already done (after a resume). */
  phase(phase: 'train' | 'test', epoch: number, batches: number, startBatch: number): void;
  batch(p: BatchProgress): void;
  /** A whole line of its own (the epoch line, `Saving...`); closes an open bar first. */
  line(text: string): void;
  stop(): void;
}

/** `1m05s`, `12s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

interface PhaseClock {
  phase: 'train' | 'test';
  epoch: number;
  batches: number;
  /**
   * Where rates are measured from: the phase start, or after a resume (whose earlier seconds
   * ran in another process) the first report of this process.
   */
  anchor: { batch: number; seconds: number } | null;
}

function startClock(phase: 'train' | 'test', epoch: number, batches: number, startBatch: number): PhaseClock {
  return { phase, epoch, batches, anchor: startBatch === 0 ? { batch: 0, seconds: 0 } : null };
}

/** Batches per second and the remaining seconds. */
function rate(clock: PhaseClock, p: BatchProgress): { itPerS: number; eta: number } {
  if (clock.anchor === null) clock.anchor = { batch: p.batch, seconds: p.seconds };
  const done = p.batch - clock.anchor.batch;
  const secs = p.seconds - clock.anchor.seconds;
  const itPerS = done > 0 && secs > 0 ? done / secs : 0;
  return { itPerS, eta: itPerS > 0 ? (p.batches - p.batch) / itPerS : NaN };
}

/**
 * cli-progress bars for a terminal, e.g.
 * `train 0 |████████░░░░| 412/937 [2m01s<2m34s, 3.40 it/s] loss=0.0141 acc=0.9203`
 */
export function ttyProgress(out: NodeJS.WritableStream, color: boolean): ProgressReporter {
  const c = color ? pc : pc.createColors(false);
  let bar: cliProgress.SingleBar | null = null;
  let clock: PhaseClock | null = null;
  const close = () => {
    bar?.stop();
    bar = null;
  };
  return {
    phase(phase, epoch, batches, startBatch) {
      close();
      clock = startClock(phase, epoch, batches, startBatch);
      bar = new cliProgress.SingleBar(
        {
          stream: out as NodeJS.WriteStream,
          format: `${phase === 'train' ? c.cyan('train') : c.magenta('test ')} {epoch} |{bar}| {value}/{total} [{elapsed}<{remaining}, {rate} it/s] {metrics}`,
          barCompleteChar: '\u2588',
          barIncompleteChar: '\u2591',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, startBatch, { epoch, elapsed: '0s', remaining: '?', rate: '0.00', metrics: '' });
    },
    batch(p) {
      if (bar === null || clock === null) return;
      const r = rate(clock, p);
      bar.update(p.batch, {
        epoch: p.epoch,
        elapsed: formatDuration(p.seconds),
        remaining: formatDuration(r.eta),
        rate: r.itPerS.toFixed(2),
        metrics: `loss=${p.loss.toFixed(4)} acc=${p.accuracy.toFixed(4)}${p.rates ? ` ${formatRates(p.rates)}` : ''}`,
      });
    },
    line(text) {
      close();
      out.write(text + '\n');
    },
    stop: close,
  };
}

/**
 * Plain lines for logs: one at every tenth of a phase and at least once a minute, e.g.
 * `  train epoch 0  412/937  loss=0.0141 acc=0.9203  3.40 it/s  elapsed 2m01s  eta 2m34s`.
 */
export function plainProgress(out: NodeJS.WritableStream): ProgressReporter {
  let clock: PhaseClock | null = null;
  let nextAt = 0;
  let lastPrint = 0;
  return {
    phase(phase, epoch, batches, startBatch) {
      clock = startClock(phase, epoch, batches, startBatch);
      nextAt = startBatch + Math.max(1, Math.ceil(batches / 10));
      lastPrint = 0;
    },
    batch(p) {
      if (clock === null) return;
      const r = rate(clock, p);
      if (p.batch < nextAt && p.batch < p.batches && p.seconds - lastPrint < 60) return;
      while (nextAt <= p.batch) nextAt += Math.max(1, Math.ceil(p.batches / 10));
      lastPrint = p.seconds;
      out.write(
        `  ${p.phase === 'train' ? 'train' : 'test '} epoch ${p.epoch}  ${String(p.batch).padStart(String(p.batches).length)}/${p.batches}  ` +
          `loss=${p.loss.toFixed(4)} acc=${p.accuracy.toFixed(4)}${p.rates ? `  ${formatRates(p.rates)}` : ''}  ${r.itPerS.toFixed(2)} it/s  elapsed ${formatDuration(p.seconds)}  eta ${formatDuration(r.eta)}\n`,
      );
    },
    line(text) {
      out.write(text + '\n');
    },
    stop() {},
  };
}
