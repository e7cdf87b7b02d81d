import { METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';
import { formatConstraint } from '../../core/benchmark/parseConstraints';
import { DATASET_SHAPE } from '../../core/space/cost';
import { datasetOption, parseMetric, stringOption, whereOption } from '../args';
import { CliError } from '../errors';
import type { CliCommand } from '../command';
import { formatTable, metricValue } from '../format/table';
import { WHERE_HELP } from './top';

/** The two metrics, as `pareto M1 M2` or `--x M1 --y M2`, not both ways and not one of each. */
function metricPair(
  positionals: readonly string[],
  xOption: string | undefined,
  yOption: string | undefined,
): [MetricId, MetricId] {
  if (positionals.length > 0 && (xOption !== undefined || yOption !== undefined)) {
    throw new CliError('Give the two metrics either as positionals (pareto pgd@8 params) or as --x and --y, not both.');
  }
  const texts = positionals.length > 0 ? positionals : [xOption, yOption].filter((t): t is string => t !== undefined);
  if (texts.length !== 2) {
    throw new CliError(
      `pareto needs two metrics, e.g. 'pareto pgd@8 params --dataset cifar10' or --x pgd@8 --y params; got ${texts.length}.`,
    );
  }
  return [parseMetric(texts[0]), parseMetric(texts[1])];
}

export const paretoCommand: CliCommand = {
  name: 'pareto',
  summary: 'cells not beaten on both of two metrics (accuracy maximised, params / FLOPs minimised)',
  usage:
    'pareto M1 M2 --dataset D [--where TEXT] [--json]\n       pareto --dataset D --x M1 --y M2 [--where TEXT] [--json]',
  description:
    'The Pareto front of the evaluated cells, each metric in its own direction: accuracies are maximised, params and FLOPs ' +
    "(NAS-Bench-201's counts) minimised, so `pareto pgd@8 params` is the accuracy-vs-size front of hardware-aware NAS. A cell is " +
    'on the front when no other cell is at least as good on both metrics and better on one; cells with equal values are all kept. ' +
    'Sorted by the first metric ascending.',
  options: { dataset: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' }, where: { type: 'string' } },
  optionsHelp: [
    ['--dataset D', 'cifar10, cifar100 or imagenet16-120'],
    ['--x M1', 'first metric (or the first positional)'],
    ['--y M2', 'second metric (or the second positional)'],
    WHERE_HELP,
  ],
  examples: [
    'pareto pgd@8 params --dataset cifar10',
    'pareto --dataset cifar10 --x clean --y autoattack',
    'pareto --dataset cifar100 --x std:clean --y pgd@8 --json',
  ],
  async run(ctx) {
    const dataset = datasetOption(ctx.values);
    const [x, y] = metricPair(ctx.positionals, stringOption(ctx.values, 'x'), stringOption(ctx.values, 'y'));
    const constraints = whereOption(ctx.values);
    const bench = await ctx.benchmark();
    const front = bench.pareto(dataset, x, y, constraints);
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          {
            dataset,
            x,
            y,
            where: constraints.map(formatConstraint),
            points: front.map((p) => ({
              index: p.arch.index,
              representativeIndex: p.arch.representativeIndex,
              x: p.x,
              y: p.y,
              code: p.arch.code,
              string: p.arch.archString,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    ctx.out(
      `Pareto front of ${METRIC_INFO[x].label} vs ${METRIC_INFO[y].label} on ${DATASET_SHAPE[dataset].label}: ${front.length} cell${front.length === 1 ? '' : 's'}`,
    );
    const rows = front.map((p) => [
      String(p.arch.index),
      metricValue(x, p.x),
      metricValue(y, p.y),
      p.arch.code,
      p.arch.archString,
    ]);
    for (const line of formatTable(
      [
        { header: 'index', align: 'right' },
        { header: METRIC_INFO[x].label, align: 'right' },
        { header: METRIC_INFO[y].label, align: 'right' },
        { header: 'code' },
        { header: 'string' },
      ],
      rows,
    ))
      ctx.out(line);
  },
};
