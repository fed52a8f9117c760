/**
 * How an imported `.snn` names its weights file: one line `// snnc-weights: NAME.safetensors`
 * in its header, written by `snnc import`; `snnc trace` and `snnc export` read it when no
 * `--checkpoint` is given. The name is relative to the `.snn` file and must stay inside its folder.
 */
const PRAGMA = /^\/\/ snnc-weights: (\S+)[ \t]*$/m;

export function weightsPragma(file: string): string {
  if (/\s/.test(file)) throw new Error(`weightsPragma: a weights file name cannot contain spaces: ${JSON.stringify(file)}`);
  return `// snnc-weights: ${file}`;
}

/** The weights file a `.snn` text names, as written (relative to the `.snn`), if any. */
export function readWeightsPragma(text: string): string | undefined {
  return PRAGMA.exec(text)?.[1];
}
