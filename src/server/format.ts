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
