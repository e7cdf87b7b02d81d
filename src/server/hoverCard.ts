import type { BenchmarkApi, CellResults, MetricValue } from '../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS, type MetricId } from '../core/benchmark/metrics';
import { cellToNaslibOpIndices, cellToOpCode, formatArchString, type Cell } from '../core/space/cell';
import { DATASET_IDS, DATASET_SHAPE, formatNasBench201Cost, networkCost } from '../core/space/cost';
import { deadEdges } from '../core/space/deadEdges';
import { EDGES, edgeLabel } from '../core/space/ops';
import { Commands, commandUri } from '../shared/commands';
import type { DataStatusParams } from '../shared/protocol';
import type { RobustNasSettings } from '../shared/settings';
import { formatAccuracy, formatPercentile, formatRank } from './format';
import { ntkHoverSection, type NtkHoverStore } from './ntkHoverSection';

/** What the hover is about: a cell (string or tuple) and/or an index, as written. */
export interface HoverSubject {
  readonly cell: Cell | undefined;
  readonly index: number | undefined;
  readonly writtenAs: 'string' | 'index' | 'naslib';
}

export interface HoverData {
  readonly bench: BenchmarkApi | undefined;
  readonly status: DataStatusParams;
  /** Stored NTK results (cache and sweep files); without it the card has no NTK paragraph. */
  readonly ntk?: NtkHoverStore;
}

/** Markdown text of a NASLib tuple, e.g. `(0, 2, 3, 1, 4, 2)`. */
export function naslibTupleText(cell: Cell): string {
  return `(${cellToNaslibOpIndices(cell).join(', ')})`;
}

function bold(s: string, on: boolean): string {
  return on ? `**${s}**` : s;
}

function metricCell(m: MetricValue | undefined, emphasised: boolean): string {
  if (!m) return '–';
  return bold(`${formatAccuracy(m.value)} ${formatRank(m)} ${formatPercentile(m)}`, emphasised);
}

function metricTable(results: CellResults, metrics: readonly MetricId[], title: string, settings: RobustNasSettings, label: (id: MetricId) => string): string[] {
  const header = `| ${title} | ${DATASET_IDS.map((d) => bold(DATASET_SHAPE[d].label, d === settings.dataset)).join(' | ')} |`;
  const lines = [header, `|:--|${DATASET_IDS.map(() => '--:').join('|')}|`];
  for (const metric of metrics) {
    const row = DATASET_IDS.map((d) => metricCell(results.metrics[d][metric], d === settings.dataset && metric === settings.metric));
    lines.push(`| ${bold(label(metric), metric === settings.metric)} | ${row.join(' | ')} |`);
  }
  return lines;
}

/** The paragraph that tells the user how to provide the data (or that it is on its way). */
export function dataMissingMarkdown(status: DataStatusParams): string {
  if (status.state === 'loading') return `_Benchmark data is loading: ${status.message}_`;
  return [
    `**Benchmark results unavailable.** ${status.message}`,
    '',
    'Provide the NAS-RobBench-201 files (`NAS-RobBench-201_html.json`, `acc.json`, `ops.json`) in one folder, then either set the ' +
      'setting `robustNas.dataPath` to that folder, or set the environment variable `ROBUST_NAS_DATA` to it before starting VS Code, ' +
      `or run [Robust NAS: Locate Benchmark Data...](${commandUri(Commands.locateData, [])}).`,
  ].join('\n');
}

function commandLinks(cell: Cell, index: number | undefined): string {
  const s = formatArchString(cell);
  const links = [
    `[Show cell diagram](${commandUri(Commands.showCellDiagram, [s])})`,
    `[Add to comparison](${commandUri(Commands.addToComparison, [s])})`,
    `[Export as PyTorch...](${commandUri(Commands.exportPytorch, [s])})`,
    `Copy as [string](${commandUri(Commands.copyAs, [s, 'string'])}) / [code](${commandUri(Commands.copyAs, [s, 'code'])})` +
      (index !== undefined ? ` / [index](${commandUri(Commands.copyAs, [s, 'index'])})` : '') +
      ` / [NASLib tuple](${commandUri(Commands.copyAs, [s, 'naslib'])})`,
  ];
  return links.join(' · ');
}

/**
 * The hover card: the cell in one line; index, op code, NASLib tuple; isomorphism class; params/FLOPs on the
 * configured dataset; dead edges; a metric x dataset table of the adversarially trained results (value, rank,
 * percentile) and the standard-training counterpart of Jung et al. (2023) shipped with NAS-RobBench-201; the
 * class's stored NTK scores for the configured NTK settings (or a link computing them); command links. The configured dataset and metric are in bold.
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
    return [`**NAS-Bench-201 index ${index ?? '?'}**`, '', 'The cell behind an index comes from the benchmark\'s `ops.json`.', '', dataMissingMarkdown(data.status)].join('\n');
  }

  const out: string[] = [];
  const archString = formatArchString(cell);
  out.push(`**NAS-Bench-201 cell${index !== undefined ? ` #${index}` : ''}** · code \`${cellToOpCode(cell)}\` · NASLib \`${naslibTupleText(cell)}\``);
  out.push('');
  out.push(`\`${archString}\``);
  out.push('');
  const cost = networkCost(cell, settings.dataset);
  const nb201 = formatNasBench201Cost(cost);
  const facts = [`Params ${nb201.params} · FLOPs ${nb201.flops} on ${DATASET_SHAPE[settings.dataset].label}`];
  const dead = deadEdges(cell);
  if (dead.length > 0) facts.push(`dead edge${dead.length > 1 ? 's' : ''} ${dead.map((d) => `${edgeLabel(EDGES[d.edge])} (${cell[d.edge]})`).join(', ')}`);
  out.push(facts.join(' · '));
  out.push('');

  if (!bench || index === undefined) {
    out.push(dataMissingMarkdown(data.status));
    out.push('');
    out.push(...paragraph(ntkHoverSection(cell, undefined, settings, data.ntk)));
    out.push(commandLinks(cell, undefined));
    return out.join('\n');
  }

  const record = bench.archOfIndex(index);
  if (record.isRepresentative) {
    out.push('Evaluated in NAS-RobBench-201 (the representative of its isomorphism class).');
  } else {
    const rep = bench.archOfIndex(record.representativeIndex);
    out.push(`Isomorphic to **#${rep.index}**, evaluated as \`${rep.archString}\`: the results below are #${rep.index}'s.`);
  }
  out.push('');
  const results = bench.results(record.representativeIndex);
  out.push(...metricTable(results, ADVERSARIAL_METRIC_IDS, 'Adversarial training', settings, (m) => METRIC_INFO[m].label));
  out.push('');
  const hasStandard = DATASET_IDS.some((d) => STANDARD_METRIC_IDS.some((m) => results.metrics[d][m] !== undefined));
  if (hasStandard) {
    out.push(...metricTable(results, STANDARD_METRIC_IDS, 'Standard training (Jung et al. 2023)', settings, (m) => METRIC_INFO[m].label.replace(/^Std (.)/, (_, c: string) => c.toUpperCase())));
    out.push('');
  }
  out.push(...paragraph(ntkHoverSection(cell, record.representativeIndex, settings, data.ntk)));
  out.push(commandLinks(cell, index));
  return out.join('\n');
}

/** Lines followed by a blank line, or nothing when there are none. */
function paragraph(lines: string[]): string[] {
  return lines.length ? [...lines, ''] : [];
}
