import * as vscode from 'vscode';
import {
  ADVERSARIAL_METRIC_IDS,
  COST_METRIC_IDS,
  METRIC_IDS,
  METRIC_INFO,
  type MetricId,
} from '../../core/benchmark/metrics';
import type { CellConstraint } from '../../core/benchmark/api';
import { parseConstraints } from '../../core/benchmark/parseConstraints';
import type { DatasetId } from '../../core/space/cost';
import { datasetLabel, metricLabel } from '../format';
import { renderParetoReport, renderTopReport } from '../reports/benchmarkReports';
import type { ExtensionServices } from '../services';
import { CommandArgumentError, datasetArgument, integerArgument, metricArgument } from '../../shared/commandArguments';

/** Rows of the Top report: enough to see the head of the ranking; the sidebar tree and Search go further. */
export const TOP_REPORT_SIZE = 25;

/** A dataset argument (checked: an unknown one is an error, not silently another dataset); menus' non-string arguments are none. */
function datasetOr(arg: unknown, fallback: DatasetId): DatasetId {
  return typeof arg === 'string' ? datasetArgument(arg) : fallback;
}

async function pickMetric(
  title: string,
  current: MetricId,
  choices: readonly MetricId[],
): Promise<MetricId | undefined> {
  const items = choices.map((id) => ({
    label: METRIC_INFO[id].label,
    description: id === current ? 'current' : undefined,
    detail: METRIC_INFO[id].description,
    id,
  }));
  items.sort((a, b) => Number(b.id === current) - Number(a.id === current));
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}

/**
 * Optional constraints for a report, typed in the core's constraint syntax (`edge 2->3 = skip, no avg_pool`) and
 * validated as the user types. Resolves to undefined when the user cancels, to [] when left empty.
 */
async function askConstraints(title: string): Promise<{ text: string; constraints: CellConstraint[] } | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt:
      'Only cells where (optional): edge A->B = OP, edge A->B != OP, has OP, no OP, separated by commas. Empty = all cells.',
    placeHolder: 'edge 2->3 = skip, no avg_pool',
    validateInput: (t) => {
      const r = parseConstraints(t);
      return r.ok ? undefined : r.errors[0].message;
    },
  });
  if (text === undefined) return undefined;
  const r = parseConstraints(text);
  return r.ok ? { text: text.trim(), constraints: r.constraints } : undefined;
}

/** Constraints passed as an argument (string, same syntax); a bad string is an error that says what is wrong. */
function constraintsArgument(arg: unknown): { text: string; constraints: CellConstraint[] } | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg !== 'string' || arg.length > 10_000)
    throw new CommandArgumentError("the constraints must be text such as 'edge 2->3 = skip, no avg_pool'");
  const r = parseConstraints(arg);
  if (!r.ok) throw new Error(r.errors[0].message);
  return { text: arg.trim(), constraints: r.constraints };
}

/** Summary of a ranked cell returned to callers (tests, other extensions). */
export interface RankedSummary {
  readonly index: number;
  readonly archString: string;
  readonly value: number;
  readonly rank: number;
}

/**
 * Top Architectures by Metric: pick a metric and optional constraints (args `[dataset?, metric?, k?, constraints?]`
 * skip the prompts), then a report of the best cells opens beside the editor. Returns the report's URI and the ranked cells.
 */
export function topArchitectures(s: ExtensionServices) {
  return async (
    datasetArg?: unknown,
    metricArg?: unknown,
    kArg?: unknown,
    constraintsArg?: unknown,
  ): Promise<{ uri: vscode.Uri; ranked: RankedSummary[] } | undefined> => {
    const settings = s.settings();
    const dataset = datasetOr(datasetArg, settings.dataset);
    const metric =
      typeof metricArg === 'string'
        ? metricArgument(metricArg)
        : await pickMetric(`Top architectures on ${datasetLabel(dataset)} by`, settings.metric, METRIC_IDS);
    if (!metric) return undefined;
    const k = kArg === undefined ? TOP_REPORT_SIZE : integerArgument(kArg, 1, 15_625, 'the number of architectures k');
    // Arguments given (tests, scripts): no prompt; constraints only when passed.
    const where =
      metricArg !== undefined
        ? constraintsArgument(constraintsArg)
        : await askConstraints(`Top ${metricLabel(metric)} on ${datasetLabel(dataset)}: filter`);
    if (metricArg === undefined && !where) return undefined;
    const bench = await s.benchmark.get();
    const ranked = bench.topK(dataset, metric, k, where?.constraints ?? []);
    const uri = await s.reports.show(renderTopReport(bench, dataset, metric, ranked, where?.text ?? ''));
    return {
      uri,
      ranked: ranked.map((r) => ({ index: r.arch.index, archString: r.arch.archString, value: r.value, rank: r.rank })),
    };
  };
}

/**
 * Pareto Front (clean vs robust): clean accuracy against a robust metric picked by the user (the configured one
 * first) and optional constraints; args `[dataset?, robustMetric?, constraints?]` skip the prompts. Opens the report, returns its URI and the front.
 */
export function paretoFront(s: ExtensionServices) {
  return async (
    datasetArg?: unknown,
    metricArg?: unknown,
    constraintsArg?: unknown,
  ): Promise<
    { uri: vscode.Uri; points: { index: number; archString: string; x: number; y: number }[] } | undefined
  > => {
    const settings = s.settings();
    const dataset = datasetOr(datasetArg, settings.dataset);
    // The robust metrics, then params and FLOPs: clean accuracy against size, the hardware-aware NAS trade-off.
    const robustChoices: MetricId[] = [...ADVERSARIAL_METRIC_IDS.filter((m) => m !== 'clean'), ...COST_METRIC_IDS];
    const current = (robustChoices as readonly string[]).includes(settings.metric) ? settings.metric : 'pgd@8';
    if (metricArg === 'clean')
      throw new CommandArgumentError('the robust metric of the Pareto front must be another metric than clean');
    const y =
      typeof metricArg === 'string'
        ? metricArgument(metricArg, 'the robust metric')
        : await pickMetric(`Pareto front on ${datasetLabel(dataset)}: clean accuracy vs`, current, robustChoices);
    if (!y) return undefined;
    const where =
      metricArg !== undefined
        ? constraintsArgument(constraintsArg)
        : await askConstraints(`Pareto front, clean vs ${metricLabel(y)}: filter`);
    if (metricArg === undefined && !where) return undefined;
    const bench = await s.benchmark.get();
    const points = bench.pareto(dataset, 'clean', y, where?.constraints ?? []);
    const uri = await s.reports.show(renderParetoReport(bench, dataset, 'clean', y, points, where?.text ?? ''));
    return { uri, points: points.map((p) => ({ index: p.arch.index, archString: p.arch.archString, x: p.x, y: p.y })) };
  };
}
