import * as vscode from 'vscode';
import {
  DEFAULT_PROPOSAL_SAMPLING, isProposalSampling, SEARCH_ALGORITHMS, SEARCH_ALGORITHM_NAMES, runSearchRepeated, type ProposalSampling, type SearchAlgorithm,
} from '../../core/search/algorithms';
import { benchmarkOracle } from '../../core/search/objective';
import { datasetLabel, metricLabel } from '../format';
import { renderNasRunReport, type NasRunParameters } from '../reports/nasRunReport';
import type { ExtensionServices } from '../services';

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

/** What callers (tests, scripts) may pass to skip the prompts. */
interface NasRunArgument {
  algorithm?: SearchAlgorithm;
  /** How random architectures are drawn; a scripted call (with `algorithm`) that omits it gets the default. */
  sampling?: ProposalSampling;
  budget?: number;
  runs?: number;
  seed?: number;
}

/**
 * Run NAS Algorithm on the Benchmark: random search, regularized evolution or local search, maximising the
 * configured metric on the configured dataset, with a budget and a number of runs; progress with cancel; a Markdown
 * report beside the editor. Returns the report URI and the per-run results.
 */
export function runNasAlgorithm(s: ExtensionServices) {
  return async (arg?: NasRunArgument) => {
    const { dataset, metric } = s.settings();
    const bench = await s.benchmark.get();
    const algorithm = arg?.algorithm && SEARCH_ALGORITHMS.includes(arg.algorithm) ? arg.algorithm : (await vscode.window.showQuickPick(
      SEARCH_ALGORITHMS.map((a) => ({ label: SEARCH_ALGORITHM_NAMES[a], id: a })),
      { title: `Run NAS on the benchmark: maximise ${metricLabel(metric)} on ${datasetLabel(dataset)}` },
    ))?.id;
    if (!algorithm) return undefined;
    const oracle = benchmarkOracle(bench, { dataset, metric });
    const sampling = arg?.sampling && isProposalSampling(arg.sampling) ? arg.sampling
      : arg?.algorithm ? DEFAULT_PROPOSAL_SAMPLING
      : (await vscode.window.showQuickPick(
        [
          {
            id: 'class' as const, label: `Uniform over the ${oracle.classes.length.toLocaleString('en-US')} evaluated isomorphism classes`,
            description: 'default', detail: "Reproduces the random-search figures of the paper's Table 2 (within 0.001).",
          },
          {
            id: 'cell' as const, label: 'Uniform over the 15,625 cells',
            description: "NAS-Bench-201's sampler", detail: 'Classes with many isomorphic cells, which score worse on average, are drawn more often.',
          },
        ],
        { title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: how random architectures are drawn` },
      ))?.id;
    if (!sampling) return undefined;
    const budget = arg?.budget ?? Number(await vscode.window.showInputBox({
      title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: budget`, prompt: `Queries per run (new isomorphism classes evaluated; ${oracle.evaluableClasses} exist)`,
      value: String(DEFAULT_BUDGET), validateInput: (t) => positiveInteger(t, oracle.evaluableClasses),
    }) ?? NaN);
    if (!Number.isInteger(budget) || budget < 1) return undefined;
    const runs = arg?.runs ?? Number(await vscode.window.showInputBox({
      title: `${SEARCH_ALGORITHM_NAMES[algorithm]}: runs`, prompt: 'Independent seeded runs to average over',
      value: String(DEFAULT_RUNS), validateInput: (t) => positiveInteger(t, MAX_RUNS),
    }) ?? NaN);
    if (!Number.isInteger(runs) || runs < 1) return undefined;
    const params: NasRunParameters = { algorithm, dataset, metric, budget, runs, seed: arg?.seed ?? 0, sampling };

    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Robust NAS: ${SEARCH_ALGORITHM_NAMES[algorithm]}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await runSearchRepeated(oracle, algorithm, {
            budget, runs, seed: params.seed, sampling, signal: abort.signal,
            onProgress: (done, total) => {
              progress.report({ message: `run ${done} of ${total}`, increment: ((done - last) / total) * 100 });
              last = done;
            },
          });
        } catch (error) {
          if (abort.signal.aborted) throw new vscode.CancellationError();
          throw error;
        } finally {
          sub.dispose();
        }
      },
    );
    s.log.info(`NAS run: ${JSON.stringify(params)}`);
    const uri = await s.reports.open(`${SEARCH_ALGORITHM_NAMES[algorithm]} ${metricLabel(metric)} ${datasetLabel(dataset)}`, renderNasRunReport(bench, oracle, params, results));
    return { uri, params, runs: results.map((r) => ({ bestIndex: r.bestClass, bestValue: r.bestValue, queries: r.queries })) };
  };
}
