import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

/**
 * Asserts that `run` grows sub-quadratically on inputs of one shape: the time at 8n must stay below 24 times the
 * time at n plus a fixed allowance. Linear code takes about 8 times as long (a little more with cache effects),
 * quadratic code 64 times, so the bound separates them with room on either side. On a loaded 2-core machine the
 * process is descheduled in bursts, so while the bound is not met the two sizes are timed again in alternation (up
 * to five times each), each keeping its best (least disturbed) time; the allowance (default 250 ms) absorbs what is
 * left. A large run far over the bound ends the measurement (the test has failed; quadratic code would otherwise
 * take minutes).
 */
export function assertSubquadraticTime(
  label: string,
  makeInput: (size: number) => string,
  run: (input: string) => void,
  { size, allowanceMs = 250 }: { size: number; allowanceMs?: number },
): void {
  const small = makeInput(size);
  const large = makeInput(8 * size);
  const timed = (input: string) => {
    const t0 = performance.now();
    run(input);
    return performance.now() - t0;
  };
  let tSmall = Infinity;
  let tLarge = Infinity;
  for (let round = 0; round < 5; round++) {
    tSmall = Math.min(tSmall, timed(small));
    tLarge = Math.min(tLarge, timed(large));
    if (tLarge <= 24 * tSmall + allowanceMs || tLarge > 4 * (24 * tSmall + allowanceMs)) break;
  }
  const limit = 24 * tSmall + allowanceMs;
  assert.ok(
    tLarge <= limit,
    `${label}: ${tSmall.toFixed(1)} ms at ${small.length} characters but ${tLarge.toFixed(1)} ms at ${large.length} (over the sub-quadratic bound of ${limit.toFixed(0)} ms)`,
  );
}
