import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/nir/src/__tests__ -> four levels up). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Real NIR files written by other simulators, shipped beside the checkout (see its README). */
export const NIR_FIXTURES = path.join(REPO, '..', 'shared', 'fixtures', 'nir');
export const HAVE_FIXTURES = existsSync(path.join(NIR_FIXTURES, 'README.md'));
export const fixture = (name: string) => path.join(NIR_FIXTURES, name);
if (!HAVE_FIXTURES) console.warn(`NIR fixture tests skipped: ${NIR_FIXTURES} does not exist (it sits beside the checkout as ../shared/fixtures/nir)`);
