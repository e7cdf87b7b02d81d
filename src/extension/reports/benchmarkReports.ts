import type { BenchmarkApi, ParetoPoint, RankedArch } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space/cost';
import { datasetLabel, formatAccuracy, metricLabel } from '../format';
import { markdownTable, type Align } from './markdownTable';

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

/** "Top k by metric" report: rank, index, the cell, and all six adversarial metrics of the dataset. */
export function renderTopReport(bench: BenchmarkApi, dataset: DatasetId, metric: MetricId, ranked: readonly RankedArch[], constraintText = ''): string {
  const title = `# Top ${ranked.length} architectures by ${metricLabel(metric)} on ${datasetLabel(dataset)}\n\n`;
  const where = constraintText ? `Only cells where: ${code(constraintText)}.\n\n` : '';
  if (ranked.length === 0) return `${title}${where}No evaluated cell meets these constraints.\n\n${SOURCE_NOTE}\n`;
  const rows = ranked.map((r) => [`${r.rank}`, `${r.arch.index}`, code(r.arch.archString), ...metricCells(bench, r.arch.index, dataset, [metric])]);
  const table = markdownTable(['Rank', 'Index', 'Architecture', ...METRIC_HEADERS], rows, ['right', 'right', 'left', ...METRIC_ALIGN]);
  return `${title}${where}${METRIC_INFO[metric].description} Ranked by the bold column.\n\n${table}\n${SOURCE_NOTE}\n`;
}

/** "Pareto front" report: the non-dominated cells when maximising both metrics, in order of the x metric. */
export function renderParetoReport(bench: BenchmarkApi, dataset: DatasetId, x: MetricId, y: MetricId, points: readonly ParetoPoint[], constraintText = ''): string {
  const title = `# Pareto front: ${metricLabel(x)} vs ${metricLabel(y)} on ${datasetLabel(dataset)}\n\n`;
  const where = constraintText ? `Only cells where: ${code(constraintText)}.\n\n` : '';
  if (points.length === 0) return `${title}${where}No evaluated cell meets these constraints.\n\n${SOURCE_NOTE}\n`;
  const intro =
    `${points.length} ${constraintText ? 'of the cells meeting the constraints' : `of ${bench.evaluatedIndices.length} evaluated cells`} are Pareto-optimal: no other such cell is at least as ` +
    `good on both ${metricLabel(x)} and ${metricLabel(y)} and better on one. Sorted by ${metricLabel(x)}, so ` +
    `${metricLabel(y)} falls as you go down: the table is the price in ${metricLabel(y)} of each gain in ${metricLabel(x)}.\n\n`;
  const rows = points.map((p) => {
    const rx = bench.metric(p.arch.index, dataset, x);
    const ry = bench.metric(p.arch.index, dataset, y);
    return [
      `${p.arch.index}`, code(p.arch.archString),
      `${formatAccuracy(p.x)} (#${rx?.rank ?? '?'})`, `${formatAccuracy(p.y)} (#${ry?.rank ?? '?'})`,
    ];
  });
  const table = markdownTable(['Index', 'Architecture', metricLabel(x), metricLabel(y)], rows, ['right', 'left', 'right', 'right']);
  return `${title}${where}${intro}${table}\n${SOURCE_NOTE}\n`;
}
