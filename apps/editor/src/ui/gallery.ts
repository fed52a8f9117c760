import { EXAMPLES, listExamples } from '../files/examples.js';
import type { Doc } from '../files/startup.js';

/**
 * The Examples dialog: every bundled `examples/**\/*.snn`, grouped by folder, with the first
 * comment line of each file as its summary. Picking one opens it (it does not run).
 */
export function showGallery(dialog: HTMLDialogElement, list: HTMLElement, open: (doc: Doc) => void): void {
  list.replaceChildren();
  let group: string | undefined;
  for (const ex of listExamples()) {
    if (ex.group !== group) {
      group = ex.group;
      const h = document.createElement('h3');
      h.textContent = group || 'examples';
      list.append(h);
    }
    const b = document.createElement('button');
    b.dataset['example'] = ex.path;
    b.append(ex.name);
    if (ex.summary) {
      const s = document.createElement('small');
      s.textContent = ex.summary;
      b.append(s);
    }
    b.addEventListener('click', () => {
      dialog.close();
      open({ name: ex.path, text: EXAMPLES.get(ex.path) ?? '' });
    });
    list.append(b);
  }
  if (EXAMPLES.size === 0) list.textContent = 'No examples were bundled.';
  dialog.showModal();
}
