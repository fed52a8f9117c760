import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveInside } from '@snnc/ir/node';
import { readWeightsPragma } from '@snnc/nir';

/**
 * The weights file an imported `.snn` names (`// snnc-weights: NAME.safetensors`, written by
 * `snnc import`), for commands given no `--checkpoint`. Heavy (loads @snnc/nir): import it only
 * inside a command's action. `file` is the `.snn` as the user gave it, resolved against `cwd`.
 */
export function declaredWeights(file: string, text: string, cwd: string): { path: string; name: string } | { error: string } | undefined {
  const name = readWeightsPragma(text);
  if (name === undefined) return undefined;
  const dir = path.dirname(path.resolve(cwd, file));
  const resolved = resolveInside(dir, name);
  if (resolved === undefined) return { error: `${file} names the weights file \`${name}\`, which is outside its folder` };
  if (!existsSync(resolved)) return { error: `${file} names the weights file \`${name}\`, which does not exist (give --checkpoint, or run snnc import again)` };
  return { path: resolved, name };
}
