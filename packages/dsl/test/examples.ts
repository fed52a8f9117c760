import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** The example files this package owns (examples/mnist.snn belongs to the runtime). */
export function exampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.snn')) out.push(path.relative(repoRoot, p));
    }
  };
  walk(path.join(repoRoot, 'examples'));
  return out.filter((f) => f !== 'examples/mnist.snn').sort();
}

/** Reads repo-relative paths, as `compile` asks for them. */
export function readRepoFile(p: string): string | undefined {
  try {
    return fs.readFileSync(path.join(repoRoot, p), 'utf8');
  } catch {
    return undefined;
  }
}
