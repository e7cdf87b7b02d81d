import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Creating a folder whose path comes from a setting or an environment variable (ROBUST_NAS_NTK_CACHE, a sweep's
 * output folder, the download cache). Node's `mkdir(path, { recursive: true })` never returns for some paths:
 * under /proc, mkdir fails with ENOENT although the parent exists, and the recursive walk retries for good
 * (`ROBUST_NAS_NTK_CACHE=/proc/x` hung every NTK command). So: find the nearest existing ancestor, check it is a
 * folder, and create the missing levels one `mkdir` at a time; any failure is a {@link DirectoryError} saying
 * which folder could not be made and why.
 */
export class DirectoryError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong, without the path. */
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'DirectoryError';
  }
}

/** The folders to create, outermost first, after checking that the nearest existing ancestor is a folder. */
function missingLevels(dir: string, statOf: (p: string) => { isDirectory(): boolean } | undefined): string[] {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    const s = statOf(p);
    if (s) {
      if (!s.isDirectory())
        throw new DirectoryError(dir, missing.length ? `cannot be created: ${p} is not a folder` : 'is not a folder');
      return missing.reverse();
    }
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) return missing.reverse();
    p = parent;
  }
}

function explain(dir: string, level: string, e: unknown): DirectoryError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'ENOENT'
          ? 'the system does not allow a folder there'
          : (e as Error).message;
  return new DirectoryError(dir, `cannot be created (${level === resolve(dir) ? '' : `making ${level}: `}${why})`);
}

/** ENOTDIR: a level above is a file; the walk up finds it and says so. */
function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function statOrUndefinedSync(p: string) {
  try {
    return statSync(p);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw new DirectoryError(p, `cannot be examined (${(e as Error).message})`);
  }
}

/** Makes `dir` and its missing parents; throws DirectoryError instead of hanging or failing obscurely. */
export function makeDirectorySync(dir: string): void {
  for (const level of missingLevels(dir, statOrUndefinedSync)) {
    try {
      mkdirSync(level);
    } catch (e) {
      // Made meanwhile by another process: fine.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrUndefinedSync(level)?.isDirectory()) continue;
      throw explain(dir, level, e);
    }
  }
}

/** {@link makeDirectorySync} without blocking the event loop. */
export async function makeDirectory(dir: string): Promise<void> {
  // Statting the levels is quick; the walk itself is shared with the synchronous version.
  const stats = new Map<string, { isDirectory(): boolean } | undefined>();
  let p = resolve(dir);
  for (;;) {
    try {
      stats.set(p, await stat(p));
      break;
    } catch (e) {
      if (!isMissing(e)) throw new DirectoryError(p, `cannot be examined (${(e as Error).message})`);
      stats.set(p, undefined);
    }
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const level of missingLevels(dir, (q) => stats.get(q))) {
    try {
      await mkdir(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(level).catch(() => undefined))?.isDirectory())
        continue;
      throw explain(dir, level, e);
    }
  }
}
