import type { MetricValue } from '../core/benchmark/api';

/** `0.4812` -> `48.1%`: accuracies are fractions in the data; one decimal matches the paper's tables. */
export function formatAccuracy(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** `#3 / 6466`. */
export function formatRank(m: MetricValue): string {
  return `#${m.rank} / ${m.of}`;
}

/** `p99.9`: share of cells with a strictly lower value. */
export function formatPercentile(m: MetricValue): string {
  return `p${m.percentile.toFixed(1)}`;
}
