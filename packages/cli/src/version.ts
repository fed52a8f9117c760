import { readFileSync } from 'node:fs';

/** The snnc version, from this package's package.json (recorded in every run). */
export function snncVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
