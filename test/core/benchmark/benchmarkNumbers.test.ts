// What one published value is, checked on the data: NAS-RobBench-201's AutoAttack columns are single evaluations
// (a whole number of the test images: a 1/10,000 grid on CIFAR, 1/6,000 on ImageNet16-120's validation set), its
// other columns means of three training seeds (a 1/30,000 or 1/18,000 grid, and mostly off the single grid); the
// metric definitions say so, and carry the eps of every attacked column in their labels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { BenchmarkApi } from '../../../src/core/benchmark/api';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import {
  ACCURACY_METRIC_IDS,
  ADVERSARIAL_METRIC_IDS,
  METRIC_IDS,
  METRIC_INFO,
} from '../../../src/core/benchmark/metrics';
import { DATASET_IDS, type DatasetId } from '../../../src/core/space/cost';
import { spearman } from '../../../src/core/stats/correlation';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

let bench: BenchmarkApi;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
});

/** Test images per dataset: CIFAR's 10,000; ImageNet16-120's 6,000 validation images. */
const IMAGES: Record<DatasetId, number> = { cifar10: 10_000, cifar100: 10_000, 'imagenet16-120': 6_000 };

/** Share of the column's values that are k / n for a whole k (the file stores float32, hence the tolerance). */
function onGrid(values: Float64Array, n: number): number {
  let hits = 0;
  for (const v of values) if (Math.abs(v * n - Math.round(v * n)) < 2e-3) hits++;
  return hits / values.length;
}

test('AutoAttack values are single evaluations: every one a whole number of test images', () => {
  for (const dataset of DATASET_IDS) {
    const column = bench.column(dataset, 'autoattack');
    assert.equal(column.length, 6466);
    assert.equal(onGrid(column, IMAGES[dataset]), 1, `${dataset} AutoAttack off the 1/${IMAGES[dataset]} grid`);
  }
});

test('the other adversarial-training columns are means of three seeds: on the 1/(3n) grid, mostly off the 1/n one', () => {
  for (const dataset of DATASET_IDS) {
    for (const metric of ADVERSARIAL_METRIC_IDS.filter((m) => m !== 'autoattack')) {
      const column = bench.column(dataset, metric);
      assert.equal(onGrid(column, 3 * IMAGES[dataset]), 1, `${dataset} ${metric}`);
      // A sum of three counts is a multiple of 3 about a third of the time.
      const single = onGrid(column, IMAGES[dataset]);
      assert.ok(single > 0.25 && single < 0.42, `${dataset} ${metric}: ${single}`);
    }
  }
});

test('the metric definitions say which columns are single evaluations and which are means of three seeds', () => {
  for (const m of ADVERSARIAL_METRIC_IDS) {
    assert.equal(METRIC_INFO[m].evaluation, m === 'autoattack' ? 'single evaluation' : 'mean of 3 seeds', m);
    assert.match(
      METRIC_INFO[m].description,
      m === 'autoattack' ? /A single evaluation, not a mean of three seeds\./ : /Mean of three training seeds\./,
    );
  }
});

test('every attacked column names its eps in its label and description; standard-training attacks are at 1/255', () => {
  for (const m of METRIC_IDS) {
    const info = METRIC_INFO[m];
    if (info.eps === undefined) {
      assert.ok(
        ['clean', 'std:clean', 'std:corruption', 'params', 'flops'].includes(m),
        `${m} is an attack without an eps`,
      );
      continue;
    }
    assert.ok(info.label.endsWith(`@${info.eps}`), `${m}: ${info.label}`);
    assert.ok(info.description.includes(`eps ${info.eps}/255`), `${m}: ${info.description}`);
    if (info.training === 'standard') assert.equal(info.eps, 1, m);
  }
  // Jung et al.'s README: PGD accuracy of architecture #13433 on CIFAR-10 at eps = 1.0 is 0.336.
  assert.equal(bench.metric(13433, 'cifar10', 'std:pgd')?.value, 0.336);
});

test('the robustNas.metric setting describes each metric as the definitions do', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties['robustNas.metric'];
  // The setting ranks hovers, hints and completions by an accuracy: every accuracy, no cost.
  assert.deepEqual(setting.enum, [...ACCURACY_METRIC_IDS]);
  assert.deepEqual(
    setting.enumDescriptions,
    ACCURACY_METRIC_IDS.map((m) => METRIC_INFO[m].description),
  );
});

test('params ranks the CIFAR-10 classes with Spearman 0.78 against clean and 0.82 against PGD@8 accuracy (issue #12)', () => {
  const params = bench.column('cifar10', 'params');
  assert.equal(spearman(params, bench.column('cifar10', 'clean')).toFixed(2), '0.78');
  assert.equal(spearman(params, bench.column('cifar10', 'pgd@8')).toFixed(2), '0.82');
  // The direction flips ranks, not correlations: a cost is ranked lowest first, but its values are what correlate.
  assert.equal(METRIC_INFO.params.direction, 'min');
  assert.equal(METRIC_INFO.flops.direction, 'min');
  for (const m of ACCURACY_METRIC_IDS) assert.equal(METRIC_INFO[m].direction, 'max', m);
});
