import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The checkout's root: the nearest folder above `from` whose package.json is this project's. Works from the
 * bundles in dist/ and from src/ run under tsx alike, since both sit below the root.
 */
export function findProjectRoot(from: string, packageName = 'robust-nas'): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName) return dir;
      } catch {
        // An unreadable package.json belongs to something else; keep looking upwards.
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Where this module runs from: the bundle's folder (CommonJS) or, failing that, the main script's. */
export function defaultSearchStarts(): string[] {
  const starts: string[] = [];
  if (typeof __dirname === 'string') starts.push(__dirname);
  if (process.argv[1]) starts.push(dirname(resolve(process.argv[1])));
  starts.push(process.cwd());
  return starts;
}

/**
 * Candidate folders for the shared development copy of the data, `shared/data/nas-robbench-201` beside the project
 * root (a fresh clone in CI has `../shared` next to it). Folders further up are tried too, because a git worktree
 * (`.../wt/<name>`) sits one level deeper than the main checkout it shares `../shared` with. None for a folder that is
 * not a checkout.
 */
export function sharedDataCandidates(projectRoot: string): string[] {
  // Only a checkout (it has src/) is a development set-up. An installed extension's folder also holds this project's
  // package.json, and a `shared/` folder that happens to sit above it (say /tmp/shared) is no source of data.
  if (!existsSync(join(projectRoot, 'src'))) return [];
  const out: string[] = [];
  let dir = dirname(resolve(projectRoot));
  for (;;) {
    out.push(join(dir, 'shared', 'data', 'nas-robbench-201'));
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}
