import {
  ACCURACY_METRIC_IDS,
  isAccuracyMetricId,
  METRIC_INFO,
  type AccuracyMetricId,
  type MetricId,
} from '../../core/benchmark/metrics';
import {
  computeLeaderboard,
  ENSEMBLE_ID,
  type Leaderboard,
  type LeaderboardEntry,
} from '../../core/leaderboard/leaderboard';
import { accuracyTargets, costProxyColumns, sweepScoreColumns } from '../../core/leaderboard/proxyColumns';
import { readSweepFile, SweepFileError } from '../../core/ntk/sweepFile';
import { sweepSetting } from '../../core/ntk/sweepMetricSet';
import { DATASET_SHAPE, type DatasetId } from '../../core/space/cost';
import { intOption, parseDataset, stringOption } from '../args';
import type { CommandContext } from '../command';
import { CliError } from '../errors';
import { coefficient, count, formatTable } from '../format/table';

/** The options `corr FILE` adds to corr's. */
export const LEADERBOARD_OPTIONS = {
  bootstrap: { type: 'string' },
  'bootstrap-seed': { type: 'string' },
  'kendall-ci': { type: 'boolean' },
  ensemble: { type: 'string' },
  limit: { type: 'string' },
} as const;

export const LEADERBOARD_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  [
    'corr FILE...',
    'the proxy leaderboard of proxy-sweep / ntk-sweep files (their proxies side by side, joined by class; params, FLOPs) against every accuracy metric',
  ],
  ['--bootstrap B', 'bootstrap resamples for the 95% intervals (default 1000; 0: none)'],
  ['--bootstrap-seed S', 'seed of the resamples (default 0)'],
  ['--kendall-ci', "also bootstrap Kendall's tau (much slower: an O(n log n) count per resample instead of O(n))"],
  ['--ensemble K', 'how many of the best proxies the rank-sum ensemble and the vote combine (default 3; 0: none)'],
  ['--limit K', 'show the K best proxies per metric (default: all)'],
];

const interval = (e: LeaderboardEntry, which: 'spearmanCi' | 'kendallCi') => {
  const ci = e[which];
  return ci ? `[${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]` : '';
};

/** `robust-nas corr FILE...`: loads the sweeps, computes the leaderboard of all their proxies and prints it (or its JSON). */
export async function printLeaderboard(ctx: CommandContext, paths: readonly string[]): Promise<void> {
  const files = paths.map((path) => {
    let contents;
    try {
      contents = readSweepFile(path);
    } catch (e) {
      if (e instanceof SweepFileError) throw new CliError(e.message);
      throw e;
    }
    if (contents.rows.size === 0)
      throw new CliError(`${path} has no results yet; run (or resume) the sweep that writes it first.`);
    return { path, contents, setting: sweepSetting(contents) };
  });
  const datasetText = stringOption(ctx.values, 'dataset');
  const datasets = [...new Set(files.map((f) => f.setting.dataset))];
  if (datasetText === undefined && datasets.length > 1) {
    throw new CliError(
      `the sweep files were computed on ${datasets.join(' and ')}-shaped networks; pass --dataset D to say which accuracies to rank them by.`,
    );
  }
  const dataset: DatasetId = datasetText === undefined ? datasets[0] : parseDataset(datasetText);
  const resamples = intOption(ctx.values, 'bootstrap', 1000, 0, 100000);
  const seed = intOption(ctx.values, 'bootstrap-seed', 0, 0, 2 ** 32 - 1);
  const ensembleSize = intOption(ctx.values, 'ensemble', 3, 0, 20);
  const limit = ctx.values.limit === undefined ? Infinity : intOption(ctx.values, 'limit', 0, 1);
  const metricsText = stringOption(ctx.values, 'metrics');
  let only: AccuracyMetricId[] | undefined;
  if (metricsText !== undefined) {
    only = metricsText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((m) => {
        if (!isAccuracyMetricId(m))
          throw new CliError(
            `'${m}' in --metrics is not an accuracy metric; with a sweep file, --metrics names the accuracies to rank proxies by: ${ACCURACY_METRIC_IDS.join(', ')}.`,
          );
        return m;
      });
  }

  const bench = await ctx.benchmark();
  // Several files: their scores side by side (e.g. an NTK sweep and a zero-cost one over the same sample), joined by class.
  const owner = new Map<string, string>();
  const proxies = [
    ...files.flatMap((f) =>
      sweepScoreColumns(f.contents, bench).map((c) => {
        const first = owner.get(c.id);
        if (first)
          throw new CliError(
            `${c.id} is in both ${first} and ${f.path}; pass sweep files that hold different proxies (or merge shards of one sweep with robust-nas ntk-merge).`,
          );
        owner.set(c.id, f.path);
        return c;
      }),
    ),
    ...costProxyColumns(bench, dataset),
  ];
  const targets = accuracyTargets(bench, dataset, only);
  const started = performance.now();
  const board = computeLeaderboard(proxies, targets, {
    resamples,
    seed,
    ensembleSize,
    kendallIntervals: ctx.values['kendall-ci'] === true,
  });
  const seconds = (performance.now() - started) / 1000;
  const scored = board.boards.reduce((m, b) => Math.max(m, b.n), 0);
  const shape =
    datasets.length === 1 && datasets[0] !== dataset
      ? ` (the sweep's networks are ${DATASET_SHAPE[datasets[0]].label}-shaped)`
      : '';
  const sources = files.map((f) => ({ path: f.path, setting: f.setting, classes: f.contents.rows.size }));
  if (ctx.json) {
    ctx.out(JSON.stringify({ files: sources, dataset, classes: scored, seconds, ...jsonOf(board) }, null, 2));
    return;
  }
  ctx.out(
    `Proxy leaderboard on ${DATASET_SHAPE[dataset].label}${shape}: ${count(scored)} classes scored by ${files.map((f) => f.path).join(', ')}`,
  );
  for (const f of files) {
    ctx.out(
      `${files.length > 1 ? `${f.path}: ` : 'Proxies computed with: '}${f.setting.label}${f.setting.seed === undefined ? '' : `, seed ${f.setting.seed}`}`,
    );
  }
  ctx.out("params and FLOPs are the full network's (NAS-Bench-201's counts).");
  ctx.out(
    `rho, tau: raw coefficients. dir: the proxy's direction in its paper (+ higher = better, - lower = better); rows are sorted by dir x rho.`,
  );
  ctx.out(`${board.method}; computed in ${seconds.toFixed(1)} s.`);
  for (const b of board.boards) {
    ctx.out('');
    ctx.out(
      `${b.label} (${METRIC_INFO[b.metric as MetricId]?.training === 'standard' ? 'standard training, Jung et al.' : 'adversarial training'}; n = ${count(b.n)})`,
    );
    const shown = b.entries.slice(0, limit);
    const table = formatTable(
      [
        { header: '#', align: 'right' },
        { header: 'proxy' },
        { header: 'dir' },
        { header: 'Spearman rho', align: 'right' },
        { header: '95% CI' },
        { header: 'Kendall tau', align: 'right' },
        ...(board.kendallIntervals ? [{ header: '95% CI' }] : []),
      ],
      shown.map((e, k) => [
        String(k + 1),
        e.proxy,
        e.direction > 0 ? '+' : '-',
        coefficient(e.spearman),
        interval(e, 'spearmanCi'),
        coefficient(e.kendall),
        ...(board.kendallIntervals ? [interval(e, 'kendallCi')] : []),
      ]),
    );
    for (const line of table) ctx.out(line);
    if (b.vote) {
      ctx.out(
        `${ENSEMBLE_ID}: the sum of the ranks under ${b.vote.members.join(', ')}. Their vote (Abdelfattah et al.) orders ` +
          `${(100 * b.vote.pairwiseAccuracy).toFixed(1)}% of ${count(b.vote.pairs)} ordered pairs correctly (2p-1 = ${b.vote.kendallScale.toFixed(3)}, Kendall's scale).`,
      );
    }
  }
  if (board.ensembleSize > 0) {
    ctx.out('');
    ctx.out(
      `The ensemble and the vote combine the ${board.ensembleSize} best proxies of each metric (params and FLOPs excluded), chosen on the same data.`,
    );
  }
}

function jsonOf(board: Leaderboard) {
  return {
    method: board.method,
    resamples: board.resamples,
    seed: board.seed,
    level: board.level,
    ensembleSize: board.ensembleSize,
    kendallIntervals: board.kendallIntervals,
    metrics: board.boards.map((b) => ({ metric: b.metric, label: b.label, n: b.n, entries: b.entries, vote: b.vote })),
  };
}
