/// <reference lib="webworker" />
import { format } from '@snnc/dsl';
import { assertNever } from '@snnc/ir';
import { EXAMPLES } from '../files/examples.js';
import { analyze } from './analysis.js';
import type { LangRequest, LangResponse } from './protocol.js';

/**
 * The compiler runs here, off the UI thread, so typing never waits for a compile. Requests
 * are answered in order; the client drops answers for versions it has moved past.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: LangResponse) => scope.postMessage(m);

scope.onmessage = (ev: MessageEvent<LangRequest>) => {
  const m = ev.data;
  switch (m.kind) {
    case 'analyze':
      try {
        post({ kind: 'analysis', analysis: analyze(m.text, m.file, m.version, (p) => EXAMPLES.get(p)) });
      } catch (e) {
        post({ kind: 'crash', version: m.version, message: e instanceof Error ? e.message : String(e) });
      }
      return;
    case 'format': {
      const r = format(m.text, { file: m.file });
      const out: LangResponse = { kind: 'formatted', id: m.id, diagnostics: r.diagnostics };
      if (r.text !== undefined) out.text = r.text;
      post(out);
      return;
    }
    default:
      assertNever(m);
  }
};
