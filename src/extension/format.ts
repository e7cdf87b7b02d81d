import { METRIC_INFO, type MetricId } from '../core/benchmark/metrics';
import type { MetricValue } from '../core/benchmark/api';
import type { Cell } from '../core/space/cell';
import { DATASET_SHAPE, type DatasetId } from '../core/space/cost';
import { EDGES, OP_SHORT_LABEL } from '../core/space/ops';

/**
 * How the extension writes benchmark numbers in QuickPicks, trees and reports. Accuracies are stored as fractions
 * in [0, 1] (NAS-RobBench-201's files) and shown as percentages with two decimals, the precision of the paper's
 * tables.
 */
export function formatAccuracy(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : 'n/a';
}

export function formatRank(rank: number, of: number): string {
  return `#${rank} / ${of}`;
}

/** `PGD@8 48.10% #3 / 6466`, or `PGD@8 n/a` when the data has no value for the cell. */
export function formatMetricValue(metric: MetricId, value: MetricValue | undefined): string {
  const label = METRIC_INFO[metric].label;
  return value ? `${label} ${formatAccuracy(value.value)} ${formatRank(value.rank, value.of)}` : `${label} n/a`;
}

export function datasetLabel(dataset: DatasetId): string {
  return DATASET_SHAPE[dataset].label;
}

export function metricLabel(metric: MetricId): string {
  return METRIC_INFO[metric].label;
}

/**
 * A cell in one short line, node by node: `conv3x3 | conv3x3 avgpool | skip conv3x3 skip` reads as "node 1 takes
 * conv3x3 of the input; node 2 takes ...", the inputs in order 0..n-1 as in the architecture string.
 */
export function shortCellLabel(cell: Cell): string {
  const nodes: string[] = [];
  for (let node = 1; node <= 3; node++) {
    nodes.push(EDGES.flatMap((e, k) => (e.to === node ? [OP_SHORT_LABEL[cell[k]]] : [])).join(' '));
  }
  return nodes.join(' | ');
}
