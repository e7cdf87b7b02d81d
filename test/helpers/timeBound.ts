import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

/**
 * Asserts that `run` grows sub-quadratically on inputs of one shape: the time at 8n must stay below 24 times the
 * time at n plus a fixed allowance. Linear code takes about 8 times as long (a little more with cache effects),
 * quadratic code 64 times, so the bound separates them with room on either side; the allowance (default 250 ms)
 * absorbs a loaded 2-core machine descheduling the process for a moment. Each size is timed as the best of three
 * runs (the least disturbed one); a run already over the bound ends the measurement (the test has failed).
 */
export function assertSubquadraticTime(label: string, makeInput: (size: number) => string, run: (input: string) => void, { size, allowanceMs = 250 }: { size: number; allowanceMs?: number }): void {
  const small = makeInput(size);
  const large = makeInput(8 * size);
  const best = (input: string, limitMs: number) => {
    let min = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      run(input);
      min = Math.min(min, performance.now() - t0);
      if (min > limitMs) break;
    }
    return min;
  };
  const tSmall = best(small, Infinity);
  const limit = 24 * tSmall + allowanceMs;
  const tLarge = best(large, limit);
  assert.ok(tLarge <= limit, `${label}: ${tSmall.toFixed(1)} ms at ${small.length} characters but ${tLarge.toFixed(1)} ms at ${large.length} (over the sub-quadratic bound of ${limit.toFixed(0)} ms)`);
}
