import type { BenchmarkApi } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS } from '../../core/benchmark/metrics';
import { NTK_STAT_LABEL } from '../../core/ntk/sweepMetricSet';
import { DATASET_IDS, DATASET_SHAPE, type DatasetId } from '../../core/space';
import { kendallTauB, spearman } from '../../core/stats';
import type {
  ChartsState, MetricDescriptor, NtkSweepInfo, ProxyCorrelation, ProxyFigureResult, ProxyRow,
} from '../../shared/webviewMessages';
import type { MetricCatalog } from './metricColumns';

/**
 * The data of the "Training-free proxies vs accuracy" view: every score column of the loaded sweeps (NTK summaries,
 * KNAS, NASWOT, and whatever proxies a sweep holds) plus the parameter count and FLOPs, against the accuracy metrics
 * of the chosen dataset, each proxy's clean and robust variants side by side. Pure function of (benchmark, catalog,
 * state): tested without VS Code.
 */

/** The accuracy metrics a proxy is compared with: the six adversarial ones, then optionally Jung et al.'s. */
export function proxyTargetMetrics(catalog: MetricCatalog, state: ChartsState): string[] {
  const dataset = state.dataset as DatasetId;
  const ids: string[] = [...ADVERSARIAL_METRIC_IDS, ...(state.includeStandard ? STANDARD_METRIC_IDS : [])];
  return ids.filter((id) => catalog.has(dataset, id));
}

/** A score column of a loaded sweep, seen as one variant of a proxy. */
interface ProxyVariant {
  readonly descriptor: MetricDescriptor;
  readonly values: Float64Array;
}

/** The sweep proxies shown on `dataset`: NTK rows with the chosen kernel summary, every other score as it is. */
function sweepVariants(catalog: MetricCatalog, state: ChartsState): ProxyVariant[] {
  const dataset = state.dataset as DatasetId;
  return catalog.descriptors()
    .filter((m) => m.ntk && m.datasets.includes(dataset) && (m.ntk.stat === undefined || m.ntk.stat === state.ntkStat))
    .map((descriptor) => ({ descriptor, values: catalog.column(dataset, descriptor.id) }));
}

const costCache = new WeakMap<BenchmarkApi, Map<string, Float64Array>>();

/**
 * The parameter count or FLOPs of each evaluated class on `dataset`, aligned with `bench.evaluatedIndices`:
 * NAS-Bench-201's own counts (src/core/space/cost.ts, checked against its `get_cost_info`).
 */
export function costColumn(bench: BenchmarkApi, dataset: DatasetId, cost: 'params' | 'flops'): Float64Array {
  let byKey = costCache.get(bench);
  if (!byKey) costCache.set(bench, (byKey = new Map()));
  const key = `${dataset}:${cost}`;
  let column = byKey.get(key);
  if (!column) {
    column = Float64Array.from(bench.evaluatedIndices, (index) => bench.results(index).cost[dataset][cost]);
    byKey.set(key, column);
  }
  return column;
}

function pairCount(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) n++;
  return n;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** Spearman's rho and Kendall's tau-b of a score against an accuracy over the classes that have both (core stats). */
export function proxyCorrelation(score: ArrayLike<number>, accuracy: ArrayLike<number>): ProxyCorrelation {
  return { spearman: orNull(spearman(score, accuracy)), kendall: orNull(kendallTauB(score, accuracy)), n: pairCount(score, accuracy) };
}

/** `values` where `keep` has a value, NaN elsewhere: a data-free score restricted to the classes a sweep scored. */
function restrictTo(values: Float64Array, keep: Uint8Array | undefined): Float64Array {
  if (!keep) return values;
  return values.map((v, i) => (keep[i] ? v : NaN));
}

/**
 * One row per proxy: the sweeps' proxies in the order their files list them (clean and robust variants joined by
 * their shared proxy key), then params and FLOPs. With a sweep loaded, params and FLOPs are compared on the classes
 * the sweeps scored, so every row of the table speaks of the same networks; without one, on all evaluated classes.
 */
export function proxyFigureResult(bench: BenchmarkApi, catalog: MetricCatalog, state: ChartsState, sweeps: readonly NtkSweepInfo[] = []): ProxyFigureResult {
  const dataset = state.dataset as DatasetId;
  const targets = proxyTargetMetrics(catalog, state);
  const accuracy = targets.map((id) => catalog.column(dataset, id));
  const variants = sweepVariants(catalog, state);
  const rows: ProxyRow[] = [];
  const order: string[] = [];
  const byProxy = new Map<string, { clean?: ProxyVariant; robust?: ProxyVariant }>();
  for (const v of variants) {
    const key = v.descriptor.ntk!.proxy;
    if (!byProxy.has(key)) {
      byProxy.set(key, {});
      order.push(key);
    }
    byProxy.get(key)![v.descriptor.ntk!.inputs] ??= v;
  }
  // Classes any shown sweep scored: the common ground of the cost rows.
  let scored: Uint8Array | undefined;
  for (const v of variants) {
    scored ??= new Uint8Array(v.values.length);
    v.values.forEach((x, i) => {
      if (!Number.isNaN(x)) scored![i] = 1;
    });
  }
  const correlate = (v: ProxyVariant | undefined) => targets.map((_, j) => (v ? proxyCorrelation(v.values, accuracy[j]) : null));
  for (const key of order) {
    const { clean, robust } = byProxy.get(key)!;
    const info = (clean ?? robust)!.descriptor.ntk!;
    rows.push({
      proxy: key, label: info.proxyLabel, family: info.family, dataFree: false,
      cleanMetric: clean?.descriptor.id, robustMetric: robust?.descriptor.id,
      cleanLabel: clean?.descriptor.ntk!.shortLabel, robustLabel: robust?.descriptor.ntk!.shortLabel,
      clean: correlate(clean), robust: correlate(robust),
    });
  }
  for (const cost of ['params', 'flops'] as const) {
    const values = restrictTo(costColumn(bench, dataset, cost), scored);
    const cells = targets.map((_, j) => proxyCorrelation(values, accuracy[j]));
    const label = cost === 'params' ? 'Params' : 'FLOPs';
    rows.push({ proxy: cost, label, family: 'cost', dataFree: true, cleanLabel: label, robustLabel: label, clean: cells, robust: cells });
  }

  const shown = sweeps.filter((s) => !s.error && s.dataset === dataset && s.classes > 0);
  const classes = scored ? scored.reduce((n, x) => n + x, 0) : bench.evaluatedIndices.length;
  const statLabel = NTK_STAT_LABEL[state.ntkStat as keyof typeof NTK_STAT_LABEL]?.replace(/ \(.*\)$/, '') ?? state.ntkStat;
  const subtitle = [
    ...shown.map((s) => `${s.name}: ${s.setting ?? ''}`),
    `${DATASET_SHAPE[dataset].label}: ${classes.toLocaleString('en-US')} classes${scored ? ' scored by the sweeps (params and FLOPs over the same classes)' : ' (no sweep loaded: params and FLOPs over every evaluated class)'}`
      + (variants.some((v) => v.descriptor.ntk!.family === 'ntk') ? ` · NTK rows: ${statLabel}` : ''),
  ].join('\n');
  const otherDatasets = DATASET_IDS.filter((d) => d !== dataset && sweeps.some((s) => !s.error && s.dataset === d && s.classes > 0));
  return {
    type: 'proxies',
    state,
    data: {
      dataset,
      colIds: targets,
      colLabels: targets.map((id) => METRIC_INFO[id as keyof typeof METRIC_INFO]?.label ?? id),
      rows,
      title: `Training-free proxies vs accuracy on ${DATASET_SHAPE[dataset].label}`,
      subtitle,
      intervals: 'No confidence intervals: the bootstrap is not computed here yet.',
      otherDatasets,
    },
  };
}
