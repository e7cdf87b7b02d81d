import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError, makeDirectorySync } from '../files/directory';
import { readRegularFileSync, UnsafeFileError } from '../files/regularFile';
import { isomorphismKey, type Cell } from '../space';
import type { NtkJobOptions } from './pool';
import { ntkResultProblem } from './resultShape';
import type { NtkResult } from './scores';

/**
 * Bumped whenever the engine's numbers change (network, initialisation, attacks, summaries). Not for float32
 * rounding: back ends (`wasm`, `wasm-fma`, `js`) and algorithms that agree to it (the exact kernel's Winograd
 * convolutions: within 1e-6 of PyTorch's float64 loop, as before them) share entries, and every result names its
 * back end.
 */
export const NTK_ENGINE_VERSION = 1;

/** What makes two computations return the same numbers: the cell's isomorphism class plus every option. */
export function ntkCacheKey(cell: Cell, options: NtkJobOptions): string {
  const { variants, ...rest } = options;
  return JSON.stringify({
    engine: NTK_ENGINE_VERSION,
    cls: isomorphismKey(cell),
    ...rest,
    variants: [...variants].sort(),
  });
}

/** A cache entry could not be written (read-only or full disk, a path that cannot be a folder). */
export class NtkCacheWriteError extends Error {
  override readonly name = 'NtkCacheWriteError';
}

/** Entries are a few kilobytes; anything larger than this is not one (and is not read). */
const MAX_ENTRY_BYTES = 1 << 20;

/** What reading an entry found: a valid result, nothing, or an entry that is there but damaged (and why). */
export type NtkCacheLookup =
  { readonly result: NtkResult } | { readonly problem: string; readonly file: string } | undefined;

/**
 * Results on disk, one JSON file per key (hashed) under `dir`. Writes are atomic: a temporary file is written,
 * read back and parsed, then renamed over the target, so a crash never leaves a half-written entry. Entries are
 * checked on read (ntkResultProblem: shape, numbers, and the class and configuration asked for); a damaged or
 * planted entry counts as missing, so it is recomputed and replaced.
 */
export class NtkResultCache {
  constructor(readonly dir: string) {}

  /** The entry's file. */
  fileOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }

  /** The valid result stored under `key` (of `expected`'s class and configuration when given), else undefined. */
  get(key: string, expected?: { readonly cell: Cell; readonly options: NtkJobOptions }): NtkResult | undefined {
    const found = this.lookup(key, expected);
    return found && 'result' in found ? found.result : undefined;
  }

  /** Like {@link get}, but says why an entry that exists was not used. */
  lookup(key: string, expected?: { readonly cell: Cell; readonly options: NtkJobOptions }): NtkCacheLookup {
    const file = this.fileOf(key);
    let entry: { key?: unknown; result?: unknown };
    try {
      entry = JSON.parse(
        readRegularFileSync(file, { maxBytes: MAX_ENTRY_BYTES, what: 'an NTK cache entry' }).toString('utf8'),
        reviveNumbers,
      ) as typeof entry;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        return undefined;
      return {
        file,
        problem:
          e instanceof UnsafeFileError
            ? e.problem
            : e instanceof SyntaxError
              ? 'is not JSON'
              : `cannot be read (${(e as Error).message})`,
      };
    }
    // Another key's entry under the same hash prefix: not ours, not damaged.
    if (entry === null || typeof entry !== 'object' || entry.key !== key)
      return entry?.key === undefined ? { file, problem: 'is not a cache entry' } : undefined;
    const problem = ntkResultProblem(entry.result, expected);
    return problem ? { file, problem: `holds a result that ${problem}` } : { result: entry.result as NtkResult };
  }

  /** Stores `result` under `key`; throws NtkCacheWriteError saying where and why when it cannot. */
  put(key: string, result: NtkResult): void {
    const target = this.fileOf(key);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      makeDirectorySync(this.dir);
      const text = JSON.stringify({ key, result }, replaceNumbers);
      writeFileSync(temp, text);
      if (readFileSync(temp, 'utf8') !== text) throw new Error(`${temp} did not read back as written; disk full?`);
      renameSync(temp, target);
    } catch (e) {
      rmSync(temp, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        e instanceof DirectoryError
          ? e.message
          : code === 'EACCES' || code === 'EPERM'
            ? `${this.dir} is not writable`
            : code === 'EROFS'
              ? `${this.dir} is on a read-only file system`
              : code === 'ENOSPC'
                ? 'the disk is full'
                : (e as Error).message;
      throw new NtkCacheWriteError(
        `the NTK cache could not store the result (${why}); set ROBUST_NAS_NTK_CACHE to a writable folder to keep results between runs`,
      );
    }
  }
}

/** JSON has no Infinity/NaN (a singular kernel's condition number is Infinity): encode them as strings. */
export function replaceNumbers(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

export function reviveNumbers(_key: string, v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}
