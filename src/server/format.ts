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

/** `1.53 M` / `217.6 M`: NAS-Bench-201 reports params and FLOPs in millions. */
export function formatMillions(n: number): string {
  const m = n / 1e6;
  return `${m >= 100 ? m.toFixed(1) : m.toFixed(2)} M`;
}
