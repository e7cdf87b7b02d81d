import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageRanks, correlationMatrix, kendallTauB, pearson, spearman } from '../../../src/core/stats';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('average ranks share the mean rank across ties', () => {
  assert.deepEqual([...averageRanks([10, 20, 20, 5])], [2, 3.5, 3.5, 1]);
  const withNaN = averageRanks([3, NaN, 1]);
  assert.deepEqual([withNaN[0], withNaN[2]], [2, 1]);
  assert.ok(Number.isNaN(withNaN[1]));
});

test('hand-checked values without ties', () => {
  // d = (1, 1, 1, 1, 0): rho = 1 - 6*4 / (5*24) = 0.8; two discordant pairs of ten: tau = (8 - 2) / 10.
  close(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 0.8);
  close(kendallTauB([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 0.6);
  // r = 3 / sqrt(2 * 42/9)
  close(pearson([1, 2, 3], [1, 2, 4]), 3 / Math.sqrt(2 * (42 / 9)));
});

test('hand-checked values with ties', () => {
  // x ranks (1, 2.5, 2.5, 4), y ranks (1, 3, 2, 4): r of ranks = 4.5 / sqrt(4.5 * 5).
  close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 4.5 / Math.sqrt(4.5 * 5));
  // 5 concordant, 0 discordant, one pair tied in x: tau-b = 5 / sqrt((6 - 1) * 6).
  close(kendallTauB([1, 2, 2, 3], [1, 3, 2, 4]), 5 / Math.sqrt(30));
});

test('perfect and reversed orderings; constant series give NaN', () => {
  close(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  close(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTauB([2, 2], [1, 2])));
});

function bruteForceTauB(x: number[], y: number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiesXOnly = 0;
  let tiesYOnly = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesXOnly++;
      else if (dy === 0) tiesYOnly++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  return (
    (concordant - discordant) / Math.sqrt((concordant + discordant + tiesXOnly) * (concordant + discordant + tiesYOnly))
  );
}

test("Knight's O(n log n) tau-b equals the O(n^2) definition on random data with many ties", () => {
  let s = 12345;
  const rand = (k: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % k;
  };
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + rand(200);
    const levels = 2 + rand(12);
    const x = Array.from({ length: n }, () => rand(levels));
    const y = Array.from({ length: n }, () => rand(levels));
    const expected = bruteForceTauB(x, y);
    const got = kendallTauB(x, y);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(got));
    else close(got, expected, 1e-12);
  }
});

test('pairs with a missing value are left out', () => {
  close(spearman([1, 2, NaN, 3], [1, 2, 99, 3]), 1);
  close(pearson([1, NaN, 2, 3], [2, 5, 4, 6]), pearson([1, 2, 3], [2, 4, 6]));
});

test('correlation matrix is symmetric with a unit diagonal', () => {
  const cols = [
    [1, 2, 3, 4],
    [4, 3, 2, 1],
    [1, 3, 2, 4],
  ];
  const m = correlationMatrix(cols, 'kendall');
  assert.equal(m.length, 3);
  for (let a = 0; a < 3; a++) {
    assert.equal(m[a][a], 1);
    for (let b = 0; b < 3; b++) assert.equal(m[a][b], m[b][a]);
  }
  close(m[0][1], -1);
});
