import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  computeLeaderboard,
  ENSEMBLE_ID,
  rankSumEnsemble,
  type ProxyColumn,
} from '../../../src/core/leaderboard/leaderboard';
import { abdelfattahVote } from '../../../src/core/leaderboard/vote';
import { Rng } from '../../../src/core/ntk/rng';
import { averageRanks, kendallTauB, spearman } from '../../../src/core/stats';

const rng = new Rng(11);
const n = 120;
const accuracy = Float64Array.from({ length: n }, () => Math.round(rng.uniform() * 40) / 40);
const noisy = (scale: number, sign: 1 | -1 = 1) =>
  Float64Array.from(accuracy, (a) => sign * (a + scale * rng.uniform()));
const column = (
  id: string,
  values: Float64Array,
  direction: 1 | -1 = 1,
  family: ProxyColumn['family'] = 'zc',
): ProxyColumn => ({ id, label: id, direction, family, values });

test('entries are the raw coefficients, sorted best first by direction x rho, with seeded intervals around them', () => {
  const proxies = [
    column('weak', noisy(3)),
    column('strong', noisy(0.3)),
    column('inverted', noisy(0.5, -1), -1, 'ntk'),
    column('params', noisy(0.1), 1, 'cost'),
  ];
  const targets = [{ id: 'clean', label: 'Clean', values: accuracy }];
  const board = computeLeaderboard(proxies, targets, { resamples: 200, seed: 3 });
  const entries = board.boards[0].entries;
  assert.deepEqual(
    entries.map((e) => e.proxy).filter((id) => id !== ENSEMBLE_ID),
    ['params', 'strong', 'inverted', 'weak'],
  );
  for (let k = 1; k < entries.length; k++) assert.ok(entries[k - 1].score >= entries[k].score);
  const inverted = entries.find((e) => e.proxy === 'inverted')!;
  assert.ok(
    inverted.spearman < 0 && inverted.score > 0,
    'a lower-is-better proxy keeps its negative rho and ranks by -rho',
  );
  for (const e of entries) {
    const p = proxies.find((q) => q.id === e.proxy);
    if (p) {
      assert.equal(e.spearman, spearman(p.values, accuracy));
      assert.equal(e.kendall, kendallTauB(p.values, accuracy));
    }
    assert.ok(
      e.spearmanCi!.low <= e.spearman && e.spearman <= e.spearmanCi!.high,
      `${e.proxy}: ${JSON.stringify(e.spearmanCi)} around ${e.spearman}`,
    );
    assert.equal(e.kendallCi, undefined);
  }
  // The same seed gives the same intervals; another seed other ones.
  assert.deepEqual(computeLeaderboard(proxies, targets, { resamples: 200, seed: 3 }).boards, board.boards);
  assert.notDeepEqual(
    computeLeaderboard(proxies, targets, { resamples: 200, seed: 4 }).boards[0].entries[0].spearmanCi,
    entries[0].spearmanCi,
  );
  assert.match(board.method, /95% percentile bootstrap .* 200 resamples .*seed 3/);
});

test('the ensemble and the vote take the best non-cost proxies; the ensemble sums direction-signed ranks', () => {
  const proxies = [
    column('a', noisy(0.2)),
    column('b', noisy(0.4, -1), -1),
    column('c', noisy(0.6)),
    column('d', noisy(5)),
    column('params', noisy(0.01), 1, 'cost'),
  ];
  const board = computeLeaderboard(proxies, [{ id: 'clean', label: 'Clean', values: accuracy }], { resamples: 0 })
    .boards[0];
  assert.deepEqual(board.vote!.members, ['a', 'b', 'c']);
  const ensemble = rankSumEnsemble(proxies.slice(0, 3));
  const ra = averageRanks(proxies[0].values);
  const rb = averageRanks(proxies[1].values);
  const rc = averageRanks(proxies[2].values);
  for (let i = 0; i < n; i++) assert.equal(ensemble[i], ra[i] - rb[i] + rc[i]);
  assert.equal(board.entries.find((e) => e.proxy === ENSEMBLE_ID)!.spearman, spearman(ensemble, accuracy));
  assert.equal(board.entries[0].spearmanCi, undefined, 'no resamples: no intervals');
});

/** The loop of Abdelfattah et al.'s notebook (SamsungLabs/zero-cost-nas, nasbench201_correlations.ipynb), transcribed. */
function notebookVote(metrics: Float64Array[], acc: Float64Array): number {
  let right = 0;
  let total = 0;
  for (let i = 0; i < acc.length; i++) {
    for (let j = 0; j < acc.length; j++) {
      if (i === j) continue;
      const diff = acc[i] - acc[j];
      if (diff === 0) continue;
      const numPositive = metrics.filter((m) => m[i] - m[j] > 0).length;
      const sign = numPositive >= metrics.length / 2 ? 1 : -1;
      if (sign * diff > 0) right++;
      total++;
    }
  }
  return right / total;
}

test("the vote equals the notebook's loop over ordered pairs, score ties included", () => {
  const tied = Float64Array.from(accuracy, (a) => Math.round(a * 4));
  const metrics = [noisy(0.5), tied, noisy(1)];
  const vote = abdelfattahVote(
    metrics.map((values) => ({ values, direction: 1 as const })),
    accuracy,
  );
  assert.equal(vote.pairwiseAccuracy, notebookVote(metrics, accuracy));
  assert.equal(vote.kendallScale, 2 * vote.pairwiseAccuracy - 1);
  // A lower-is-better member votes with its sign flipped.
  const flipped = abdelfattahVote(
    [
      { values: metrics[0].map((v) => -v), direction: -1 },
      { values: tied, direction: 1 },
      { values: metrics[2], direction: 1 },
    ],
    accuracy,
  );
  assert.equal(flipped.pairwiseAccuracy, vote.pairwiseAccuracy);
});

test('a sample sweep is compared on its own classes; a proxy missing on some classes uses the rest', () => {
  const sampled = noisy(0.3).map((v, i) => (i % 3 === 0 ? v : NaN));
  const partly = noisy(0.3).map((v, i) => (i % 3 === 0 && i % 2 === 0 ? NaN : v));
  const params = column('params', noisy(0.5), 1, 'cost');
  const board = computeLeaderboard(
    [
      column('s', sampled),
      column(
        'p',
        partly.map((v, i) => (i % 3 === 0 ? v : NaN)),
      ),
      params,
    ],
    [{ id: 'clean', label: 'Clean', values: accuracy }],
    { resamples: 50 },
  ).boards[0];
  assert.equal(board.n, n / 3);
  const byId = Object.fromEntries(board.entries.map((e) => [e.proxy, e]));
  assert.equal(byId.s.n, n / 3);
  assert.equal(byId.p.n, n / 3 - n / 6);
  assert.equal(byId.params.n, n / 3, "params are compared on the sweep's classes only");
  for (const e of board.entries) assert.ok(e.spearmanCi && Number.isFinite(e.spearmanCi.low), e.proxy);
});

test('Kendall intervals on request; too few classes give an empty board', () => {
  const board = computeLeaderboard(
    [column('a', noisy(0.3)), column('b', noisy(0.6))],
    [{ id: 'clean', label: 'Clean', values: accuracy }],
    { resamples: 30, kendallIntervals: true },
  );
  for (const e of board.boards[0].entries) assert.ok(e.kendallCi!.low <= e.kendall && e.kendall <= e.kendallCi!.high);
  const tiny = computeLeaderboard(
    [column('a', Float64Array.of(1, 2))],
    [{ id: 'clean', label: 'Clean', values: Float64Array.of(1, 2) }],
  );
  assert.deepEqual(tiny.boards[0].entries, []);
  assert.throws(() => computeLeaderboard([], [], { resamples: -1 }), /resamples must be/);
});
