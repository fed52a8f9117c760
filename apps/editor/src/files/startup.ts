import { EXAMPLES } from './examples.js';

export interface Doc {
  /** The file name the compiler sees: `examples/nef/multiply.snn`, `model.snn`. */
  name: string;
  text: string;
}

const DRAFT_KEY = 'snnc-editor-draft';

/** The id of the JSON script `snnc editor FILE` writes into index.html. */
export const PRELOAD_ELEMENT_ID = 'snnc-preload';

/** Where to start when the URL carries no shared source: the CLI's file, the last draft, an example. */
export function initialDocument(): Doc {
  return preloaded() ?? draft() ?? firstExample() ?? { name: 'untitled.snn', text: STARTER };
}

function preloaded(): Doc | undefined {
  const el = document.getElementById(PRELOAD_ELEMENT_ID);
  if (!el?.textContent) return undefined;
  try {
    const d = JSON.parse(el.textContent) as Partial<Doc>;
    return typeof d.name === 'string' && typeof d.text === 'string' ? { name: d.name, text: d.text } : undefined;
  } catch {
    return undefined;
  }
}

function draft(): Doc | undefined {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    if (!raw) return undefined;
    const d = JSON.parse(raw) as Partial<Doc>;
    return typeof d.name === 'string' && typeof d.text === 'string' ? { name: d.name, text: d.text } : undefined;
  } catch {
    return undefined;
  }
}

let draftTimer: ReturnType<typeof setTimeout> | undefined;

/** Keeps the text across reloads (debounced; storage may be unavailable, which is fine). */
export function saveDraft(d: Doc): void {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    } catch {
      // private mode or quota: drafts are a convenience only
    }
  }, 500);
}

function firstExample(): Doc | undefined {
  const preferred = [...EXAMPLES.keys()].find((k) => /multiply/.test(k)) ?? [...EXAMPLES.keys()][0];
  return preferred === undefined ? undefined : { name: preferred, text: EXAMPLES.get(preferred)! };
}

const STARTER = `// a * b through a 2-D ensemble (Nengo's multiplication example)
network multiply {
  input a = 0.5
  input b = 0.2
  ensemble ab = LIF(n: 200, dims: 2, radius: 1.5)
  ensemble c = LIF(n: 100)
  connect a -> ab[0]
  connect b -> ab[1]
  connect ab -> c (function: x[0] * x[1], synapse: 5ms)
  probe c (synapse: 10ms, expect: a * b)
  run 2s
}
`;
