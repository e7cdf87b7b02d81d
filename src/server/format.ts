import type { MetricValue } from '../core/benchmark/api';

// Accuracies: two decimals, as everywhere in the extension (src/shared/cellFormat.ts says why).
export { formatAccuracy } from '../shared/cellFormat';

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
