/** Open a local `.snn` (or `.nir`) file with the browser's file picker, and save one as a download. */
import type { FileWeights } from './nir.js';

/** A picked or dropped file as a document; a `.nir` file also brings its weights. */
export interface OpenedFile {
  name: string;
  text: string;
  weights?: FileWeights;
}

export function openLocalFile(): Promise<OpenedFile | undefined> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.snn,.nir,text/plain';
    input.addEventListener('change', () => {
      const f = input.files?.[0];
      if (!f) return resolve(undefined);
      readLocalFile(f).then(resolve, reject);
    });
    input.addEventListener('cancel', () => resolve(undefined));
    input.click();
  });
}

/** A picked or dropped file as a document: `.snn` text, or a `.nir` graph as the `.snn` snnc import writes, with its weights. */
export async function readLocalFile(f: File): Promise<OpenedFile> {
  if (/\.nir$/i.test(f.name)) {
    const { nirToSnn } = await import('./nir.js');
    return nirToSnn(new Uint8Array(await f.arrayBuffer()), f.name);
  }
  return { name: f.name, text: await f.text() };
}

/** Offers bytes or text as a file download. */
export function download(name: string, data: BlobPart, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; revoking at once cancels the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
