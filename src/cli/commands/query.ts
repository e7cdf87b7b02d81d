import { METRIC_IDS, METRIC_INFO } from '../../core/benchmark/metrics';
import { DATASET_IDS, DATASET_SHAPE, formatNasBench201Cost } from '../../core/space/cost';
import { resolveArch } from '../args';
import type { CliCommand } from '../command';
import { count, formatTable, metricValue } from '../format/table';

/** What one value is, from the metric definitions: `@k` = eps k/255; which columns are single evaluations. */
function evaluationNote(): string {
  const labels = (evaluation: string) =>
    METRIC_IDS.filter((m) => METRIC_INFO[m].evaluation === evaluation).map((m) => METRIC_INFO[m].label);
  return (
    `@k = attack eps k/255. Adversarial training: ${labels('single evaluation').join(', ')} a single evaluation, the other rows means of three seeds; ` +
    "standard training: rounded to 3 decimals. Params and FLOPs: this cell's own, as NAS-Bench-201 counts them, ranked lowest first."
  );
}

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'every metric of one architecture, with rank and percentile, per dataset',
  usage: 'query <arch|index|code|naslib> [--json]',
  description:
    'Looks up one cell in NAS-RobBench-201 (adversarially trained) and in the standard-training results of Jung et al. (2023). ' +
    'Isomorphic cells share the results of their class representative. Ranks: 1 = best of the 6,466 evaluated cells, ties share the best rank; ' +
    'percentile = share of the other cells with a strictly worse value. Params and FLOPs are ranked lowest first.',
  options: {},
  optionsHelp: [],
  examples: [
    "query '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'",
    'query 334131',
    "query '(0, 2, 3, 1, 4, 2)' --json",
  ],
  async run(ctx) {
    const bench = await ctx.benchmark();
    const arch = resolveArch(bench, ctx.positionals[0]);
    const r = bench.results(arch.index);
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          {
            index: arch.index,
            code: arch.code,
            string: arch.archString,
            naslib: arch.naslib,
            representativeIndex: arch.representativeIndex,
            isRepresentative: arch.isRepresentative,
            cost: r.cost,
            metrics: r.metrics,
          },
          null,
          2,
        ),
      );
      return;
    }
    ctx.out(
      `index           ${arch.index}${arch.isRepresentative ? ' (evaluated)' : ` (isomorphic to evaluated index ${arch.representativeIndex})`}`,
    );
    ctx.out(`code            ${arch.code}`);
    ctx.out(`string          ${arch.archString}`);
    ctx.out(`NASLib          (${arch.naslib.join(', ')})`);
    // NAS-Bench-201's units and counter, so the figures equal its api.get_cost_info; the exact counts in brackets.
    for (const d of DATASET_IDS) {
      const nb201 = formatNasBench201Cost(r.cost[d]);
      ctx.out(
        `${DATASET_SHAPE[d].label.padEnd(16)}params ${nb201.params} (${count(r.cost[d].params)}), FLOPs ${nb201.flops} (${count(r.cost[d].flops)})`,
      );
    }
    ctx.out();
    // Per dataset three columns: value, rank among the evaluated cells, percentile.
    const rows = METRIC_IDS.map((m) => [
      METRIC_INFO[m].label,
      ...DATASET_IDS.flatMap((d) => {
        const v = r.metrics[d][m];
        return v ? [metricValue(m, v.value), `#${v.rank}`, v.percentile.toFixed(1)] : ['n/a', '', ''];
      }),
    ]);
    const columns = [
      { header: 'metric' },
      ...DATASET_IDS.flatMap((d) => [
        { header: DATASET_SHAPE[d].label, align: 'right' as const },
        { header: 'rank', align: 'right' as const },
        { header: 'pctl', align: 'right' as const },
      ]),
    ];
    for (const line of formatTable(columns, rows)) ctx.out(line);
    ctx.out();
    ctx.out(
      `rank among ${count(bench.evaluatedIndices.length)} evaluated cells (1 = best: highest accuracy, lowest cost); pctl = % of the other cells strictly worse. Std = standard training (Jung et al. 2023).`,
    );
    ctx.out(evaluationNote());
  },
};
