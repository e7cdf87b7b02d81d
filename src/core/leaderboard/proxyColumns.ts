import type { BenchmarkApi } from '../benchmark/api';
import { ACCURACY_METRIC_IDS, COST_METRIC_IDS, METRIC_INFO, type AccuracyMetricId } from '../benchmark/metrics';
import type { DatasetId } from '../space/cost';
import { NTK_VARIANTS } from '../ntk/scores';
import type { SweepContents, SweepRow } from '../ntk/sweepFile';
import { NTK_STATS, ntkMetricColumn, type NtkMetric, type NtkStat } from '../ntk/sweepMetrics';
import { joinSweepToClasses, sweepMetricShortLabel } from '../ntk/sweepMetricSet';
import type { ProxyColumn, TargetColumn } from './leaderboard';
import { proxyDefinition } from '../ntk/proxies/registry';
import { lookupTable } from '../lookupTable';

/**
 * The columns of a proxy sweep for the leaderboard: every score its rows hold, plus the parameter count and FLOPs of
 * every class, each with the direction its paper uses it in, and the benchmark's accuracy metrics as targets.
 */

/**
 * Higher = better (+1) or lower = better (-1), as the literature uses each NTK summary to rank architectures:
 * TE-NAS ranks by a small condition number (Chen et al., ICLR 2021); NASI and EigenNAS by a large trace (Shu et al.,
 * ICLR 2022); Wu et al.'s bound (ICLR 2024, Sec. 5) improves with the smallest eigenvalue; the Frobenius norm
 * ("NTK score") and KNAS's gradient kernel (Xu et al., KDD 2021) read larger as faster training. The largest
 * eigenvalue alone ranks nothing in those papers; it is read like the trace.
 */
export const NTK_STAT_DIRECTION: Readonly<Record<NtkStat, 1 | -1>> = lookupTable({
  frobenius: 1,
  trace: 1,
  'min-eig': 1,
  'max-eig': 1,
  condition: -1,
});

/**
 * Zero-cost proxies are read higher = better, as Abdelfattah et al. (ICLR 2021) and NAS-Bench-Suite-Zero
 * (Krishnakumar et al., NeurIPS 2022) score them; so are the parameter count and FLOPs when used as proxies
 * (NAS-Bench-Suite-Zero's `params` and `flops` baselines).
 */
export const ZERO_COST_DIRECTION = 1;

/** The registry's display name of a zero-cost id (`SNIP`); the id itself for one this version does not know. */
function zeroCostName(id: string): string {
  try {
    return proxyDefinition(id).name;
  } catch {
    return id;
  }
}

function ntkProxyId(metric: NtkMetric): string {
  if ('baseline' in metric) return `ntk:${metric.baseline}`;
  return metric.stat === 'frobenius' ? `ntk:${metric.variant}` : `ntk:${metric.variant}.${metric.stat}`;
}

/** The NTK metrics the first row has: every summary of every variant, then the baselines. */
function ntkMetricsOf(first: SweepRow | undefined): NtkMetric[] {
  if (!first) return [];
  const out: NtkMetric[] = [];
  for (const variant of NTK_VARIANTS) {
    if (!first.result.variants[variant]) continue;
    for (const stat of NTK_STATS) out.push({ variant, stat });
  }
  if (typeof first.result.knas === 'number') out.push({ baseline: 'knas' });
  if (typeof first.result.naswot === 'number') out.push({ baseline: 'naswot' });
  return out;
}

/** Zero-cost proxy ids the rows hold, in the order of the first row that has them. */
function zeroCostIdsOf(rows: Iterable<SweepRow>): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    for (const id of Object.keys(row.result.proxies ?? {})) if (!ids.includes(id)) ids.push(id);
    if (ids.length > 0) break;
  }
  return ids;
}

/** Every proxy column of a sweep (joined to the benchmark's classes) plus params and FLOPs on `dataset`. */
export function sweepProxyColumns(
  contents: Pick<SweepContents, 'rows'>,
  bench: Pick<BenchmarkApi, 'archOfIndex' | 'evaluatedIndices' | 'column'>,
  dataset: DatasetId,
  zeroCostLabel: (id: string) => string = zeroCostName,
): ProxyColumn[] {
  return [...sweepScoreColumns(contents, bench, zeroCostLabel), ...costProxyColumns(bench, dataset)];
}

/**
 * The cost metrics (params, FLOPs: NAS-Bench-201's numbers for `dataset`) as proxy columns. As metrics they are
 * minimised (a cheaper network is better to deploy); as proxies of accuracy they are read higher = better, as
 * NAS-Bench-Suite-Zero's `params` and `flops` baselines are, since larger cells of this space train to higher accuracy.
 */
export function costProxyColumns(bench: Pick<BenchmarkApi, 'column'>, dataset: DatasetId): ProxyColumn[] {
  return COST_METRIC_IDS.map((id) => ({
    id,
    label: METRIC_INFO[id].label,
    direction: 1,
    family: 'cost',
    values: bench.column(dataset, id),
  }));
}

/** The scores a sweep's rows hold (NTK summaries, baselines, zero-cost proxies), joined to the benchmark's classes. */
export function sweepScoreColumns(
  contents: Pick<SweepContents, 'rows'>,
  bench: Pick<BenchmarkApi, 'archOfIndex' | 'evaluatedIndices'>,
  zeroCostLabel: (id: string) => string = zeroCostName,
): ProxyColumn[] {
  const join = joinSweepToClasses(contents.rows, bench);
  const first = join.byClass.values().next().value as SweepRow | undefined;
  const columns: ProxyColumn[] = ntkMetricsOf(first).map((metric) => ({
    id: ntkProxyId(metric),
    label: sweepMetricShortLabel(metric),
    direction: 'baseline' in metric ? 1 : NTK_STAT_DIRECTION[metric.stat],
    family: 'baseline' in metric ? 'baseline' : 'ntk',
    values: ntkMetricColumn(join.byClass, bench.evaluatedIndices, metric),
  }));
  for (const id of zeroCostIdsOf(join.byClass.values())) {
    const values = new Float64Array(bench.evaluatedIndices.length).fill(NaN);
    for (let p = 0; p < values.length; p++) {
      const v = join.byClass.get(bench.evaluatedIndices[p])?.result.proxies?.[id];
      if (typeof v === 'number') values[p] = v;
    }
    columns.push({ id, label: zeroCostLabel(id), direction: ZERO_COST_DIRECTION, family: 'zc', values });
  }
  return columns;
}

/**
 * Every accuracy metric of both benchmarks on `dataset` that has values (adversarial training of NAS-RobBench-201,
 * then standard training of Jung et al.; ImageNet16-120 has no corruption accuracy), or the ones `only` names.
 */
export function accuracyTargets(
  bench: Pick<BenchmarkApi, 'column'>,
  dataset: DatasetId,
  only?: readonly AccuracyMetricId[],
): TargetColumn[] {
  const ids = only ?? ACCURACY_METRIC_IDS;
  return ids
    .map((id) => ({ id, label: METRIC_INFO[id].label, values: bench.column(dataset, id) }))
    .filter((t) => Array.prototype.some.call(t.values, (v: number) => !Number.isNaN(v)));
}
