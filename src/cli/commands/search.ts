import {
  ACCURACY_METRIC_IDS,
  isAccuracyMetricId,
  METRIC_IDS,
  METRIC_INFO,
  type AccuracyMetricId,
} from '../../core/benchmark/metrics';
import { DATASET_IDS, DATASET_SHAPE } from '../../core/space/cost';
import {
  DEFAULT_PROPOSAL_SAMPLING,
  isProposalSampling,
  PROPOSAL_SAMPLING_NAMES,
  PROPOSAL_SAMPLINGS,
  runSearchRepeated,
  SEARCH_ALGORITHMS,
  SEARCH_ALGORITHM_NAMES,
  type SearchAlgorithm,
} from '../../core/search/algorithms';
import { benchmarkOracle, type ObjectiveSpec } from '../../core/search/objective';
import { summarizeSearchRuns, meanStd } from '../../core/search/summary';
import { datasetOption, intOption, parseMetric, requiredOption } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { formatTable, metricMeanStd, metricValue, percent, percentMeanStd } from '../format/table';

/** A metric the objective may hold: any accuracy; a cost gets told where costs go. */
function accuracyObjectiveMetric(text: string): AccuracyMetricId {
  const metric = parseMetric(text);
  if (!isAccuracyMetricId(metric)) {
    throw new CliError(
      `--objective maximises accuracy; '${metric}' is a cost (lower is better, in other units). ` +
        `Use one of ${ACCURACY_METRIC_IDS.join(', ')}, and see the accuracy-vs-${metric} trade-off with 'robust-nas pareto pgd@8 ${metric}'.`,
    );
  }
  return metric;
}

/** `pgd@8`, or a weighted sum such as `0.5*clean+0.5*pgd@8`. */
function parseObjective(text: string, dataset: ObjectiveSpec['dataset']): ObjectiveSpec {
  if (isAccuracyMetricId(text.trim())) return { dataset, metric: text.trim() as AccuracyMetricId };
  const weights: Partial<Record<AccuracyMetricId, number>> = {};
  for (const term of text.split('+')) {
    const m = /^\s*(?:([0-9]*\.?[0-9]+)\s*\*\s*)?(\S+?)\s*$/.exec(term);
    if (!m)
      throw new CliError(
        `Cannot read the objective term '${term}'; write a metric (pgd@8) or a weighted sum (0.5*clean+0.5*pgd@8).`,
      );
    const metric = accuracyObjectiveMetric(m[2]);
    weights[metric] = (weights[metric] ?? 0) + (m[1] === undefined ? 1 : Number(m[1]));
  }
  return { dataset, weights };
}

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'run a NAS algorithm against the benchmark many times and summarise what it finds',
  usage:
    'search --algo rs|re|ls --objective M --dataset D [--budget Q] [--runs R] [--seed S] [--sampling class|cell] [--json]',
  description:
    'Random search, regularized evolution (population 10, tournament 3, as in NAS-Bench-201) or local search, each run with its own seed ' +
    'derived from --seed. A query is the first evaluation of an isomorphism class in a run. Prints the mean and std over runs of every metric ' +
    'of the returned architectures, and the optimum of the objective for reference. Random architectures (random search, the initial ' +
    'population of evolution, the restarts of local search) are drawn uniformly over the 6,466 evaluated isomorphism classes, which ' +
    "reproduces the paper's random-search figures (Table 2) to 0.001; --sampling cell draws uniformly over the 15,625 cells as NAS-Bench-201 does.",
  options: {
    algo: { type: 'string' },
    objective: { type: 'string' },
    dataset: { type: 'string' },
    budget: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    sampling: { type: 'string' },
  },
  optionsHelp: [
    ['--algo A', `${SEARCH_ALGORITHMS.map((a) => `${a} (${SEARCH_ALGORITHM_NAMES[a]})`).join(', ')}`],
    ['--objective M', 'metric to maximise, or a weighted sum like 0.5*clean+0.5*pgd@8'],
    ['--dataset D', 'cifar10, cifar100 or imagenet16-120'],
    ['--budget Q', 'queries per run (default 100)'],
    ['--runs R', 'independent runs (default 100)'],
    ['--seed S', 'base seed (default 0)'],
    [
      '--sampling S',
      `random architectures: class (default, ${PROPOSAL_SAMPLING_NAMES.class}) or cell (${PROPOSAL_SAMPLING_NAMES.cell})`,
    ],
  ],
  examples: [
    'search --algo re --objective pgd@8 --dataset cifar10 --budget 100 --runs 100 --seed 0',
    'search --algo rs --objective clean --dataset cifar10 --runs 1000 --sampling cell',
  ],
  async run(ctx) {
    const algoText = requiredOption(ctx.values, 'algo');
    if (!(SEARCH_ALGORITHMS as readonly string[]).includes(algoText))
      throw new CliError(`--algo must be one of ${SEARCH_ALGORITHMS.join(', ')}, got '${algoText}'.`);
    const algorithm = algoText as SearchAlgorithm;
    const dataset = datasetOption(ctx.values);
    const spec = parseObjective(requiredOption(ctx.values, 'objective'), dataset);
    const budget = intOption(ctx.values, 'budget', 100, 1, 15625);
    const runs = intOption(ctx.values, 'runs', 100, 1, 100_000);
    const seed = intOption(ctx.values, 'seed', 0, 0, 2 ** 32 - 1);
    const samplingText = typeof ctx.values.sampling === 'string' ? ctx.values.sampling : DEFAULT_PROPOSAL_SAMPLING;
    if (!isProposalSampling(samplingText))
      throw new CliError(`--sampling must be one of ${PROPOSAL_SAMPLINGS.join(', ')}, got '${samplingText}'.`);
    const sampling = samplingText;
    const bench = await ctx.benchmark();
    const oracle = benchmarkOracle(bench, spec);
    const results = await runSearchRepeated(oracle, algorithm, { budget, runs, seed, sampling });
    const summary = summarizeSearchRuns(bench, results, oracle.optimum.classIndex);
    const optimum = bench.archOfIndex(oracle.optimum.classIndex);
    const optimumMetrics = Object.fromEntries(
      DATASET_IDS.map((d) => [
        d,
        Object.fromEntries(
          METRIC_IDS.flatMap((m) => {
            const v = bench.metric(optimum.index, d, m);
            return v ? [[m, v.value]] : [];
          }),
        ),
      ]),
    );
    const objectiveStats = meanStd(results.map((r) => r.bestValue));
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          {
            algorithm,
            objective: { ...spec, label: oracle.label },
            budget,
            runs,
            seed,
            sampling,
            queries: summary.queries,
            foundOptimum: summary.foundOptimum,
            objectiveValue: objectiveStats,
            metrics: summary.metrics,
            optimum: {
              index: optimum.index,
              code: optimum.code,
              string: optimum.archString,
              value: oracle.optimum.value,
              metrics: optimumMetrics,
            },
          },
          null,
          2,
        ),
      );
      return;
    }
    ctx.out(
      `${SEARCH_ALGORITHM_NAMES[algorithm]}: ${runs} run${runs === 1 ? '' : 's'} x ${budget} queries, maximising ${oracle.label}, seed ${seed}`,
    );
    ctx.out(
      `random architectures: ${PROPOSAL_SAMPLING_NAMES[sampling]}${sampling === 'class' ? ` (${oracle.classes.length.toLocaleString('en-US')})` : ''}`,
    );
    ctx.out(
      `objective of the returned cell: ${percentMeanStd(objectiveStats.mean, objectiveStats.std)} (optimum ${percent(oracle.optimum.value)}, index ${optimum.index}; found in ${summary.foundOptimum} of ${runs} runs)`,
    );
    ctx.out();
    const rows = METRIC_IDS.map((m) => [
      METRIC_INFO[m].label,
      ...DATASET_IDS.map((d) => {
        const s = summary.metrics[d][m];
        return s ? metricMeanStd(m, s.mean, s.std) : 'n/a';
      }),
      optimumMetrics[spec.dataset][m] === undefined ? 'n/a' : metricValue(m, optimumMetrics[spec.dataset][m] as number),
    ]);
    const header = [
      { header: 'metric (mean ± std)' },
      ...DATASET_IDS.map((d) => ({ header: DATASET_SHAPE[d].label, align: 'right' as const })),
      { header: `optimum, ${DATASET_SHAPE[spec.dataset].label}`, align: 'right' as const },
    ];
    for (const line of formatTable(header, rows)) ctx.out(line);
  },
};
