import { METRIC_INFO } from '../../core/benchmark/metrics';
import { formatConstraint } from '../../core/benchmark/parseConstraints';
import { DATASET_SHAPE } from '../../core/space/cost';
import { datasetOption, intOption, parseMetric, requiredOption, whereOption } from '../args';
import type { CliCommand } from '../command';
import { formatTable, metricValue } from '../format/table';

export const WHERE_HELP: readonly [string, string] = [
  '--where TEXT',
  "constraints, comma-separated: 'edge 2->3 = skip', 'edge 1->2 != none', 'has conv3x3', 'no avg_pool'",
];

export const topCommand: CliCommand = {
  name: 'top',
  summary: 'the best k cells by one metric, optionally constrained',
  usage: 'top --dataset D --metric M [-k K] [--where TEXT] [--json]',
  description:
    "Ranks the 6,466 evaluated cells by a metric, best first: highest accuracy, or lowest params / FLOPs (NAS-Bench-201's counts, " +
    'ties by index). With --where, a class qualifies when any of its isomorphic members meets the ' +
    "constraints, and that member (smallest index) is listed; its rank is still among all cells. A listed member's params and FLOPs are its own.",
  options: {
    dataset: { type: 'string' },
    metric: { type: 'string' },
    k: { type: 'string', short: 'k' },
    where: { type: 'string' },
  },
  optionsHelp: [
    ['--dataset D', 'cifar10, cifar100 or imagenet16-120'],
    ['--metric M', 'e.g. clean, pgd@8, autoattack, std:pgd, params, flops'],
    ['-k K', 'how many (default 10)'],
    WHERE_HELP,
  ],
  examples: [
    'top --dataset cifar10 --metric pgd@8 -k 5',
    "top --dataset cifar10 --metric params --where 'has conv3x3'",
    "top --dataset cifar100 --metric autoattack --where 'no avg_pool, edge 2->3 = skip'",
  ],
  async run(ctx) {
    const dataset = datasetOption(ctx.values);
    const metric = parseMetric(requiredOption(ctx.values, 'metric'));
    const k = intOption(ctx.values, 'k', 10, 0, 15625);
    const constraints = whereOption(ctx.values);
    const bench = await ctx.benchmark();
    const top = bench.topK(dataset, metric, k, constraints);
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          {
            dataset,
            metric,
            k,
            where: constraints.map(formatConstraint),
            results: top.map((r) => ({
              rank: r.rank,
              index: r.arch.index,
              representativeIndex: r.arch.representativeIndex,
              value: r.value,
              code: r.arch.code,
              string: r.arch.archString,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    ctx.out(
      `Top ${top.length} by ${METRIC_INFO[metric].label} on ${DATASET_SHAPE[dataset].label}${constraints.length ? ` where ${constraints.map(formatConstraint).join(', ')}` : ''}:`,
    );
    const rows = top.map((r) => [
      String(r.rank),
      String(r.arch.index),
      metricValue(metric, r.value),
      r.arch.code,
      r.arch.archString,
    ]);
    for (const line of formatTable(
      [
        { header: 'rank', align: 'right' },
        { header: 'index', align: 'right' },
        { header: METRIC_INFO[metric].label, align: 'right' },
        { header: 'code' },
        { header: 'string' },
      ],
      rows,
    ))
      ctx.out(line);
  },
};
