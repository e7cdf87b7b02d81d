import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADVERSARIAL_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { kendallTauB, spearman } from '../../src/core/stats';
import {
  chartsInit,
  crossDatasetResult,
  defaultChartsState,
  distributionResult,
  heatmapResult,
  normaliseChartsState,
  paretoPositions,
  scatterResult,
} from '../../src/extension/panels/chartsData';
import { architecturePositionsInText } from '../../src/extension/panels/editorArchitectures';
import { MetricCatalog, benchmarkMetricSource, type MetricSource } from '../../src/extension/panels/metricColumns';
import { sharedBenchmark } from './sharedBenchmark';

async function setup() {
  const bench = await sharedBenchmark();
  const catalog = new MetricCatalog([benchmarkMetricSource(bench)]);
  return { bench, catalog, state: defaultChartsState('cifar10', 'pgd@8') };
}

describe('correlation charts data (extension side)', () => {
  it('sends every evaluated cell once, aligned with the benchmark columns', async () => {
    const { bench, catalog, state } = await setup();
    const init = chartsInit(bench, catalog, state);
    assert.equal(init.cells.index.length, 6466);
    assert.equal(init.cells.archString[0], bench.archOfIndex(init.cells.index[0]).archString);
    assert.equal(
      init.metrics.find((m) => m.id === 'std:corruption')?.datasets.includes('imagenet16-120'),
      false,
      'corruption is not measured on ImageNet16-120',
    );
    assert.deepEqual(init.space.edges[2], { from: 1, to: 2 });
  });

  it('heatmap: the six adversarial metrics (plus the standard ones on request), values from the core stats', async () => {
    const { catalog, state } = await setup();
    const six = heatmapResult(catalog, state).data;
    assert.deepEqual(six.ids, [...ADVERSARIAL_METRIC_IDS]);
    const pgd8 = catalog.column('cifar10', 'pgd@8');
    const clean = catalog.column('cifar10', 'clean');
    assert.equal(six.matrix[0][4], spearman(clean, pgd8));
    assert.equal(six.matrix[4][0], six.matrix[0][4]);
    assert.equal(six.matrix[2][2], 1);
    assert.equal(six.pairs[0][4], 6466);
    const twelve = heatmapResult(catalog, { ...state, includeStandard: true, method: 'kendall' }).data;
    assert.equal(twelve.ids.length, 12);
    assert.equal(twelve.matrix[0][6], kendallTauB(clean, catalog.column('cifar10', 'std:clean')));
    const imagenet = heatmapResult(catalog, { ...state, dataset: 'imagenet16-120', includeStandard: true }).data;
    assert.equal(imagenet.ids.includes('std:corruption'), false);
  });

  it('cross-dataset: one metric on the three datasets', async () => {
    const { catalog, state } = await setup();
    const d = crossDatasetResult(catalog, { ...state, crossMetric: 'autoattack' }).data;
    assert.deepEqual(d.ids, ['cifar10', 'cifar100', 'imagenet16-120']);
    assert.equal(
      d.matrix[0][2],
      spearman(catalog.column('cifar10', 'autoattack'), catalog.column('imagenet16-120', 'autoattack')),
    );
  });

  it('scatter: columns, the benchmark Pareto front, categorical and numeric colours', async () => {
    const { bench, catalog, state } = await setup();
    const r = scatterResult(bench, catalog, {
      ...state,
      scatterX: 'clean',
      scatterY: 'pgd@8',
      scatterColour: { kind: 'edge-op', edge: 5 },
    });
    assert.equal(r.x.length, 6466);
    const front = bench.pareto('cifar10', 'clean', 'pgd@8');
    assert.deepEqual(
      r.pareto.map((pos) => bench.evaluatedIndices[pos]),
      front.map((p) => p.arch.index),
    );
    // The generic rule used for non-benchmark metrics agrees with the benchmark's.
    assert.deepEqual(paretoPositions(catalog.column('cifar10', 'clean'), catalog.column('cifar10', 'pgd@8')), r.pareto);
    assert.equal(r.colour?.categories?.length, 5);
    const pos = 17;
    assert.equal(r.colour?.categories?.[r.colour.values[pos]!], bench.archOfIndex(bench.evaluatedIndices[pos]).cell[5]);
    const counts = scatterResult(bench, catalog, { ...state, scatterColour: { kind: 'none-count' } });
    assert.equal(
      counts.colour?.values[pos],
      bench.archOfIndex(bench.evaluatedIndices[pos]).cell.filter((op) => op === 'none').length,
    );
    assert.equal(r.correlation, spearman(catalog.column('cifar10', 'clean'), catalog.column('cifar10', 'pgd@8')));
  });

  it('params and FLOPs: descriptors with units and direction, heatmap rows on request, scatter axis and front', async () => {
    const { bench, catalog, state } = await setup();
    const params = catalog.descriptor('params')!;
    assert.deepEqual(
      [params.label, params.group, params.format, params.direction],
      ['Params (MB)', 'cost', 'number', 'min'],
    );
    assert.equal(catalog.descriptor('flops')?.label, 'FLOPs (M)');
    assert.equal(
      heatmapResult(catalog, state).data.ids.includes('params'),
      false,
      'the default heatmap stays the six accuracies',
    );
    const withCost = heatmapResult(catalog, { ...state, includeCost: true }).data;
    assert.deepEqual(withCost.ids, [...ADVERSARIAL_METRIC_IDS, 'params', 'flops']);
    // Spearman of params against PGD@8 on CIFAR-10: 0.820 (docs/benchmark-numbers.md).
    assert.equal(withCost.matrix[6][4]!.toFixed(3), '0.820');
    // NAS-Bench-201's numbers in its units: index 0 has 0.129306 "MB" on CIFAR-10.
    const r = scatterResult(bench, catalog, {
      ...state,
      scatterX: 'params',
      scatterY: 'pgd@8',
      scatterColour: { kind: 'metric', metric: 'flops' },
    });
    assert.equal(r.xLabel, 'Params (MB)');
    assert.equal(r.xFormat, 'number');
    assert.equal(r.x[bench.evaluatedIndices.indexOf(0)], 0.129306);
    assert.equal(r.colour?.format, 'number');
    // The front minimises params and maximises accuracy, the benchmark's and the generic rule alike.
    const front = bench.pareto('cifar10', 'params', 'pgd@8');
    assert.deepEqual(
      r.pareto.map((pos) => bench.evaluatedIndices[pos]),
      front.map((p) => p.arch.index),
    );
    assert.deepEqual(
      paretoPositions(catalog.column('cifar10', 'params'), catalog.column('cifar10', 'pgd@8'), 'min', 'max'),
      r.pareto,
    );
    const cheapest = Math.min(...catalog.column('cifar10', 'params'));
    assert.equal(r.x[r.pareto[0]], cheapest);
    const boxes = distributionResult(catalog, { ...state, includeCost: true });
    assert.deepEqual(boxes.metrics.slice(-2), ['params', 'flops']);
    assert.equal(boxes.series.find((x) => x.dataset === 'cifar10' && x.metric === 'params')?.box[0], cheapest);
  });

  it('distribution: five-number summaries and histograms that count every cell', async () => {
    const { catalog, state } = await setup();
    const r = distributionResult(catalog, state);
    assert.equal(r.series.length, 6 * 3);
    const s = r.series.find((x) => x.dataset === 'cifar100' && x.metric === 'clean')!;
    const sorted = Array.from(catalog.column('cifar100', 'clean')).sort((a, b) => a - b);
    assert.equal(s.box[0], sorted[0]);
    assert.equal(s.box[4], sorted[sorted.length - 1]);
    // numpy's default quantile: linear interpolation at (n - 1) p.
    const h = (sorted.length - 1) * 0.5;
    assert.equal(
      s.box[2],
      sorted[Math.floor(h)] + (sorted[Math.ceil(h)] - sorted[Math.floor(h)]) * (h - Math.floor(h)),
    );
    assert.equal(
      s.histogram.count.reduce((a, b) => a + b, 0),
      6466,
    );
    const other = r.series.find((x) => x.dataset === 'cifar10' && x.metric === 'clean')!;
    assert.deepEqual(other.histogram.x0, s.histogram.x0, 'datasets share the bins of a metric');
  });

  it('accepts metrics from another source (NTK later) in every view', async () => {
    const { bench, catalog: base, state } = await setup();
    // A derived metric standing in for a future score source: the robustness gap clean - PGD@8.
    const gap: MetricSource = {
      descriptors: () => [
        { id: 'test:gap', label: 'Gap', description: 'clean - PGD@8', group: 'ntk', datasets: ['cifar10'] },
      ],
      column: (d, id) =>
        id === 'test:gap' && d === 'cifar10'
          ? base.column('cifar10', 'clean').map((v, i) => v - base.column('cifar10', 'pgd@8')[i])
          : undefined,
    };
    const catalog = new MetricCatalog([benchmarkMetricSource(bench), gap]);
    const s = normaliseChartsState({ ...state, extraMetrics: ['test:gap'], scatterY: 'test:gap' }, catalog, state);
    assert.equal(heatmapResult(catalog, s).data.ids.at(-1), 'test:gap');
    const r = scatterResult(bench, catalog, s);
    assert.equal(r.yLabel, 'Gap');
    assert.ok(r.pareto.length > 0);
  });

  it('repairs restored states that name unknown things', async () => {
    const { catalog, state } = await setup();
    const s = normaliseChartsState(
      {
        view: 'nope' as never,
        dataset: 'mnist' as never,
        scatterX: 'ntk:gone',
        scatterColour: { kind: 'edge-op', edge: 9 },
      },
      catalog,
      state,
    );
    assert.equal(s.view, 'heatmap');
    assert.equal(s.dataset, 'cifar10');
    assert.equal(s.scatterX, state.scatterX);
    assert.deepEqual(s.scatterColour, { kind: 'none' });
  });

  it('finds the architectures written in an editor text, mapped to their evaluated representatives', async () => {
    const { bench } = await setup();
    const a = bench.archOfIndex(bench.evaluatedIndices[10]).archString;
    const notEvaluated = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
    const text = `best = "${a}"\nother = '${notEvaluated}'\nbad = "|nor_conv_3x5~0|+|x|"\nagain = "${a}"\napi.query_by_index(99999)\narch_index = 0`;
    const positions = architecturePositionsInText(bench, text);
    assert.equal(positions.length, 3);
    assert.equal(bench.evaluatedIndices[positions[2]], 0, 'index 0 (in an API call) is evaluated itself');
    assert.equal(positions[0], 10);
    const rep = bench.resolve(notEvaluated);
    assert.ok(rep.ok);
    assert.equal(bench.evaluatedIndices[positions[1]], rep.arch.representativeIndex);
  });
});
