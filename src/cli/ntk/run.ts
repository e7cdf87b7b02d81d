import { defaultNtkCacheDir } from '../../core/ntk/cacheDir';
import { NtkCacheWriteError, NtkResultCache, ntkCacheKey } from '../../core/ntk/cache';
import { canonicalCell } from '../../core/ntk/canonical';
import { computeNtkScores, NtkCancelledError, NtkInputError, type NtkJobOptions } from '../../core/ntk/pool';
import type { NtkProgress, NtkResult } from '../../core/ntk/scores';
import { parseCellEncoding, type Cell } from '../../core/space';
import type { CommandContext } from '../command';
import { CliError, EXIT } from '../errors';
import { caretLines } from '../format/caret';

/** Where computed NTK scores are kept between runs (shared with the extension and its language server). */
export const ntkCacheDir = defaultNtkCacheDir;

/** A cell from any encoding; benchmark indices need the data (loaded only then). */
export async function cellFromArgument(ctx: CommandContext, input: string | undefined): Promise<Cell> {
  if (input === undefined)
    throw new CliError('Missing argument: an architecture (string, 6-digit code, NASLib tuple or index).');
  const parsed = parseCellEncoding(input);
  if (parsed.ok && parsed.kind !== 'index') return parsed.cell;
  if (parsed.ok) return (await ctx.benchmark()).archOfIndex(parsed.index).cell;
  throw new CliError('Cannot read the architecture:', caretLines(input.trim(), parsed.errors));
}

/**
 * Scores a cell's isomorphism class on the worker pool (its canonical member, so isomorphic cells share results),
 * through the on-disk cache unless `useCache` is false. Ctrl-C cancels the computation.
 */
export async function scoreCell(
  cell: Cell,
  options: NtkJobOptions,
  useCache: boolean,
  signal: AbortSignal,
  onProgress?: (p: NtkProgress) => void,
  warn: (message: string) => void = () => {},
): Promise<{ result: NtkResult; cached: boolean }> {
  const cache = new NtkResultCache(ntkCacheDir());
  const key = ntkCacheKey(cell, options);
  if (useCache) {
    const found = cache.lookup(key, { cell, options });
    if (found && 'result' in found) return { result: found.result, cached: true };
    // A damaged or planted entry is never shown: recomputed below and replaced.
    if (found) warn(`the cached result ${found.file} ${found.problem}; recomputing it and replacing the entry.`);
  }
  const result = await computeNtkScores(canonicalCell(cell), options, signal, onProgress);
  if (useCache) {
    // A cache that cannot be written must not lose the result just computed: show it, and say so.
    try {
      cache.put(key, result);
    } catch (e) {
      if (!(e instanceof NtkCacheWriteError)) throw e;
      warn(e.message);
    }
  }
  return { result, cached: false };
}

/** An AbortSignal fired by Ctrl-C (SIGINT), for the duration of `body`. */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await body(controller.signal);
  } catch (e) {
    if (e instanceof NtkCancelledError) throw new CliError('cancelled.', [], EXIT.cancelled);
    if (e instanceof CliError) throw e;
    // A dataset file that is missing, malformed or hostile is bad input (README: exit 2).
    if (e instanceof NtkInputError) throw new CliError(e.message, [], EXIT.usage);
    throw new CliError((e as Error).message, [], EXIT.failure);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
