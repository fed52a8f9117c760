import { readRegularFile, writeFileAtomic } from '@snnc/ir/node';

/** The one atomic write, from @snnc/ir/node (re-exported: this package's users import it from here). */
export { writeFileAtomic };

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Parsed JSON object, or undefined when the file is missing, unreadable, not a regular file,
 * over READ_LIMITS.json or not an object (run directories come from anywhere: a FIFO or a link
 * to /dev/zero named summary.json must not hang or exhaust `snnc report`).
 */
export function readJsonObject(file: string): Record<string, unknown> | undefined {
  const read = readRegularFile(file, 'json');
  if (!read.ok) return undefined;
  const text = read.bytes.toString('utf8');
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
