import { assertNever, type Diagnostic } from '@snnc/ir';
import type { Analysis } from './analysis.js';
import type { LangRequest, LangResponse } from './protocol.js';
import LangWorker from './worker.ts?worker';

/** Delay after the last keystroke before compiling, ms: short enough that diagnostics feel live. */
export const DEBOUNCE_MS = 25;

export interface AnalysisEvent {
  analysis: Analysis;
  /** From the keystroke that made this version to the analysis arriving, ms. */
  latencyMs: number;
}

/**
 * Talks to the language worker: debounced analysis of the current document (answers for
 * versions already superseded are dropped) and formatting on request.
 */
export class LanguageClient {
  private readonly worker: Worker;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = -1;
  /** The last request sent, so a repeated identical request (the boot's, then the editor's) is not compiled twice. */
  private posted: { file: string; text: string; version: number } | undefined;
  private changedAt = new Map<number, number>();
  private nextFormatId = 1;
  private readonly formats = new Map<number, (r: { text?: string; diagnostics: Diagnostic[] }) => void>();
  private readonly listeners: ((e: AnalysisEvent) => void)[] = [];
  private readonly crashListeners: ((message: string) => void)[] = [];
  last: Analysis | undefined;

  constructor() {
    this.worker = new LangWorker({ name: 'snnc-language' });
    this.worker.onmessage = (ev: MessageEvent<LangResponse>) => this.receive(ev.data);
  }

  onAnalysis(fn: (e: AnalysisEvent) => void): void {
    this.listeners.push(fn);
  }

  onCrash(fn: (message: string) => void): void {
    this.crashListeners.push(fn);
  }

  /** Schedules an analysis of `text` as document version `version`. */
  update(file: string, text: string, version: number, immediate = false): void {
    this.latest = version;
    if (!this.changedAt.has(version)) this.changedAt.set(version, performance.now());
    clearTimeout(this.timer);
    const p = this.posted;
    if (p && p.file === file && p.version === version && p.text === text) {
      const done = this.last;
      if (done && done.file === file && done.version === version) queueMicrotask(() => this.emit(done));
      return;
    }
    const send = () => {
      this.posted = { file, text, version };
      this.post({ kind: 'analyze', version, file, text });
    };
    if (immediate) send();
    else this.timer = setTimeout(send, DEBOUNCE_MS);
  }

  format(file: string, text: string): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
    const id = this.nextFormatId++;
    return new Promise((resolve) => {
      this.formats.set(id, resolve);
      this.post({ kind: 'format', id, file, text });
    });
  }

  private emit(analysis: Analysis): void {
    if (this.last === undefined) performance.mark('snnc:first-analysis');
    const started = this.changedAt.get(analysis.version) ?? performance.now();
    this.changedAt.clear();
    this.last = analysis;
    for (const fn of this.listeners) fn({ analysis, latencyMs: performance.now() - started });
  }

  private post(m: LangRequest): void {
    this.worker.postMessage(m);
  }

  private receive(m: LangResponse): void {
    switch (m.kind) {
      case 'analysis': {
        const v = m.analysis.version;
        if (v !== this.latest) return;
        this.emit(m.analysis);
        return;
      }
      case 'formatted': {
        const done = this.formats.get(m.id);
        this.formats.delete(m.id);
        const r: { text?: string; diagnostics: Diagnostic[] } = { diagnostics: m.diagnostics };
        if (m.text !== undefined) r.text = m.text;
        done?.(r);
        return;
      }
      case 'crash':
        for (const fn of this.crashListeners) fn(m.message);
        return;
      default:
        assertNever(m);
    }
  }
}

