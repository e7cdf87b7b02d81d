import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { averageRanks, correlationMatrix, spearman } from '../../../src/core/stats';

test('the Spearman matrix equals pairwise spearman, for complete columns (ranked once) and columns with gaps', () => {
  let s = 7;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  // Rounded values so that ties occur, as in acc.json.
  const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: 300 }, () => Math.round(rand() * 40) / 40));
  cols[3][10] = NaN;
  cols[4][20] = NaN;
  const m = correlationMatrix(cols, 'spearman');
  for (let a = 0; a < cols.length; a++) {
    for (let b = 0; b < cols.length; b++) {
      if (a === b) assert.equal(m[a][b], 1);
      // Bit-identical: the matrix centres each column's ranks once but adds up in pearson()'s order.
      else assert.equal(m[a][b], spearman(cols[a], cols[b]), `${a},${b}`);
    }
  }
});

/** scipy's results on synthetic columns with many ties (tools/spearman_reference.py wrote the fixture). */
const scipyReference = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/stats/spearmanr-scipy.json'), 'utf8'),
) as {
  columns: number[][];
  rankdata: number[][];
  spearmanr: number[][];
};

test('average ranks equal scipy.stats.rankdata (method average) exactly', () => {
  scipyReference.columns.forEach((c, k) =>
    assert.deepEqual([...averageRanks(c)], scipyReference.rankdata[k], `column ${k}`),
  );
});

test('the Spearman matrix equals scipy.stats.spearmanr of all columns at once', () => {
  const m = correlationMatrix(
    scipyReference.columns.map((c) => Float64Array.from(c)),
    'spearman',
  );
  scipyReference.spearmanr.forEach((row, a) =>
    row.forEach((want, b) => {
      // scipy computes the same ranks (checked exactly above) and then numpy's corrcoef: the last bits may differ.
      assert.ok(Math.abs(m[a][b] - want) <= 1e-14, `${a},${b}: ${m[a][b]} vs scipy ${want}`);
    }),
  );
});

test('average ranks by definition: ties (also -0 and 0), infinities, NaN, values differing in the last bits', () => {
  let s = 3;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const special = [0, -0, Infinity, -Infinity, NaN, 0.5];
  // Values 2^-45 apart share the high 32 bits of their doubles: the sort must order them by the low bits, in short
  // runs (insertion) and in a long one (comparator); negative ones check the flipped keys.
  const close = (base: number, spread: number) => base + Math.floor(rand() * spread) * 2 ** -45;
  const xs = Array.from({ length: 600 }, () => {
    const u = rand();
    if (u < 0.1) return special[Math.floor(rand() * special.length)];
    if (u < 0.3) return close(0.25, 200);
    if (u < 0.4) return close(-0.75, 5);
    return Math.round(rand() * 30) / 30 - 0.5;
  });
  const r = averageRanks(xs);
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) {
      assert.ok(Number.isNaN(r[i]));
      continue;
    }
    // Rank = 1 + (values strictly below) + (other equal values) / 2.
    let below = 0;
    let equal = 0;
    for (const y of xs) {
      if (y < xs[i]) below++;
      else if (y === xs[i]) equal++;
    }
    assert.equal(r[i], 1 + below + (equal - 1) / 2, `value ${xs[i]} at ${i}`);
  }
});
