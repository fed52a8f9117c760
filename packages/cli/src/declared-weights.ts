import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Model } from '@snnc/ir';
import { resolveInside } from '@snnc/ir/node';
import { readWeightsPragma } from '@snnc/nir';

export type DeclaredWeights = { path: string; name: string; file: string } | { error: string } | undefined;

/**
 * The weights file a `.snn` names (`// snnc-weights: NAME.safetensors`, written by
 * `snnc import`), for commands given no `--checkpoint`. Heavy (loads @snnc/nir): import it only
 * inside a command's action. `file` is the `.snn` as the user gave it, resolved against `cwd`.
 */
export function declaredWeights(file: string, text: string, cwd: string): DeclaredWeights {
  const name = readWeightsPragma(text);
  if (name === undefined) return undefined;
  const dir = path.dirname(path.resolve(cwd, file));
  const resolved = resolveInside(dir, name);
  if (resolved === undefined) return { error: `${file} names the weights file \`${name}\`, which is outside its folder` };
  if (!existsSync(resolved)) return { error: `${file} names the weights file \`${name}\`, which does not exist (give --checkpoint, or run snnc import again)` };
  return { path: resolved, name, file };
}

/** The weights file named by the `.snn` that defines `model` (the compiled file or one it uses). */
export function declaredWeightsOf(model: Model, sources: ReadonlyMap<string, string>, cwd: string): DeclaredWeights {
  const file = model.range?.file;
  const text = file === undefined ? undefined : sources.get(file);
  return file === undefined || text === undefined ? undefined : declaredWeights(file, text, cwd);
}
