import { bin, extent, quantileSorted } from 'd3-array';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { isMetricId } from '../../core/benchmark/metrics';
import { NTK_STAT_LABEL } from '../../core/ntk/sweepMetricSet';
import { NTK_STATS } from '../../core/ntk/sweepMetrics';
import { DATASET_IDS, DATASET_SHAPE, EDGE_COUNT, OP_NAMES, cellToOpCode, type DatasetId } from '../../core/space';
import { correlation, correlationMatrix, type CorrelationMethod } from '../../core/stats';
import { proxyFigureResult } from './proxyFigureData';
import type {
  ChartsInit,
  ChartsState,
  CorrelationMatrixData,
  CrossDatasetResult,
  DistributionResult,
  DistributionSeries,
  HeatmapResult,
  MetricDescriptor,
  NtkSweepInfo,
  ScatterResult,
} from '../../shared/webviewMessages';
import { datasetDescriptors, spaceDescriptor } from './descriptors';
import type { MetricCatalog } from './metricColumns';
import { lookupTable } from '../../core/lookupTable';

/**
 * The data behind every correlation chart, computed on the extension side with the core (stats + benchmark) so the
 * webview only draws. Pure functions of (benchmark, catalog, state): tested without VS Code.
 */

export const METHOD_LABEL: Readonly<Record<CorrelationMethod, string>> = lookupTable({
  spearman: "Spearman's ρ",
  kendall: "Kendall's τ-b",
  pearson: "Pearson's r",
});

/** Histogram bins per metric in the distribution view (shared by the three datasets so the bars line up). */
export const HISTOGRAM_BINS = 30;

export function defaultChartsState(dataset: DatasetId, metric: string): ChartsState {
  return {
    view: 'heatmap',
    dataset,
    method: 'spearman',
    includeStandard: false,
    includeCost: false,
    extraMetrics: [],
    crossMetric: metric,
    scatterX: 'clean',
    scatterY: metric === 'clean' ? 'pgd@8' : metric,
    scatterColour: { kind: 'none' },
    distributionKind: 'box',
    colourRange: 'auto',
    ntkStat: 'frobenius',
  };
}

/** Repairs a restored or hand-made state: unknown datasets, methods or metrics fall back to the defaults. */
export function normaliseChartsState(
  state: Partial<ChartsState> | undefined,
  catalog: MetricCatalog,
  fallback: ChartsState,
): ChartsState {
  const s = { ...fallback, ...(state ?? {}) };
  const dataset = (DATASET_IDS as readonly string[]).includes(s.dataset) ? s.dataset : fallback.dataset;
  const known = (id: string, f: string) => (catalog.descriptor(id) ? id : f);
  const colour = s.scatterColour;
  const scatterColour: ChartsState['scatterColour'] =
    colour?.kind === 'metric' && catalog.descriptor(colour.metric)
      ? colour
      : colour?.kind === 'edge-op' && Number.isInteger(colour.edge) && colour.edge >= 0 && colour.edge < EDGE_COUNT
        ? colour
        : colour?.kind === 'none-count'
          ? colour
          : { kind: 'none' };
  return {
    // `ntk`: the view's id before it covered every training-free proxy (a state saved by an older version).
    view:
      (s.view as string) === 'ntk'
        ? 'proxies'
        : ['heatmap', 'cross', 'scatter', 'distribution', 'proxies'].includes(s.view)
          ? s.view
          : fallback.view,
    dataset,
    method: ['spearman', 'kendall', 'pearson'].includes(s.method) ? s.method : fallback.method,
    includeStandard: s.includeStandard === true,
    includeCost: s.includeCost === true,
    extraMetrics: Array.isArray(s.extraMetrics)
      ? s.extraMetrics.filter((id) => typeof id === 'string' && catalog.descriptor(id))
      : [],
    crossMetric: known(s.crossMetric, fallback.crossMetric),
    scatterX: known(s.scatterX, fallback.scatterX),
    scatterY: known(s.scatterY, fallback.scatterY),
    scatterColour,
    distributionKind: s.distributionKind === 'histogram' ? 'histogram' : 'box',
    colourRange: s.colourRange === 'fixed' ? 'fixed' : 'auto',
    ntkStat: (NTK_STATS as readonly string[]).includes(s.ntkStat) ? s.ntkStat : 'frobenius',
  };
}

export function chartsInit(
  bench: BenchmarkApi,
  catalog: MetricCatalog,
  state: ChartsState,
  sweeps: readonly NtkSweepInfo[] = [],
): ChartsInit {
  const index: number[] = Array.from(bench.evaluatedIndices);
  const archString: string[] = [];
  const code: string[] = [];
  for (const i of index) {
    const arch = bench.archOfIndex(i);
    archString.push(arch.archString);
    code.push(cellToOpCode(arch.cell));
  }
  return {
    type: 'init',
    datasets: datasetDescriptors(),
    metrics: catalog.descriptors(),
    methods: (['spearman', 'kendall', 'pearson'] as const).map((id) => ({ id, label: METHOD_LABEL[id] })),
    space: spaceDescriptor(),
    cells: { index, archString, code },
    state,
    sweeps,
    ntkStats: NTK_STATS.map((id) => ({ id, label: NTK_STAT_LABEL[id] })),
  };
}

function nullable(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

function completePairCount(a: Float64Array, b: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) n++;
  return n;
}

function matrixData(
  method: CorrelationMethod,
  ids: string[],
  labels: string[],
  columns: Float64Array[],
  title: string,
): CorrelationMatrixData {
  const matrix = correlationMatrix(columns, method).map((row) => nullable(row));
  const pairs = columns.map((a) => columns.map((b) => completePairCount(a, b)));
  return { method, ids, labels, matrix, pairs, title };
}

/** Whether a state's heatmap and distributions show a metric: the adversarial ones, the groups asked for, extras. */
function shownInOverview(m: MetricDescriptor, state: ChartsState): boolean {
  return (
    m.group === 'adversarial' ||
    (m.group === 'standard' && state.includeStandard) ||
    (m.group === 'cost' && state.includeCost) ||
    state.extraMetrics.includes(m.id)
  );
}

/** The metrics of the heatmap for a state: the six adversarial ones, optionally the standard ones and costs, extras. */
export function heatmapMetrics(catalog: MetricCatalog, state: ChartsState): MetricDescriptor[] {
  const dataset = state.dataset as DatasetId;
  return catalog.descriptors().filter((m) => m.datasets.includes(dataset) && shownInOverview(m, state));
}

export function heatmapResult(catalog: MetricCatalog, state: ChartsState): HeatmapResult {
  const dataset = state.dataset as DatasetId;
  const metrics = heatmapMetrics(catalog, state);
  const columns = metrics.map((m) => catalog.column(dataset, m.id));
  const title = `${METHOD_LABEL[state.method]} between metrics on ${DATASET_SHAPE[dataset].label}`;
  return {
    type: 'heatmap',
    state,
    data: matrixData(
      state.method,
      metrics.map((m) => m.id),
      metrics.map((m) => m.label),
      columns,
      title,
    ),
  };
}

export function crossDatasetResult(catalog: MetricCatalog, state: ChartsState): CrossDatasetResult {
  const metric = catalog.descriptor(state.crossMetric);
  if (!metric) throw new Error(`Unknown metric '${state.crossMetric}'.`);
  const datasets = DATASET_IDS.filter((d) => metric.datasets.includes(d));
  const columns = datasets.map((d) => catalog.column(d, metric.id));
  const title = `${METHOD_LABEL[state.method]} of ${metric.label} across datasets`;
  return {
    type: 'cross',
    state,
    data: matrixData(
      state.method,
      [...datasets],
      datasets.map((d) => DATASET_SHAPE[d].label),
      columns,
      title,
    ),
  };
}

/** Number of `none` edges of each evaluated cell. */
function noneCounts(bench: BenchmarkApi): number[] {
  return Array.from(bench.evaluatedIndices, (i) => bench.archOfIndex(i).cell.filter((op) => op === 'none').length);
}

export function scatterResult(bench: BenchmarkApi, catalog: MetricCatalog, state: ChartsState): ScatterResult {
  const dataset = state.dataset as DatasetId;
  const xm = catalog.descriptor(state.scatterX);
  const ym = catalog.descriptor(state.scatterY);
  if (!xm || !ym) throw new Error(`Unknown metric '${!xm ? state.scatterX : state.scatterY}'.`);
  const x = catalog.column(dataset, xm.id);
  const y = catalog.column(dataset, ym.id);
  const position = new Map<number, number>();
  bench.evaluatedIndices.forEach((index, pos) => position.set(index, pos));
  // The benchmark computes the front for its own metrics; other sources (NTK) get the same rule here. Each axis in
  // its direction: accuracy maximised, params and FLOPs minimised.
  const pareto =
    isMetricId(xm.id) && isMetricId(ym.id)
      ? bench.pareto(dataset, xm.id, ym.id).map((p) => position.get(p.arch.index)!)
      : paretoPositions(x, y, xm.direction ?? 'max', ym.direction ?? 'max');
  let colour: ScatterResult['colour'];
  const c = state.scatterColour;
  if (c.kind === 'metric') {
    const m = catalog.descriptor(c.metric);
    if (m && m.datasets.includes(dataset))
      colour = { label: m.label, values: nullable(catalog.column(dataset, m.id)), format: m.format ?? 'percent' };
  } else if (c.kind === 'edge-op') {
    const e = spaceDescriptor().edges[c.edge];
    colour = {
      label: `Op on edge ${e.from}->${e.to}`,
      categories: [...OP_NAMES],
      values: Array.from(bench.evaluatedIndices, (i) => OP_NAMES.indexOf(bench.archOfIndex(i).cell[c.edge])),
    };
  } else if (c.kind === 'none-count') {
    colour = { label: 'Number of none edges', values: noneCounts(bench) };
  }
  const r = correlation(state.method, x, y);
  return {
    type: 'scatter',
    state,
    xLabel: xm.label,
    yLabel: ym.label,
    xFormat: xm.format ?? 'percent',
    yFormat: ym.format ?? 'percent',
    x: nullable(x),
    y: nullable(y),
    colour,
    pareto,
    correlation: Number.isNaN(r) ? null : r,
  };
}

/**
 * Positions of the cells no other cell beats on both x and y, each in its direction (maximised by default), sorted
 * by x ascending.
 */
export function paretoPositions(
  x: Float64Array,
  y: Float64Array,
  xDirection: 'max' | 'min' = 'max',
  yDirection: 'max' | 'min' = 'max',
): number[] {
  const sx = xDirection === 'max' ? 1 : -1;
  const sy = yDirection === 'max' ? 1 : -1;
  const order = Array.from(x.keys()).filter((i) => !Number.isNaN(x[i]) && !Number.isNaN(y[i]));
  order.sort((a, b) => sx * (x[b] - x[a]) || sy * (y[b] - y[a]));
  const front: number[] = [];
  let bestY = -Infinity;
  for (const i of order) {
    if (sy * y[i] > bestY) {
      front.push(i);
      bestY = sy * y[i];
    }
  }
  return front.sort((a, b) => x[a] - x[b] || y[a] - y[b]);
}

/** Metrics of the distribution view: the adversarial ones, plus the standard ones and costs when asked. */
export function distributionMetrics(catalog: MetricCatalog, state: ChartsState): MetricDescriptor[] {
  return catalog.descriptors().filter((m) => shownInOverview(m, state));
}

/**
 * Five-number summary (quantiles with linear interpolation, numpy's default, via d3-array) and a histogram of each
 * metric on each dataset that has it; the histogram thresholds are shared by the datasets of a metric.
 */
export function distributionResult(catalog: MetricCatalog, state: ChartsState): DistributionResult {
  const metrics = distributionMetrics(catalog, state);
  const series: DistributionSeries[] = [];
  for (const m of metrics) {
    const datasets = DATASET_IDS.filter((d) => m.datasets.includes(d));
    // Infinite values (a singular kernel's condition number) have no place on a histogram's or box's axis.
    const values = datasets.map((d) =>
      Array.from(catalog.column(d, m.id))
        .filter((v) => Number.isFinite(v))
        .sort((a, b) => a - b),
    );
    const [lo, hi] = extent(values.flat()) as [number, number];
    const binner = bin().domain([lo, hi]).thresholds(HISTOGRAM_BINS);
    datasets.forEach((dataset, k) => {
      const v = values[k];
      const bins = binner(v);
      series.push({
        dataset,
        metric: m.id,
        n: v.length,
        box: [v[0], quantileSorted(v, 0.25)!, quantileSorted(v, 0.5)!, quantileSorted(v, 0.75)!, v[v.length - 1]],
        histogram: { x0: bins.map((b) => b.x0!), x1: bins.map((b) => b.x1!), count: bins.map((b) => b.length) },
      });
    });
  }
  return { type: 'distribution', state, metrics: metrics.map((m) => m.id), series };
}

/** The answer to a charts `request`: the data of the view the state selects. */
export function chartsResult(
  bench: BenchmarkApi,
  catalog: MetricCatalog,
  state: ChartsState,
  sweeps: readonly NtkSweepInfo[] = [],
) {
  switch (state.view) {
    case 'heatmap':
      return heatmapResult(catalog, state);
    case 'cross':
      return crossDatasetResult(catalog, state);
    case 'scatter':
      return scatterResult(bench, catalog, state);
    case 'distribution':
      return distributionResult(catalog, state);
    case 'proxies':
      return proxyFigureResult(bench, catalog, state, sweeps);
  }
}
