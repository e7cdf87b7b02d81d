import * as vscode from 'vscode';
import {
  DEFAULT_PROPOSAL_SAMPLING,
  isProposalSampling,
  SEARCH_ALGORITHMS,
  SEARCH_ALGORITHM_NAMES,
  runSearchRepeated,
  type ProposalSampling,
  type SearchAlgorithm,
} from '../../core/search/algorithms';
import { benchmarkOracle } from '../../core/search/objective';
import { datasetLabel, metricLabel } from '../format';
import { renderNasRunReport, type NasRunParameters } from '../reports/nasRunReport';
import type { ExtensionServices } from '../services';
import { withCancellableProgress } from './cancellableProgress';
import { CommandArgumentError, integerArgument, optional } from '../../shared/commandArguments';

/** Defaults offered in the input boxes: NAS-Bench-201's own experiments compare algorithms over many seeded runs. */
const DEFAULT_BUDGET = 100;
const DEFAULT_RUNS = 50;
const MAX_RUNS = 10_000;

function positiveInteger(text: string, max: number): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number.';
  const n = Number(text);
  if (n < 1 || n > max) return `Enter a number from 1 to ${max}.`;
  return undefined;
}

/**
 * What callers may pass: answers preselected in the questions (checked), never a question skipped: a link must not
 * start minutes of work unasked. The seed, which is not asked, is taken as given.
 */
interface NasRunArgument {
  algorithm?: SearchAlgorithm;
  /** How random architectures are drawn. */
  sampling?: ProposalSampling;
  budget?: number;
  runs?: number;
  seed?: number;
}

function checkedArgument(arg: unknown): NasRunArgument {
  if (arg === undefined || arg === null || arg instanceof vscode.Uri) return {};
  if (typeof arg !== 'object' || Array.isArray(arg))
    throw new CommandArgumentError('the NAS run options must be an object such as { algorithm, budget, runs }');
  const a = arg as Record<string, unknown>;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined);
  return {
    algorithm: optional(own('algorithm'), (v) => {
      if (typeof v !== 'string' || !(SEARCH_ALGORITHMS as readonly string[]).includes(v))
        throw new CommandArgumentError(`the algorithm must be one of ${SEARCH_ALGORITHMS.join(', ')}`);
      return v as SearchAlgorithm;
    }),
    sampling: optional(own('sampling'), (v) => {
      if (typeof v !== 'string' || !isProposalSampling(v))
        throw new CommandArgumentError('the sampling must be class or cell');
      return v;
    }),
    budget: optional(own('budget'), (v) => integerArgument(v, 1, 15_625, 'the budget')),
    runs: optional(own('runs'), (v) => integerArgument(v, 1, MAX_RUNS, 'the number of runs')),
    seed: optional(own('seed'), (v) => integerArgument(v, 0, 2 ** 32 - 1, 'the seed')),
  };
}

/**
 * Run NAS Algorithm on the Benchmark: random search, regularized evolution or local search, maximising the
 * configured metric on the configured dataset, with a budget and a number of runs; progress with cancel; a Markdown
 * report beside the editor. Returns the report URI and the per-run results.
 */
export function runNasAlgorithm(s: ExtensionServices) {
  return async (rawArg?: unknown) => {
    const arg = checkedArgument(rawArg);
    const { dataset, metric } = s.settings();
    const bench = await s.benchmark.get();
    // Preselected answers come first in each list (the focused item); the user still confirms each one.
    const first = <T extends { id: string }>(items: T[], id: string | undefined) =>
      items.sort((a, b) => Number(b.id === id) - Number(a.id === id));
    const algorithm = (
      await vscode.window.showQuickPick(
        first(
          SEARCH_ALGORITHMS.map((a) => ({ label: SEARCH_ALGORITHM_NAMES[a], id: a })),
          arg.algorithm,
        ),
        { title: `Run NAS on the benchmark: maximise ${metricLabel(metric)} on ${datasetLabel(dataset)}` },
      )
    )?.id;
    if (!algorithm) return undefined;
    const oracle = benchmarkOracle(bench, { dataset, metric });
    const sampling = (
      await vscode.window.showQuickPick(
        first(
          [
            {
              id: 'class' as const,
              label: `Uniform over the ${oracle.classes.length.toLocaleString('en-US')} evaluated isomorphism classes`,
              description: 'default',
              detail: "Reproduces the random-search figures of the paper's Table 2 (within 0.001).",
            },
            {
              id: 'cell' as const,
              label: 'Uniform over the 15,625 cells',
              description: "NAS-Bench-201's sampler",
              detail: 'Classes with many isomorphic cells, which score worse on average, are drawn more often.',
            },
          ],
          arg.sampling ?? DEFAULT_PROPOSAL_SAMPLING,
        ),
        // Later steps survive a click elsewhere: the answers already given are not thrown away.
        { ignoreFocusOut: true, title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: how random architectures are drawn` },
      )
    )?.id;
    if (!sampling) return undefined;
    const budget = Number(
      (await vscode.window.showInputBox({
        ignoreFocusOut: true,
        title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: budget`,
        prompt: `Queries per run (new isomorphism classes evaluated; ${oracle.evaluableClasses} exist)`,
        value: String(Math.min(arg.budget ?? DEFAULT_BUDGET, oracle.evaluableClasses)),
        validateInput: (t) => positiveInteger(t, oracle.evaluableClasses),
      })) ?? NaN,
    );
    if (!Number.isInteger(budget) || budget < 1) return undefined;
    const runs = Number(
      (await vscode.window.showInputBox({
        ignoreFocusOut: true,
        title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: runs`,
        prompt: 'Independent seeded runs to average over',
        value: String(arg.runs ?? DEFAULT_RUNS),
        validateInput: (t) => positiveInteger(t, MAX_RUNS),
      })) ?? NaN,
    );
    if (!Number.isInteger(runs) || runs < 1) return undefined;
    const params: NasRunParameters = { algorithm, dataset, metric, budget, runs, seed: arg.seed ?? 0, sampling };

    const results = await withCancellableProgress(
      `Robust NAS: ${SEARCH_ALGORITHM_NAMES[algorithm]}`,
      (signal, report) =>
        runSearchRepeated(oracle, algorithm, {
          budget,
          runs,
          seed: params.seed,
          sampling,
          signal,
          onProgress: (done, total) => report({ done, total, stage: `run ${done} of ${total}` }),
        }),
    );
    s.log.info(`NAS run: ${JSON.stringify(params)}`);
    const uri = await s.reports.show(renderNasRunReport(bench, oracle, params, results));
    return {
      uri,
      params,
      runs: results.map((r) => ({ bestIndex: r.bestClass, bestValue: r.bestValue, queries: r.queries })),
    };
  };
}
