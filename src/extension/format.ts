import { formatMetricNumber, METRIC_INFO, type MetricId } from '../core/benchmark/metrics';
import type { MetricValue } from '../core/benchmark/api';
import { DATASET_SHAPE, type DatasetId } from '../core/space/cost';

// How the extension writes benchmark numbers in QuickPicks, trees and reports: the same accuracy format and cell
// summary as the language server's hover card and inlay hints (src/shared/cellFormat.ts).
export { formatAccuracy, shortCellLabel } from '../shared/cellFormat';

export function formatRank(rank: number, of: number): string {
  return `#${rank} / ${of}`;
}

/** `PGD@8 48.10% #3 / 6466`, `Params 0.129306 MB #120 / 6466`, or `PGD@8 n/a` when the data has no value for the cell. */
export function formatMetricValue(metric: MetricId, value: MetricValue | undefined): string {
  const label = METRIC_INFO[metric].label;
  return value
    ? `${label} ${formatMetricNumber(metric, value.value)} ${formatRank(value.rank, value.of)}`
    : `${label} n/a`;
}

export function datasetLabel(dataset: DatasetId): string {
  return DATASET_SHAPE[dataset].label;
}

export function metricLabel(metric: MetricId): string {
  return METRIC_INFO[metric].label;
}
