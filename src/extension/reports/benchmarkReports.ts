import type { ArchRecord, BenchmarkApi, ParetoPoint, RankedArch } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space/cost';
import { datasetLabel, formatAccuracy, metricLabel } from '../format';
import type { Align } from './markdownTable';
import { cellRef, type Report, type ReportBlock, type TableValue } from './reportModel';

/** Where the numbers come from, under every report. */
const SOURCE_NOTE =
  'Values: NAS-RobBench-201 (Wu et al., ICLR 2024), adversarially trained NAS-Bench-201 cells, validation accuracy ' +
  'averaged over three seeds; ranks among the 6,466 non-isomorphic cells (1 = best, ties share a rank).';

function code(text: string): string {
  return `\`${text}\``;
}

/** Every adversarial metric of `dataset` for one evaluated cell, as table cells; the configured one in bold. */
function metricCells(bench: BenchmarkApi, index: number, dataset: DatasetId, emphasised: readonly MetricId[]): string[] {
  return ADVERSARIAL_METRIC_IDS.map((m) => {
    const v = bench.metric(index, dataset, m);
    const text = v ? formatAccuracy(v.value) : 'n/a';
    return emphasised.includes(m) ? `**${text}**` : text;
  });
}

const METRIC_HEADERS = ADVERSARIAL_METRIC_IDS.map((m) => METRIC_INFO[m].label);
const METRIC_ALIGN: Align[] = ADVERSARIAL_METRIC_IDS.map(() => 'right');

/** The table cell naming an evaluated cell: index and ops counted, the full string as its detail line. */
export function archCell(arch: ArchRecord): TableValue {
  return { cell: cellRef(arch.index, arch.archString, arch.cell) };
}

/**
 * "Top k by metric" report: rank, the six adversarial metrics of the dataset, then the cell. Metrics come first so
 * they are on screen in a half-width editor; the cell is named by index and ops, its string on a line below.
 */
export function renderTopReport(bench: BenchmarkApi, dataset: DatasetId, metric: MetricId, ranked: readonly RankedArch[], constraintText = ''): Report {
  const title = `Top ${ranked.length} architectures by ${metricLabel(metric)} on ${datasetLabel(dataset)}`;
  const tabTitle = `Top ${ranked.length} · ${metricLabel(metric)} · ${datasetLabel(dataset)}`;
  const blocks: ReportBlock[] = [];
  if (constraintText) blocks.push({ kind: 'paragraph', text: `Only cells where: ${code(constraintText)}.` });
  if (ranked.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No evaluated cell meets these constraints.' }, { kind: 'paragraph', text: SOURCE_NOTE });
    return { tabTitle, title, blocks };
  }
  blocks.push({ kind: 'paragraph', text: `${METRIC_INFO[metric].description} Ranked by the bold column.` });
  blocks.push({
    kind: 'table',
    table: {
      headers: ['Rank', ...METRIC_HEADERS, 'Cell'],
      align: ['right', ...METRIC_ALIGN, 'left'],
      rows: ranked.map((r) => [`${r.rank}`, ...metricCells(bench, r.arch.index, dataset, [metric]), archCell(r.arch)]),
    },
  });
  blocks.push({ kind: 'paragraph', text: SOURCE_NOTE });
  return { tabTitle, title, blocks };
}

/** "Pareto front" report: the non-dominated cells when maximising both metrics, in order of the x metric. */
export function renderParetoReport(bench: BenchmarkApi, dataset: DatasetId, x: MetricId, y: MetricId, points: readonly ParetoPoint[], constraintText = ''): Report {
  const title = `Pareto front: ${metricLabel(x)} vs ${metricLabel(y)} on ${datasetLabel(dataset)}`;
  const tabTitle = `Pareto · ${metricLabel(x)} vs ${metricLabel(y)} · ${datasetLabel(dataset)}`;
  const blocks: ReportBlock[] = [];
  if (constraintText) blocks.push({ kind: 'paragraph', text: `Only cells where: ${code(constraintText)}.` });
  if (points.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No evaluated cell meets these constraints.' }, { kind: 'paragraph', text: SOURCE_NOTE });
    return { tabTitle, title, blocks };
  }
  blocks.push({
    kind: 'paragraph',
    text: `${points.length} ${constraintText ? 'of the cells meeting the constraints' : `of ${bench.evaluatedIndices.length} evaluated cells`} are Pareto-optimal: no other such cell is at least as ` +
      `good on both ${metricLabel(x)} and ${metricLabel(y)} and better on one. Sorted by ${metricLabel(x)}, so ` +
      `${metricLabel(y)} falls as you go down: the table is the price in ${metricLabel(y)} of each gain in ${metricLabel(x)}.`,
  });
  const rows = points.map((p) => {
    const rx = bench.metric(p.arch.index, dataset, x);
    const ry = bench.metric(p.arch.index, dataset, y);
    return [`${formatAccuracy(p.x)} (#${rx?.rank ?? '?'})`, `${formatAccuracy(p.y)} (#${ry?.rank ?? '?'})`, archCell(p.arch)];
  });
  blocks.push({ kind: 'table', table: { headers: [metricLabel(x), metricLabel(y), 'Cell'], align: ['right', 'right', 'left'], rows } });
  blocks.push({ kind: 'paragraph', text: SOURCE_NOTE });
  return { tabTitle, title, blocks };
}
