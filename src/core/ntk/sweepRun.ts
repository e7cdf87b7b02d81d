import type { BenchmarkApi } from '../benchmark/api';
import { canonicalCell } from './canonical';
import { estimateSecondsLeft } from './eta';
import type { NtkJobOptions, NtkPool } from './pool';
import type { NtkResult } from './scores';
import type { SweepRow } from './sweepFile';

export interface SweepProgress {
  /** Classes finished in this run, and how many this run set out to compute. */
  readonly finished: number;
  readonly todo: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left (Infinity until the first class is done). */
  readonly etaSeconds: number;
  /** The row just written. */
  readonly last: SweepRow;
}

export interface SweepRunOptions {
  readonly bench: Pick<BenchmarkApi, 'archOfIndex'>;
  readonly todo: readonly number[];
  readonly options: NtkJobOptions;
  readonly pool: Pick<NtkPool, 'compute' | 'size'>;
  /** Called with each finished row, in completion order, before progress is reported (e.g. SweepWriter.append). */
  readonly write: (row: SweepRow) => void;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SweepProgress) => void;
  /** Start no new class after this many seconds (the CLI's --limit-seconds); running ones finish. */
  readonly limitSeconds?: number;
  /** Clock in seconds (tests pass a fake one). */
  readonly now?: () => number;
}

export interface SweepOutcome {
  readonly finished: number;
  readonly cancelled: boolean;
  /** Why the run stopped before the end without being cancelled (the time limit). */
  readonly stopReason?: string;
  readonly elapsedSeconds: number;
}

/**
 * Runs the classes of `todo` on the worker pool, one class per worker (`pool.size` lanes), each class scored on
 * its canonical cell as the cache does. Every finished class is written before the next one is counted, so what
 * was reported done is on disk. Aborting `signal` stops promptly (the pool terminates the running workers) and
 * resolves with `cancelled`; a computation error rejects after the rows already finished were written.
 */
export async function runSweep(run: SweepRunOptions): Promise<SweepOutcome> {
  const now = run.now ?? (() => performance.now() / 1000);
  const started = now();
  const limit = run.limitSeconds ?? Infinity;
  let finished = 0;
  let next = 0;
  let stopReason: string | undefined;
  // After one class fails, the other lanes finish their running class but start no new one.
  let failed = false;
  const cancelled = () => run.signal?.aborted === true;
  const lane = async () => {
    while (next < run.todo.length && !cancelled() && !failed) {
      if (now() - started > limit) {
        stopReason = `time limit of ${limit} s reached`;
        return;
      }
      const index = run.todo[next++];
      let result: NtkResult;
      try {
        result = await run.pool.compute(canonicalCell(run.bench.archOfIndex(index).cell), run.options, run.signal);
      } catch (e) {
        if (cancelled()) return;
        failed = true;
        throw e;
      }
      const row: SweepRow = { type: 'result', index, result };
      run.write(row);
      finished++;
      const elapsed = now() - started;
      run.onProgress?.({
        finished,
        todo: run.todo.length,
        elapsedSeconds: elapsed,
        etaSeconds: estimateSecondsLeft(elapsed, finished, run.todo.length - finished),
        last: row,
      });
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(run.pool.size, run.todo.length)) }, lane);
  const settled = await Promise.allSettled(lanes);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure && !cancelled()) throw failure.reason;
  return { finished, cancelled: cancelled(), stopReason, elapsedSeconds: now() - started };
}
