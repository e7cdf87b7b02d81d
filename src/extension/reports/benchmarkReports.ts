import type { ArchRecord, BenchmarkApi, ParetoPoint, RankedArch } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, formatMetricNumber, METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space/cost';
import { datasetLabel, metricLabel } from '../format';
import type { Align } from './markdownTable';
import { cellRef, type Report, type ReportBlock, type TableValue } from './reportModel';

/** Where the numbers come from, under every report. */
const SOURCE_NOTE =
  'Values: NAS-RobBench-201 (Wu et al., ICLR 2024), adversarially trained NAS-Bench-201 cells, validation accuracy ' +
  'averaged over three seeds; ranks among the 6,466 non-isomorphic cells (1 = best, ties share a rank).';

function code(text: string): string {
  return `\`${text}\``;
}

/**
 * The report's metric columns: the six adversarial ones, and the ranking metric after them when it is another
 * (a standard-training one, params or FLOPs), so the bold column is always on the table.
 */
function reportMetrics(ranking: MetricId): MetricId[] {
  return (ADVERSARIAL_METRIC_IDS as readonly MetricId[]).includes(ranking)
    ? [...ADVERSARIAL_METRIC_IDS]
    : [...ADVERSARIAL_METRIC_IDS, ranking];
}

/** The metrics of `dataset` for one cell, as table cells (accuracies in percent, costs in NAS-Bench-201's units). */
function metricCells(
  bench: BenchmarkApi,
  index: number,
  dataset: DatasetId,
  metrics: readonly MetricId[],
  emphasised: readonly MetricId[],
): string[] {
  return metrics.map((m) => {
    const v = bench.metric(index, dataset, m);
    const text = v ? formatMetricNumber(m, v.value) : 'n/a';
    return emphasised.includes(m) ? `**${text}**` : text;
  });
}

/** The table cell naming an evaluated cell: index and ops counted, the full string as its detail line. */
export function archCell(arch: ArchRecord): TableValue {
  return { cell: cellRef(arch.index, arch.archString, arch.cell) };
}

/**
 * "Top k by metric" report: rank, the six adversarial metrics of the dataset, then the cell. Metrics come first so
 * they are on screen in a half-width editor; the cell is named by index and ops, its string on a line below.
 */
export function renderTopReport(
  bench: BenchmarkApi,
  dataset: DatasetId,
  metric: MetricId,
  ranked: readonly RankedArch[],
  constraintText = '',
): Report {
  const title = `Top ${ranked.length} architectures by ${metricLabel(metric)} on ${datasetLabel(dataset)}`;
  const tabTitle = `Top ${ranked.length} · ${metricLabel(metric)} · ${datasetLabel(dataset)}`;
  const blocks: ReportBlock[] = [];
  if (constraintText) blocks.push({ kind: 'paragraph', text: `Only cells where: ${code(constraintText)}.` });
  if (ranked.length === 0) {
    blocks.push(
      { kind: 'paragraph', text: 'No evaluated cell meets these constraints.' },
      { kind: 'paragraph', text: SOURCE_NOTE },
    );
    return { tabTitle, title, blocks };
  }
  blocks.push({
    kind: 'paragraph',
    text: `${METRIC_INFO[metric].description} Ranked by the bold column${METRIC_INFO[metric].direction === 'min' ? ', lowest first' : ''}.`,
  });
  const metrics = reportMetrics(metric);
  blocks.push({
    kind: 'table',
    table: {
      headers: ['Rank', ...metrics.map((m) => METRIC_INFO[m].label), 'Cell'],
      align: ['right', ...metrics.map((): Align => 'right'), 'left'],
      rows: ranked.map((r) => [
        `${r.rank}`,
        ...metricCells(bench, r.arch.index, dataset, metrics, [metric]),
        archCell(r.arch),
      ]),
    },
  });
  blocks.push({ kind: 'paragraph', text: SOURCE_NOTE });
  return { tabTitle, title, blocks };
}

/**
 * "Pareto front" report: the non-dominated cells, each metric in its direction (accuracy maximised, params and FLOPs
 * minimised), in order of the x metric.
 */
export function renderParetoReport(
  bench: BenchmarkApi,
  dataset: DatasetId,
  x: MetricId,
  y: MetricId,
  points: readonly ParetoPoint[],
  constraintText = '',
): Report {
  const title = `Pareto front: ${metricLabel(x)} vs ${metricLabel(y)} on ${datasetLabel(dataset)}`;
  const tabTitle = `Pareto · ${metricLabel(x)} vs ${metricLabel(y)} · ${datasetLabel(dataset)}`;
  const blocks: ReportBlock[] = [];
  if (constraintText) blocks.push({ kind: 'paragraph', text: `Only cells where: ${code(constraintText)}.` });
  if (points.length === 0) {
    blocks.push(
      { kind: 'paragraph', text: 'No evaluated cell meets these constraints.' },
      { kind: 'paragraph', text: SOURCE_NOTE },
    );
    return { tabTitle, title, blocks };
  }
  blocks.push({
    kind: 'paragraph',
    text:
      `${points.length} ${constraintText ? 'of the cells meeting the constraints' : `of ${bench.evaluatedIndices.length} evaluated cells`} are Pareto-optimal: no other such cell is at least as ` +
      `good on both ${metricLabel(x)} and ${metricLabel(y)} and better on one${[x, y].some((m) => METRIC_INFO[m].direction === 'min') ? ' (fewer params or FLOPs is better)' : ''}. ` +
      `Sorted by ${metricLabel(x)}: going down, each row ${METRIC_INFO[x].direction === 'max' ? 'gains' : 'gives up'} ${metricLabel(x)} ` +
      `and pays for it in ${metricLabel(y)}.`,
  });
  const rows = points.map((p) => {
    const rx = bench.metric(p.arch.index, dataset, x);
    const ry = bench.metric(p.arch.index, dataset, y);
    return [
      `${formatMetricNumber(x, p.x)} (#${rx?.rank ?? '?'})`,
      `${formatMetricNumber(y, p.y)} (#${ry?.rank ?? '?'})`,
      archCell(p.arch),
    ];
  });
  blocks.push({
    kind: 'table',
    table: { headers: [metricLabel(x), metricLabel(y), 'Cell'], align: ['right', 'right', 'left'], rows },
  });
  blocks.push({ kind: 'paragraph', text: SOURCE_NOTE });
  return { tabTitle, title, blocks };
}
