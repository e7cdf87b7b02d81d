import { METRIC_INFO } from '../../core/benchmark/metrics';
import { formatConstraint } from '../../core/benchmark/parseConstraints';
import { DATASET_SHAPE } from '../../core/space/cost';
import { datasetOption, parseMetric, requiredOption, whereOption } from '../args';
import type { CliCommand } from '../command';
import { formatTable, percent } from '../format/table';
import { WHERE_HELP } from './top';

export const paretoCommand: CliCommand = {
  name: 'pareto',
  summary: 'cells not beaten on both of two metrics (maximising both)',
  usage: 'pareto --dataset D --x M1 --y M2 [--where TEXT] [--json]',
  description: 'The Pareto front of the evaluated cells when maximising both metrics, sorted by the first metric ascending.',
  options: { dataset: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' }, where: { type: 'string' } },
  optionsHelp: [['--dataset D', 'cifar10, cifar100 or imagenet16-120'], ['--x M1', 'first metric'], ['--y M2', 'second metric'], WHERE_HELP],
  examples: ['pareto --dataset cifar10 --x clean --y autoattack', 'pareto --dataset cifar100 --x std:clean --y pgd@8 --json'],
  async run(ctx) {
    const dataset = datasetOption(ctx.values);
    const x = parseMetric(requiredOption(ctx.values, 'x'));
    const y = parseMetric(requiredOption(ctx.values, 'y'));
    const constraints = whereOption(ctx.values);
    const bench = await ctx.benchmark();
    const front = bench.pareto(dataset, x, y, constraints);
    if (ctx.json) {
      ctx.out(JSON.stringify({
        dataset, x, y, where: constraints.map(formatConstraint),
        points: front.map((p) => ({ index: p.arch.index, representativeIndex: p.arch.representativeIndex, x: p.x, y: p.y, code: p.arch.code, string: p.arch.archString })),
      }, null, 2));
      return;
    }
    ctx.out(`Pareto front of ${METRIC_INFO[x].label} vs ${METRIC_INFO[y].label} on ${DATASET_SHAPE[dataset].label}: ${front.length} cell${front.length === 1 ? '' : 's'}`);
    const rows = front.map((p) => [String(p.arch.index), percent(p.x), percent(p.y), p.arch.code, p.arch.archString]);
    for (const line of formatTable([{ header: 'index', align: 'right' }, { header: METRIC_INFO[x].label, align: 'right' }, { header: METRIC_INFO[y].label, align: 'right' }, { header: 'code' }, { header: 'string' }], rows)) ctx.out(line);
  },
};
