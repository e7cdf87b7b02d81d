import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared copy of the published NAS-RobBench-201 files, beside the checkout (as in development and CI). */
export const SHARED_DATA_DIR = join(__dirname, '..', '..', '..', 'shared', 'data', 'nas-robbench-201');

/** Reads a published file the plain way (strip `acc=` / `arch=`), as an independent check on the loader. */
export function readPublishedFile<T>(name: 'NAS-RobBench-201_html.json' | 'acc.json' | 'ops.json'): T {
  const text = readFileSync(join(SHARED_DATA_DIR, name), 'utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1)) as T;
}
