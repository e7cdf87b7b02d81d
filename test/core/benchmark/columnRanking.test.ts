import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentileOf, rankColumn } from '../../../src/core/benchmark/columnRanking';

test('ties share the best rank and missing values are left out', () => {
  const r = rankColumn(Float64Array.from([0.5, 0.9, 0.9, 0.1, NaN, 0.5, 0.7]));
  assert.equal(r.of, 6);
  assert.deepEqual(Array.from(r.rank), [4, 1, 1, 6, 0, 4, 3]);
  assert.deepEqual(Array.from(r.lowerCount), [1, 4, 4, 0, 0, 1, 3]);
  assert.deepEqual(Array.from(r.order), [1, 2, 6, 0, 5, 3]);
});

test('percentile is the share of the other cells strictly below', () => {
  assert.equal(percentileOf(5, 6), 100);
  assert.equal(percentileOf(0, 6), 0);
  assert.equal(percentileOf(1, 5), 25);
  assert.equal(percentileOf(0, 1), 100);
});

test('all equal values all rank first', () => {
  const r = rankColumn(Float64Array.from([0.3, 0.3, 0.3]));
  assert.deepEqual(Array.from(r.rank), [1, 1, 1]);
  assert.deepEqual(Array.from(r.lowerCount), [0, 0, 0]);
});
