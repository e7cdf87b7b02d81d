import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { defaultAttack } from '../../src/core/ntk/attack';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../src/core/ntk/inputs/synthetic';
import { computeNtkScoresSync, NTK_VARIANTS } from '../../src/core/ntk/scores';
import { parseArchString } from '../../src/core/space/parse';
import { formatEps, formatKernelNumber, renderNtkReport as ntkReport } from '../../src/extension/reports/ntkReport';
import { reportToMarkdown } from '../../src/extension/reports/reportModel';
import { opCountSummary } from '../../src/core/space/opSummary';

const renderNtkReport = (...a: Parameters<typeof ntkReport>) => reportToMarkdown(ntkReport(...a));
import { formatAccuracy } from '../../src/extension/format';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let bench: Benchmark;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR });
});

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

test('kernel numbers: six significant digits, exponents for very large or small, infinity for singular kernels', () => {
  assert.equal(formatKernelNumber(42460.31), '42460.3');
  assert.equal(formatKernelNumber(1234567), '1.2346e+6');
  assert.equal(formatKernelNumber(0.0001234), '1.2340e-4');
  assert.equal(formatKernelNumber(Infinity), '∞');
  assert.equal(formatKernelNumber(NaN), 'n/a');
  assert.equal(formatEps(8 / 255), '8/255');
  assert.equal(formatEps(0.5 / 255), '0.5/255');
});

test('the NTK report shows every computed variant, says the inputs are synthetic, and the measured accuracies', () => {
  const parsed = parseArchString(ARCH);
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  // A tiny network and three inputs keep this a unit test; the numbers are still the engine's.
  const result = computeNtkScoresSync(parsed.cell, {
    options: {
      size: { channels: 2, cellsPerStage: 1 },
      kernel: 'fixed-bn',
      variants: NTK_VARIANTS,
      attack: { ...defaultAttack('pgd', 8), steps: 2 },
      tradeOff: 0.5,
      seed: 1,
      baselines: true,
    },
    inputs: syntheticInputs('cifar10', 3, 4),
    backend: jsBackend(),
  });
  const md = renderNtkReport(result, false, bench);
  assert.match(md, /\*\*synthetic\*\* inputs/);
  for (const v of NTK_VARIANTS) {
    const s = result.variants[v]!;
    const label = v === 'cross' ? 'cross (singular values)' : v;
    const row = md.split('\n').find((l) => l.startsWith(`| ${label} `));
    assert.ok(row, `row for ${v}`);
    assert.ok(
      row.includes(formatKernelNumber(s.frobenius)) && row.includes(formatKernelNumber(s.conditionNumber)),
      row,
    );
  }
  assert.match(md, /Baselines: KNAS/);
  const pgd8 = bench.metric(1, 'cifar10', 'pgd@8')!;
  const pgd8Row = md.split('\n').find((l) => l.startsWith('| PGD@8 '));
  assert.ok(
    pgd8Row?.includes(formatAccuracy(pgd8.value)) && pgd8Row.includes(`#${pgd8.rank} / ${pgd8.of}`),
    `PGD@8 of the cell (index 1) beside the scores: ${pgd8Row}`,
  );
  // A short title and tab title (index and ops), the string on its own line, eps in the paper's units.
  const report = ntkReport(result, false, bench);
  assert.equal(report.title, `NTK scores of #1 · ${opCountSummary(parsed.cell)}`);
  assert.match(report.tabTitle, /^NTK #1 · C2 N1$/);
  assert.ok(md.includes(`\n\`${ARCH}\`\n`));
  assert.match(md, /PGD, eps 8\/255, 2 steps of 2\/255/);
  assert.match(renderNtkReport(result, true, undefined), /From the cache/);
  assert.doesNotMatch(renderNtkReport(result, true, undefined), /Measured on NAS-RobBench-201/);
});
