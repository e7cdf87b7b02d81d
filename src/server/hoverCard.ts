import type { BenchmarkApi, CellResults, MetricValue } from '../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS } from '../core/benchmark/metrics';
import { cellToNaslibOpIndices, cellToOpCode, formatArchString, type Cell } from '../core/space/cell';
import { DATASET_IDS, DATASET_SHAPE, formatNasBench201Cost, networkCost, type DatasetId } from '../core/space/cost';
import { deadEdges } from '../core/space/deadEdges';
import { EDGES, edgeLabel } from '../core/space/ops';
import { CELL_ACTIONS, type CellActionContext } from '../shared/cellActions';
import { shortCellLabel } from '../shared/cellFormat';
import { Commands } from '../shared/commands';
import type { DataStatusParams } from '../shared/protocol';
import type { RobustNasSettings } from '../shared/settings';
import { formatAccuracy, formatPercentile } from './format';
import { commandLink, markdownCode, markdownText } from './markdown';
import { lookUpNtk, ntkDetailsSection, type HoverLog, type NtkHoverStore, type NtkLookup } from './ntkHoverSection';
import { proxyCardLine, proxyDetailsSection, type ProxySweepStore } from './proxyHoverSection';

/** What the hover is about: a cell (string or tuple) and/or an index, as written. */
export interface HoverSubject {
  readonly cell: Cell | undefined;
  readonly index: number | undefined;
  readonly writtenAs: 'string' | 'index' | 'naslib';
}

export interface HoverData {
  readonly bench: BenchmarkApi | undefined;
  readonly status: DataStatusParams;
  /** Stored NTK results (cache and sweep files); without it the card offers no NTK scores. */
  readonly ntk?: NtkHoverStore;
  /** Where skipped input (e.g. a sweep row that cannot be shown) is reported. */
  readonly log?: HoverLog;
  /** Known sweep files of any configuration: the card ranks the class's training-free scores in them. */
  readonly proxies?: ProxySweepStore;
}

/** Markdown text of a NASLib tuple, e.g. `(0, 2, 3, 1, 4, 2)`. */
export function naslibTupleText(cell: Cell): string {
  return `(${cellToNaslibOpIndices(cell).join(', ')})`;
}

function bold(s: string, on: boolean): string {
  return on ? `**${s}**` : s;
}

/** CommonMark hard line break: a backslash at the end of the line. */
const HARD_BREAK = '\\';

/** `6,466`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The paragraph that tells the user how to provide the data (or that it is on its way). */
export function dataMissingMarkdown(status: DataStatusParams): string {
  if (status.state === 'loading') return `_Benchmark data is loading: ${markdownText(status.message)}_`;
  return [
    `**Benchmark results unavailable.** ${markdownText(status.message)}`,
    '',
    'Provide the NAS-RobBench-201 files (`NAS-RobBench-201_html.json`, `acc.json`, `ops.json`) in one folder, then either set the ' +
      'setting `robustNas.dataPath` to that folder, or set the environment variable `ROBUST_NAS_DATA` to it before starting VS Code, ' +
      `or run ${commandLink('Robust NAS: Locate Benchmark Data...', Commands.locateData, [])}.`,
  ].join('\n');
}

/** The action links in one line, from the shared action table. */
function actionLine(c: CellActionContext): string {
  return CELL_ACTIONS.flatMap((a) => {
    const title = a.title(c);
    return title === undefined ? [] : [commandLink(title, a.command, a.args(c))];
  }).join(' · ');
}

function actionContext(cell: Cell, index: number | undefined, ntk: NtkLookup): CellActionContext {
  return { archString: formatArchString(cell), index, ntkConfig: ntk.config, ntkStored: ntk.found !== undefined };
}

/**
 * The configured metric's family on the configured dataset as one table: a column per metric (the configured one in
 * bold), then the cell's own parameter count; value in the first row and rank in the second. Short cells with their
 * own header keep the columns apart; the value leads each cell after an em space because Markdown tables in the hover
 * have almost no padding. Params take a column, not a line, so the card grows no higher; two decimals of NAS-Bench-201's
 * "MB" (10^6 parameters) as for accuracies, every digit in the details. FLOPs rank every cell exactly as params do
 * (both grow with n(1x1) + 9 n(3x3) convolutions), so their rank is this one; their value is in the details.
 */
function datasetTable(results: CellResults, params: MetricValue | undefined, settings: RobustNasSettings): string[] {
  const metrics = METRIC_INFO[settings.metric].training === 'standard' ? STANDARD_METRIC_IDS : ADVERSARIAL_METRIC_IDS;
  const on = results.metrics[settings.dataset];
  const pad = '&emsp;';
  const head = metrics.map((m) => `${pad}${bold(METRIC_INFO[m].label, m === settings.metric)}`);
  const values = metrics.map((m) => `${pad}${bold(on[m] ? formatAccuracy(on[m].value) : '–', m === settings.metric)}`);
  const ranks = metrics.map((m) => `${pad}${bold(on[m] ? `#${on[m].rank}` : '–', m === settings.metric)}`);
  const paramsValue = params ? `${params.value.toFixed(2)} ${METRIC_INFO.params.unit}` : '–';
  // Narrow on purpose (the hover is narrower in a split editor): the dataset alone heads the row labels; the metric
  // labels say the training (standard-training ones start with "Std").
  return [
    `| ${DATASET_SHAPE[settings.dataset].label} | ${head.join(' | ')} | ${pad}${METRIC_INFO.params.label} |`,
    `|:--|${metrics.map(() => '--:').join('|')}|--:|`,
    `| value | ${values.join(' | ')} | ${pad}${paramsValue} |`,
    `| rank | ${ranks.join(' | ')} | ${pad}${params ? `#${params.rank}` : '–'} |`,
  ];
}

/** `**PGD@8 on CIFAR-10: 47.79%** · rank **#2** of 6,466 · **p100.0**` */
function headline(m: MetricValue | undefined, settings: RobustNasSettings): string {
  const what = `${METRIC_INFO[settings.metric].label} on ${DATASET_SHAPE[settings.dataset].label}`;
  if (!m) return `**${what}: not measured**`;
  return `**${what}: ${formatAccuracy(m.value)}** · rank **#${m.rank}** of ${count(m.of)} · **${formatPercentile(m)}**`;
}

/**
 * The hover card, short enough to show whole without scrolling in VS Code's hover (at most 250 px high at the
 * default font): who the cell is (index, evaluated or isomorphic to which evaluated cell; the string for an index or
 * a tuple), the configured
 * metric on the configured dataset in bold with rank and percentile, that dataset's other metrics of the same
 * training, and the actions. Everything else (other datasets, standard training, costs, encodings, NTK scores) is one
 * click away in the cell details report ("Show all datasets", {@link renderCellDetails}).
 */
export function renderHoverCard(subject: HoverSubject, settings: RobustNasSettings, data: HoverData): string {
  const { bench } = data;
  let cell = subject.cell;
  let index = subject.index;
  if (bench && cell && index === undefined) {
    const r = bench.resolve(cell);
    if (r.ok) index = r.arch.index;
  }
  if (bench && !cell && index !== undefined) cell = bench.archOfIndex(index).cell;
  if (!cell) {
    return [
      `**NAS-Bench-201 #${index ?? '?'}**`,
      '',
      "The cell behind an index comes from the benchmark's `ops.json`.",
      '',
      dataMissingMarkdown(data.status),
    ].join('\n');
  }

  const out: string[] = [];
  if (!bench || index === undefined) {
    const ntk = lookUpNtk(cell, undefined, settings, data.ntk, data.log);
    out.push(
      `**NAS-Bench-201 cell** · ${markdownText(shortCellLabel(cell))}`,
      '',
      dataMissingMarkdown(data.status),
      '',
      actionLine(actionContext(cell, undefined, ntk)),
    );
    return out.join('\n');
  }

  // Every line counts: VS Code shows 250 px of hover before it scrolls, and a diagnostic on the same text (an
  // isomorphic cell, a dead edge) takes a third of it above the card. So the identity (with the ops in short, which
  // an index or a tuple does not show) and the configured metric share one paragraph, two lines joined by a hard
  // line break (no paragraph margin), then the table, then the actions in one line.
  const record = bench.archOfIndex(index);
  const results = bench.results(record.representativeIndex);
  const identity = record.isRepresentative
    ? 'evaluated'
    : `isomorphic to **#${record.representativeIndex}** (evaluated)`;
  out.push(`**NAS-Bench-201 #${index}** · ${markdownText(shortCellLabel(cell))} · ${identity}${HARD_BREAK}`);
  out.push(headline(results.metrics[settings.dataset][settings.metric], settings), '');
  // The hovered cell's own parameter count (it can differ from its class representative's), ranked fewest first.
  out.push(...datasetTable(results, bench.metric(index, settings.dataset, 'params'), settings), '');
  // The class's proxy ranks in a loaded sweep: one line, on the card of an evaluated cell only. A non-evaluated
  // cell's card sits under its isomorphism diagnostic with no 19 px to spare (docs/hover.md); the report has them.
  const proxies = record.isRepresentative ? proxyCardLine(data.proxies, record.representativeIndex) : undefined;
  if (proxies) out.push(proxies, '');
  const ntk = lookUpNtk(cell, record.representativeIndex, settings, data.ntk, data.log);
  out.push(actionLine(actionContext(cell, index, ntk)));
  return out.join('\n');
}

/**
 * One dataset's results as a narrow table (the report opens beside the editor): a row per metric, adversarial
 * training first, then standard training; accuracy, rank and percentile in columns of their own.
 */
function detailsTable(results: CellResults, dataset: DatasetId, settings: RobustNasSettings): string[] {
  const lines = ['| Metric | Accuracy | Rank | Percentile |', '|:--|--:|--:|--:|'];
  for (const metric of [...ADVERSARIAL_METRIC_IDS, ...STANDARD_METRIC_IDS]) {
    const m = results.metrics[dataset][metric];
    if (!m) continue;
    const on = dataset === settings.dataset && metric === settings.metric;
    lines.push(
      `| ${bold(METRIC_INFO[metric].label, on)} | ${bold(formatAccuracy(m.value), on)} | ${bold(`#${m.rank} of ${count(m.of)}`, on)} | ${bold(formatPercentile(m), on)} |`,
    );
  }
  return lines;
}

export interface CellDetails {
  /** Short tab title, e.g. `Cell #9930`. */
  readonly title: string;
  readonly markdown: string;
}

/**
 * Everything the card leaves out, as a report (the "Show all datasets" link): the encodings, the isomorphism class,
 * dead edges, params and FLOPs per dataset, every metric on every dataset for adversarial training (NAS-RobBench-201,
 * Wu et al. 2024) and standard training (Jung et al. 2023, shipped with it), and the stored NTK scores for the
 * configured NTK settings.
 */
export function renderCellDetails(
  cell: Cell,
  bench: BenchmarkApi,
  settings: RobustNasSettings,
  data: Pick<HoverData, 'ntk' | 'log' | 'proxies'>,
): CellDetails {
  const record = bench.archOfIndex(bench.indexOfCell(cell));
  const rep = bench.archOfIndex(record.representativeIndex);
  const out: string[] = [];
  out.push(`# NAS-Bench-201 cell #${record.index}`, '');
  out.push(markdownCode(record.archString), '');
  out.push(
    `${shortCellLabel(cell)} · op code ${markdownCode(cellToOpCode(cell))} · NASLib ${markdownCode(naslibTupleText(cell))}`,
    '',
  );
  out.push(
    record.isRepresentative
      ? 'Evaluated in NAS-RobBench-201 (the representative of its isomorphism class).'
      : `Isomorphic to **#${rep.index}**, evaluated as ${markdownCode(rep.archString)}: the results below are #${rep.index}'s.`,
    '',
  );
  const dead = deadEdges(cell);
  if (dead.length > 0)
    out.push(
      `Dead edge${dead.length > 1 ? 's' : ''}: ${dead.map((d) => `${edgeLabel(EDGES[d.edge])} (${cell[d.edge]}, ${d.reason})`).join(', ')}.`,
      '',
    );

  const results = bench.results(rep.index);
  out.push(
    'Accuracies of adversarially trained networks (NAS-RobBench-201, Wu et al. 2024) and, as "Std ...", of standard-trained ones (Jung et al. 2023, shipped with it). Rank 1 is the best of the evaluated cells; the percentile is the share of them with a strictly lower value.',
    '',
  );
  // The configured dataset first.
  for (const dataset of [settings.dataset, ...DATASET_IDS.filter((d) => d !== settings.dataset)]) {
    out.push(`## ${DATASET_SHAPE[dataset].label}`, '', ...detailsTable(results, dataset, settings), '');
  }
  out.push('## Cost of the NAS-Bench-201 network', '');
  out.push(
    `| | ${DATASET_IDS.map((d) => DATASET_SHAPE[d].label).join(' | ')} |`,
    `|:--|${DATASET_IDS.map(() => '--:').join('|')}|`,
  );
  // In NAS-Bench-201's own units and digits (what its get_cost_info returns).
  const costs = DATASET_IDS.map((d) => formatNasBench201Cost(networkCost(cell, d)));
  // Ranked among the 6,466 evaluated networks, fewest first (ties share the best rank; src/core/benchmark/metrics.ts).
  const costRank = (metric: 'params' | 'flops') =>
    DATASET_IDS.map((d) => {
      const m = bench.metric(record.index, d, metric);
      return m ? `#${m.rank} of ${count(m.of)}` : '–';
    });
  out.push(`| Params | ${costs.map((c) => c.params).join(' | ')} |`);
  out.push(`| Params rank | ${costRank('params').join(' | ')} |`);
  out.push(`| FLOPs | ${costs.map((c) => c.flops).join(' | ')} |`);
  out.push(`| FLOPs rank | ${costRank('flops').join(' | ')} |`, '');
  out.push(
    "Rank 1 is the cheapest of the evaluated cells; this cell's own cost, which isomorphic cells need not share.",
    '',
  );
  const ntk = lookUpNtk(cell, rep.index, settings, data.ntk, data.log);
  const ntkLines = ntkDetailsSection(ntk, rep.index, data.ntk);
  if (ntkLines.length) out.push('## NTK scores', '', ...ntkLines, '');
  const proxyLines = proxyDetailsSection(data.proxies, rep.index);
  if (proxyLines.length) out.push('## Training-free proxies in loaded sweeps', '', ...proxyLines);
  return { title: `Cell #${record.index}`, markdown: out.join('\n') };
}
