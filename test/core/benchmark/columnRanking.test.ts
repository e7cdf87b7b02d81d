import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileOf, rankAmongSorted, rankColumn } from '../../../src/core/benchmark/columnRanking';

test('ties share the best rank and missing values are left out', () => {
  const r = rankColumn(Float64Array.from([0.5, 0.9, 0.9, 0.1, NaN, 0.5, 0.7]));
  assert.equal(r.of, 6);
  assert.equal(r.direction, 'max');
  assert.deepEqual(Array.from(r.rank), [4, 1, 1, 6, 0, 4, 3]);
  assert.deepEqual(Array.from(r.worseCount), [1, 4, 4, 0, 0, 1, 3]);
  assert.deepEqual(Array.from(r.order), [1, 2, 6, 0, 5, 3]);
  assert.deepEqual(Array.from(r.sorted), [0.1, 0.5, 0.5, 0.7, 0.9, 0.9]);
});

test('a minimised column (a cost) ranks the lowest value first, with the same tie rule', () => {
  const r = rankColumn(Float64Array.from([0.5, 0.9, 0.9, 0.1, NaN, 0.5, 0.7]), 'min');
  assert.equal(r.of, 6);
  assert.deepEqual(Array.from(r.rank), [2, 5, 5, 1, 0, 2, 4]);
  // Strictly worse = strictly higher here.
  assert.deepEqual(Array.from(r.worseCount), [3, 0, 0, 5, 0, 3, 2]);
  assert.deepEqual(Array.from(r.order), [3, 0, 5, 6, 1, 2]);
  assert.equal(percentileOf(r.worseCount[3], r.of), 100);
  assert.equal(percentileOf(r.worseCount[1], r.of), 0);
});

test('a value not in the column gets the rank it would have if added', () => {
  const sorted = Float64Array.from([0.1, 0.5, 0.5, 0.7, 0.9]);
  assert.deepEqual(rankAmongSorted(sorted, 'max', 0.6), { rank: 3, worseCount: 3 });
  assert.deepEqual(rankAmongSorted(sorted, 'min', 0.6), { rank: 4, worseCount: 2 });
  assert.deepEqual(rankAmongSorted(sorted, 'min', 0.5), { rank: 2, worseCount: 2 });
  assert.deepEqual(rankAmongSorted(sorted, 'min', 0.05), { rank: 1, worseCount: 5 });
  assert.deepEqual(rankAmongSorted(sorted, 'max', 0.05), { rank: 6, worseCount: 0 });
});

test('percentile is the share of the other cells strictly worse', () => {
  assert.equal(percentileOf(5, 6), 100);
  assert.equal(percentileOf(0, 6), 0);
  assert.equal(percentileOf(1, 5), 25);
  assert.equal(percentileOf(0, 1), 100);
});

test('all equal values all rank first, either direction', () => {
  for (const direction of ['max', 'min'] as const) {
    const r = rankColumn(Float64Array.from([0.3, 0.3, 0.3]), direction);
    assert.deepEqual(Array.from(r.rank), [1, 1, 1]);
    assert.deepEqual(Array.from(r.worseCount), [0, 0, 0]);
  }
});
