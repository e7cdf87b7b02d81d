import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlationMatrix, spearman } from '../../../src/core/stats';

test('the Spearman matrix equals pairwise spearman, for complete columns (ranked once) and columns with gaps', () => {
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  // Rounded values so that ties occur, as in acc.json.
  const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: 300 }, () => Math.round(rand() * 40) / 40));
  cols[3][10] = NaN;
  cols[4][20] = NaN;
  const m = correlationMatrix(cols, 'spearman');
  for (let a = 0; a < cols.length; a++) {
    for (let b = 0; b < cols.length; b++) {
      if (a === b) assert.equal(m[a][b], 1);
      else assert.ok(Math.abs(m[a][b] - spearman(cols[a], cols[b])) < 1e-12, `${a},${b}`);
    }
  }
});
