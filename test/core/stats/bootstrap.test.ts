import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  drawResamples,
  percentileInterval,
  rankMoments,
  resampledSpearman,
  rankColumn,
  resampleRanks,
  weightedKendallTauB,
  weightedPearson,
} from '../../../src/core/stats/bootstrap';
import { Rng } from '../../../src/core/ntk/rng';
import { kendallTauB, spearman } from '../../../src/core/stats';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** The resample written out: observation i repeated w_i times. */
function expand(values: ArrayLike<number>, w: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) for (let c = 0; c < w[i]; c++) out.push(values[i]);
  return out;
}

function tiedSeries(n: number, levels: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.int(levels));
}

test('resampled ranks and weighted Pearson equal Spearman of the expanded resample (ties included)', () => {
  const n = 60;
  const x = tiedSeries(n, 12, 1);
  const y = tiedSeries(n, 25, 2);
  const draws = drawResamples(n, 20, 7);
  const rx = rankColumn(x);
  const ry = rankColumn(y);
  const ax = new Float64Array(n);
  const ay = new Float64Array(n);
  for (let b = 0; b < draws.count; b++) {
    const w = draws.counts.subarray(b * n, (b + 1) * n);
    resampleRanks(rx, w, ax);
    resampleRanks(ry, w, ay);
    const expected = spearman(expand(x, w), expand(y, w));
    close(weightedPearson(ax, ay, w), expected);
    close(resampledSpearman(rx, w, ay, rankMoments(ay, w)), expected);
  }
});

test('weighted Kendall tau-b equals tau-b of the expanded resample (copies tie in x and y)', () => {
  const n = 50;
  const x = tiedSeries(n, 8, 3);
  const y = tiedSeries(n, 10, 4);
  const draws = drawResamples(n, 20, 9);
  for (let b = 0; b < draws.count; b++) {
    const w = draws.counts.subarray(b * n, (b + 1) * n);
    close(weightedKendallTauB(rankColumn(x), rankColumn(y), w), kendallTauB(expand(x, w), expand(y, w)));
  }
  // All weights 1: the plain coefficient.
  close(weightedKendallTauB(rankColumn(x), rankColumn(y), new Uint16Array(n).fill(1)), kendallTauB(x, y));
});

test('missing values take no rank and count only with weight 0', () => {
  const x = [3, NaN, 1, 2, NaN];
  const col = rankColumn(x);
  assert.deepEqual([...col.order], [2, 3, 0]);
  const w = [1, 0, 2, 1, 0];
  const r = new Float64Array(5);
  resampleRanks(col, w, r);
  // Expanded: 1, 1, 2, 3 -> ranks 1.5, 1.5, 3, 4.
  assert.deepEqual([r[2], r[3], r[0]], [1.5, 3, 4]);
});

test('resamples are seeded, of size n each, and differ between seeds', () => {
  const a = drawResamples(100, 5, 1);
  const b = drawResamples(100, 5, 1);
  const c = drawResamples(100, 5, 2);
  assert.deepEqual(a.counts, b.counts);
  assert.notDeepEqual(a.counts, c.counts);
  for (let k = 0; k < 5; k++)
    assert.equal(
      a.counts.subarray(k * 100, (k + 1) * 100).reduce((s, v) => s + v, 0),
      100,
    );
});

test('percentile interval interpolates between order statistics and ignores NaN', () => {
  const v = Array.from({ length: 101 }, (_, i) => i);
  const [low, high] = percentileInterval(v, 0.9);
  close(low, 5);
  close(high, 95);
  assert.deepEqual(percentileInterval([NaN, 2, 1, NaN, 3], 0.5), [1.5, 2.5]);
  assert.deepEqual(percentileInterval([NaN]), [NaN, NaN]);
});
