import type { BenchmarkApi } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, type MetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space/cost';
import {
  SEARCH_ALGORITHM_NAMES,
  type ProposalSampling,
  type SearchAlgorithm,
  type SearchRun,
} from '../../core/search/algorithms';
import { PAPER_TABLE2_RANDOM_SEARCH } from '../../core/search/paperFigures';
import type { SearchOracle } from '../../core/search/objective';
import { summarizeSearchRuns, type MeanStd } from '../../core/search/summary';
import { datasetLabel, formatAccuracy, metricLabel } from '../format';
import { archCell } from './benchmarkReports';
import type { Report, ReportBlock } from './reportModel';

export interface NasRunParameters {
  readonly algorithm: SearchAlgorithm;
  readonly dataset: DatasetId;
  readonly metric: MetricId;
  readonly budget: number;
  readonly runs: number;
  readonly seed: number;
  readonly sampling: ProposalSampling;
}

/** Which sampling reproduces the paper, said where the run's sampling is reported. */
function samplingNote(p: NasRunParameters, classes: number): string {
  const paper = PAPER_TABLE2_RANDOM_SEARCH;
  const which =
    p.sampling === 'class'
      ? `uniformly over the ${classes.toLocaleString('en-US')} evaluated isomorphism classes`
      : "uniformly over the 15,625 cells, as NAS-Bench-201's samplers do";
  const figures = `${formatAccuracy(paper.returned.clean ?? NaN)} clean / ${formatAccuracy(paper.returned['pgd@8'] ?? NaN)} PGD@8 for random search maximising clean accuracy on CIFAR-10 with ${paper.budget} queries`;
  return (
    `Random architectures (${p.algorithm === 'rs' ? 'every proposal' : p.algorithm === 're' ? 'the initial population' : 'each restart'}) are drawn ${which}. ` +
    `Class-uniform sampling is the one that reproduces the paper's Table 2 (${figures}) to within 0.1 points; ` +
    "NAS-Bench-201's cell-uniform sampler over-draws the classes with many isomorphic cells, which score worse on average, and its random search " +
    'comes out about 0.5 points lower in clean accuracy. ' +
    'The paper does not publish its evolution and local-search settings (see docs/search.md).\n'
  );
}

function meanStdText(s: MeanStd | undefined): string {
  return s && s.n > 0 ? `${formatAccuracy(s.mean)} ± ${(s.std * 100).toFixed(2)}` : 'n/a';
}

/** The best-so-far value averaged over runs after `q` queries (runs that stopped earlier keep their final value). */
function meanBestAfter(runs: readonly SearchRun[], q: number): number {
  const values = runs.map((r) => r.trajectory[Math.min(q, r.trajectory.length) - 1]).filter((v) => Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/**
 * Report of a simulated NAS experiment on the benchmark (the tabular-benchmark protocol of NAS-Bench-201: each new
 * isomorphism class queried costs one unit of budget): what the returned architectures score, how often the optimum
 * was found, the anytime curve, and the architectures returned most often.
 */
export function renderNasRunReport(
  bench: BenchmarkApi,
  oracle: SearchOracle,
  p: NasRunParameters,
  runs: readonly SearchRun[],
): Report {
  const summary = summarizeSearchRuns(bench, runs, oracle.optimum.classIndex);
  const name = SEARCH_ALGORITHM_NAMES[p.algorithm];
  const Name = `${name[0].toUpperCase()}${name.slice(1)}`;
  const blocks: ReportBlock[] = [];
  blocks.push({
    kind: 'paragraph',
    text:
      `${p.runs} run${p.runs === 1 ? '' : 's'} of ${name}, ${p.budget} queries each (a query evaluates an isomorphism class ` +
      `not seen before in the run), maximising ${metricLabel(p.metric)} on ${datasetLabel(p.dataset)}. Seed ${p.seed}: run r ` +
      `uses a seed derived from it, so the experiment repeats exactly.`,
  });
  blocks.push({ kind: 'paragraph', text: samplingNote(p, oracle.classes.length).trim() });
  const optimum = bench.archOfIndex(oracle.optimum.classIndex);
  blocks.push({
    kind: 'list',
    items: [
      `Found the optimum (index ${oracle.optimum.classIndex}, ${formatAccuracy(oracle.optimum.value)}) in **${summary.foundOptimum} of ${summary.runs}** runs.`,
      `Queries spent: ${summary.queries.mean.toFixed(1)} on average` +
        `${runs.some((r) => r.stoppedEarly) ? ` (some runs stopped early: ${[...new Set(runs.flatMap((r) => (r.stoppedEarly ? [r.stoppedEarly] : [])))].join(', ')})` : ''}.`,
    ],
  });
  blocks.push({
    kind: 'table',
    table: {
      headers: [`Optimum's ${metricLabel(p.metric)}`, 'Cell'],
      align: ['right', 'left'],
      rows: [[formatAccuracy(oracle.optimum.value), archCell(optimum)]],
    },
  });

  blocks.push({
    kind: 'heading',
    text: `Returned architectures on ${datasetLabel(p.dataset)} (mean ± std over runs, percentage points)`,
  });
  const metrics = summary.metrics[p.dataset];
  blocks.push({
    kind: 'table',
    table: {
      headers: ADVERSARIAL_METRIC_IDS.map((m) => (m === p.metric ? `${metricLabel(m)} (objective)` : metricLabel(m))),
      align: ADVERSARIAL_METRIC_IDS.map(() => 'right'),
      rows: [ADVERSARIAL_METRIC_IDS.map((m) => meanStdText(metrics[m]))],
    },
  });

  blocks.push({ kind: 'heading', text: `Anytime performance (mean best ${metricLabel(p.metric)} so far)` });
  const checkpoints = [...new Set([1, 2, 4, 8].map((d) => Math.max(1, Math.round(p.budget / d))))].sort(
    (a, b) => a - b,
  );
  blocks.push({
    kind: 'table',
    table: {
      headers: ['Queries', `Mean best ${metricLabel(p.metric)}`],
      align: ['right', 'right'],
      rows: checkpoints.map((q) => [String(q), formatAccuracy(meanBestAfter(runs, q))]),
    },
  });

  blocks.push({ kind: 'heading', text: 'Most often returned' });
  const counts = new Map<number, number>();
  for (const r of runs) counts.set(r.bestClass, (counts.get(r.bestClass) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
  blocks.push({
    kind: 'table',
    table: {
      headers: ['Runs', metricLabel(p.metric), 'Rank', 'Cell'],
      align: ['right', 'right', 'right', 'left'],
      rows: top.map(([index, n]) => {
        const v = bench.metric(index, p.dataset, p.metric);
        return [
          String(n),
          v ? formatAccuracy(v.value) : 'n/a',
          v ? `#${v.rank}` : 'n/a',
          archCell(bench.archOfIndex(index)),
        ];
      }),
    },
  });
  blocks.push({
    kind: 'paragraph',
    text: 'Values: NAS-RobBench-201 (Wu et al., ICLR 2024); search protocol as in NAS-Bench-201 (Dong & Yang, ICLR 2020).',
  });
  return {
    tabTitle: `${Name} · ${metricLabel(p.metric)} · ${datasetLabel(p.dataset)}`,
    title: `${Name} on NAS-RobBench-201: ${metricLabel(p.metric)}, ${datasetLabel(p.dataset)}`,
    blocks,
  };
}
