import type { BenchmarkApi } from '../benchmark/api';
import { METRIC_IDS, type MetricId } from '../benchmark/metrics';
import { DATASET_IDS, type DatasetId } from '../space/cost';
import type { SearchRun } from './algorithms';

export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  /** Runs whose returned architecture has this metric. */
  readonly n: number;
}

/** Mean and population standard deviation (ddof = 0, as NAS-Bench-201's reports use) of the finite values. */
export function meanStd(values: readonly number[]): MeanStd {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = finite.reduce((a, v) => a + (v - mean) * (v - mean), 0) / n;
  return { mean, std: Math.sqrt(variance), n };
}

export interface SearchSummary {
  readonly runs: number;
  /** For every dataset and metric: mean and std over runs of the returned architecture's value. */
  readonly metrics: Readonly<Record<DatasetId, Partial<Record<MetricId, MeanStd>>>>;
  /** Mean and std of queries spent. */
  readonly queries: MeanStd;
  /** How many runs returned the optimum of the objective. */
  readonly foundOptimum: number;
}

export function summarizeSearchRuns(
  bench: BenchmarkApi,
  runs: readonly SearchRun[],
  optimumClass: number,
): SearchSummary {
  const metrics = {} as Record<DatasetId, Partial<Record<MetricId, MeanStd>>>;
  for (const dataset of DATASET_IDS) {
    metrics[dataset] = {};
    for (const metric of METRIC_IDS) {
      const values = runs.map((r) => bench.metric(r.bestClass, dataset, metric)?.value ?? NaN);
      const s = meanStd(values);
      if (s.n > 0) metrics[dataset][metric] = s;
    }
  }
  return {
    runs: runs.length,
    metrics,
    queries: meanStd(runs.map((r) => r.queries)),
    foundOptimum: runs.filter((r) => r.bestClass === optimumClass).length,
  };
}
