import { rename, rm, stat } from 'node:fs/promises';
import { writeFileAtomic } from '@snnc/ir/node';

/**
 * Run files and checkpoints are written with the one atomic write (@snnc/ir/node), flushed
 * to disk before the rename; async for the callers' sake.
 */
export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  writeFileAtomic(file, data, { durable: true });
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces directory `dir` by the complete directory `staged` (on the same file system).
 * Linux cannot rename a directory over a non-empty one, so the old one moves to `dir.old`
 * first; in the instant between the two renames only `dir.old` exists, and readers
 * ({@link resolveSwapped}) fall back to it. A reader therefore always sees a whole checkpoint,
 * either the previous or the new one, never a half-written one.
 */
export async function swapDirectory(staged: string, dir: string): Promise<void> {
  const old = `${dir}.old`;
  await rm(old, { recursive: true, force: true });
  if (await exists(dir)) await rename(dir, old);
  await rename(staged, dir);
  await rm(old, { recursive: true, force: true });
}

/** `dir` if it exists, else `dir.old` left by an interrupted {@link swapDirectory}, else null. */
export async function resolveSwapped(dir: string): Promise<string | null> {
  if (await exists(dir)) return dir;
  if (await exists(`${dir}.old`)) return `${dir}.old`;
  return null;
}
