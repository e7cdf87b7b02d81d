// jacob_cov, EPE-NAS, Zen-NAS and GraSP beyond the PyTorch fixtures (reference.test.ts): NASLib's edge cases by
// hand-made Jacobians, the rule for undefined scores, and that Zen-NAS leaves the shared network alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../../src/core/space';
import { jsBackend } from '../../../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../../../src/core/ntk/inputs/synthetic';
import { computeProxiesSync } from '../../../../src/core/ntk/proxies/compute';
import { epeNasScore } from '../../../../src/core/ntk/proxies/epeNas';
import { correlationMatrix } from '../../../../src/core/ntk/proxies/inputJacobian';
import { jacobCovScore } from '../../../../src/core/ntk/proxies/jacobCov';
import { UNDEFINED_SCORE } from '../../../../src/core/ntk/proxies/undefinedScore';

const k = 1e-5;
const rows = (...r: number[][]) => r.map((x) => Float64Array.from(x));

test('correlationMatrix is numpy.corrcoef: unit diagonal, signs, NaN for a constant row', () => {
  const c = correlationMatrix(rows([1, 2, 3, 4], [2, 4, 6, 8.5], [4, 3, 2, 1], [5, 5, 5, 5]));
  assert.equal(c[0], 1);
  assert.ok(c[1] > 0.99 && c[1] < 1);
  assert.equal(c[2], -1);
  assert.ok(Number.isNaN(c[3]) && Number.isNaN(c[15]));
});

test('jacob_cov: uncorrelated rows give -n (log(1 + k) + 1/(1 + k)); a constant row is undefined', () => {
  // Zero-mean, mutually orthogonal rows: the correlation matrix is the identity, every eigenvalue 1.
  const orthogonal = rows([1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]);
  assert.ok(Math.abs(jacobCovScore(orthogonal) + 3 * (Math.log(1 + k) + 1 / (1 + k))) < 1e-12);
  // Two identical rows: eigenvalues 0 and 2 - the 1/(0 + k) term dominates, as NASLib's k intends.
  const twins = jacobCovScore(rows([1, 2, 3], [1, 2, 3]));
  assert.ok(Math.abs(twins + (Math.log(k) + 1 / k + Math.log(2 + k) + 1 / (2 + k))) < 1e-6);
  assert.ok(Number.isNaN(jacobCovScore(rows([1, 2, 3], [7, 7, 7]))));
});

test("EPE-NAS: per-label correlation sums; NASLib's single-sample and >100-class rules", () => {
  // Two classes with two samples each, correlations corrAB and -1 (numpy.corrcoef of each pair).
  const a = [1, 2, 3, 4];
  const b = [4, 3, 2, 1];
  const corrAB = correlationMatrix(rows([1, 0, 2, 5], [2, 1, 3, 1]))[1];
  const perClass = (c: number) => 2 * Math.log(1 + k) + 2 * Math.log(Math.abs(c) + k);
  const two = rows([1, 0, 2, 5], a, [2, 1, 3, 1], b);
  const expected10 = Math.abs(perClass(corrAB)) + Math.abs(perClass(-1));
  assert.ok(Math.abs(epeNasScore(two, [0, 1, 0, 1], 10) - expected10) < 1e-12);
  // <= 100 classes: a one-sample class counts log(1 + k) (numpy's corrcoef of one variable is 1).
  assert.ok(
    Math.abs(epeNasScore(rows(a, b, [0, 5, 1, 2]), [0, 0, 7], 10) - (Math.abs(perClass(-1)) + Math.log(1 + k))) < 1e-12,
  );
  // > 100 classes: each class's sum divided by its sample count, one-sample classes skipped (NASLib's except),
  // score = sum over ordered pairs |s_c - s_c'| / classes kept.
  const s0 = perClass(corrAB) / 2;
  const s1 = perClass(-1) / 2;
  assert.ok(
    Math.abs(
      epeNasScore([...two, Float64Array.from([3, 3, 1, 0])], [0, 1, 0, 1, 50], 120) - (2 * Math.abs(s0 - s1)) / 2,
    ) < 1e-12,
  );
  assert.equal(epeNasScore(rows(a, b), [3, 4], 120), 0);
  assert.ok(Number.isNaN(epeNasScore(rows(a, [2, 2, 2, 2]), [0, 0], 10)));
});

test("a cell whose output ignores its input: jacob_cov, EPE-NAS and Zen-NAS rank last (NASLib's -1e8); GraSP is defined", () => {
  const parsed = parseArchString('|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|');
  assert.ok(parsed.ok);
  const r = computeProxiesSync(parsed.cell, {
    options: {
      size: { channels: 4, cellsPerStage: 1 },
      seed: 2,
      proxies: ['zc:jacob_cov', 'zc:epe_nas', 'zc:zen', 'zc:grasp'],
    },
    inputs: syntheticInputs('cifar10', 6, 2),
    backend: jsBackend(),
  });
  assert.equal(r.values['zc:jacob_cov'], UNDEFINED_SCORE);
  assert.equal(r.values['zc:epe_nas'], UNDEFINED_SCORE);
  assert.equal(r.values['zc:zen'], UNDEFINED_SCORE);
  assert.ok(Number.isFinite(r.values['zc:grasp']));
});

test('Zen-NAS draws its own Gaussian network: the other proxies see the same weights whether it runs first or not', () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|',
  );
  assert.ok(parsed.ok);
  const run = (proxies: string[]) =>
    computeProxiesSync(parsed.cell, {
      options: { size: { channels: 4, cellsPerStage: 1 }, seed: 4, proxies },
      inputs: syntheticInputs('cifar10', 4, 4),
      backend: jsBackend(),
    }).values;
  const after = run(['zc:zen', 'zc:snip', 'zc:grasp', 'zc:jacob_cov']);
  const alone = run(['zc:snip', 'zc:grasp', 'zc:jacob_cov', 'zc:zen']);
  assert.deepEqual(after, { ...alone });
  // Seeded: the same seed gives the same draw and score.
  assert.equal(run(['zc:zen'])['zc:zen'], after['zc:zen']);
  assert.ok(Number.isFinite(after['zc:zen']) && after['zc:zen']! > 0);
});
