import type { BenchmarkApi } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS } from '../../core/benchmark/metrics';
import { NTK_STAT_LABEL } from '../../core/ntk/sweepMetricSet';
import { DATASET_IDS, DATASET_SHAPE, type DatasetId } from '../../core/space';
import {
  computeLeaderboard,
  type Leaderboard,
  type LeaderboardEntry,
  type ProxyColumn,
} from '../../core/leaderboard/leaderboard';
import { NTK_STAT_DIRECTION, ZERO_COST_DIRECTION } from '../../core/leaderboard/proxyColumns';
import type { NtkStat } from '../../core/ntk/sweepMetrics';
import type {
  ChartsState,
  MetricDescriptor,
  NtkSweepInfo,
  ProxyCorrelation,
  ProxyFigureResult,
  ProxyRow,
} from '../../shared/webviewMessages';
import type { MetricCatalog } from './metricColumns';

/**
 * The data of the "Training-free proxies vs accuracy" view: every score column of the loaded sweeps (NTK summaries,
 * KNAS, NASWOT, and whatever proxies a sweep holds) plus the parameter count and FLOPs, against the accuracy metrics
 * of the chosen dataset, each proxy's clean and robust variants side by side. Pure function of (benchmark, catalog,
 * state): tested without VS Code.
 */

/** The accuracy metrics a proxy is compared with: the six adversarial ones, then optionally Jung et al.'s. */
export function proxyTargetMetrics(catalog: MetricCatalog, state: ChartsState): string[] {
  const dataset = state.dataset as DatasetId;
  const ids: string[] = [...ADVERSARIAL_METRIC_IDS, ...(state.includeStandard ? STANDARD_METRIC_IDS : [])];
  return ids.filter((id) => catalog.has(dataset, id));
}

/** A score column of a loaded sweep, seen as one variant of a proxy. */
interface ProxyVariant {
  readonly descriptor: MetricDescriptor;
  readonly values: Float64Array;
}

/** The sweep proxies shown on `dataset`: NTK rows with the chosen kernel summary, every other score as it is. */
function sweepVariants(catalog: MetricCatalog, state: ChartsState): ProxyVariant[] {
  const dataset = state.dataset as DatasetId;
  return catalog
    .descriptors()
    .filter((m) => m.ntk && m.datasets.includes(dataset) && (m.ntk.stat === undefined || m.ntk.stat === state.ntkStat))
    .map((descriptor) => ({ descriptor, values: catalog.column(dataset, descriptor.id) }));
}

/**
 * Bootstrap settings of the view's intervals: those `robust-nas corr SWEEP_FILE` uses by default (1,000 resamples,
 * seed 0, 95%), so the editor and the CLI print the same intervals. Kendall's tau is not bootstrapped here (the CLI's
 * `--kendall-ci`: O(n log n) per resample, too slow to wait for in a panel); neither are the ensemble and the vote
 * (O(n^2) per metric), which the CLI prints.
 */
export const PROXY_VIEW_BOOTSTRAP = { resamples: 1000, seed: 0, level: 0.95, ensembleSize: 1 } as const;

/** The direction each proxy's paper ranks by (+1 higher = better), as the leaderboard core reads it. */
function directionOf(m: MetricDescriptor): 1 | -1 {
  const info = m.ntk!;
  if (info.family === 'zc') return ZERO_COST_DIRECTION;
  return info.stat ? NTK_STAT_DIRECTION[info.stat as NtkStat] : 1;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function cellOf(e: LeaderboardEntry | undefined, n: number): ProxyCorrelation {
  if (!e) return { spearman: null, kendall: null, n };
  return {
    spearman: orNull(e.spearman),
    kendall: orNull(e.kendall),
    n: e.n,
    ...(e.spearmanCi && !Number.isNaN(e.spearmanCi.low)
      ? { spearmanCi: [e.spearmanCi.low, e.spearmanCi.high] as const }
      : {}),
    ...(e.kendallCi && !Number.isNaN(e.kendallCi.low)
      ? { kendallCi: [e.kendallCi.low, e.kendallCi.high] as const }
      : {}),
  };
}

/**
 * The leaderboard of the last inputs: a redraw with the other coefficient, a reopened panel or a second request for
 * the same view reuses it instead of bootstrapping again (seconds for a full sweep of many proxies).
 */
let lastBoard: { readonly key: readonly unknown[]; readonly board: Leaderboard } | undefined;

function leaderboardOf(
  proxies: readonly ProxyColumn[],
  targets: readonly { id: string; label: string; values: Float64Array }[],
): Leaderboard {
  const key = [...proxies.map((p) => p.values), ...targets.map((t) => t.values)];
  if (lastBoard && lastBoard.key.length === key.length && lastBoard.key.every((k, i) => k === key[i]))
    return lastBoard.board;
  const board = computeLeaderboard(proxies, targets, PROXY_VIEW_BOOTSTRAP);
  lastBoard = { key, board };
  return board;
}

/**
 * One row per proxy: the sweeps' proxies in the order their files list them (clean and robust variants joined by
 * their shared proxy key), then params and FLOPs. With a sweep loaded, params and FLOPs are compared on the classes
 * the sweeps scored, so every row of the table speaks of the same networks; without one, on all evaluated classes.
 */
export function proxyFigureResult(
  bench: BenchmarkApi,
  catalog: MetricCatalog,
  state: ChartsState,
  sweeps: readonly NtkSweepInfo[] = [],
): ProxyFigureResult {
  const dataset = state.dataset as DatasetId;
  const targetIds = proxyTargetMetrics(catalog, state);
  const targets = targetIds.map((id) => ({
    id,
    label: METRIC_INFO[id as keyof typeof METRIC_INFO]?.label ?? id,
    values: catalog.column(dataset, id),
  }));
  const variants = sweepVariants(catalog, state);
  const order: string[] = [];
  const byProxy = new Map<string, { clean?: ProxyVariant; robust?: ProxyVariant }>();
  for (const v of variants) {
    const key = v.descriptor.ntk!.proxy;
    if (!byProxy.has(key)) {
      byProxy.set(key, {});
      order.push(key);
    }
    byProxy.get(key)![v.descriptor.ntk!.inputs] ??= v;
  }
  // Every score column, then params and FLOPs (the benchmark's counts); the leaderboard core compares them all on
  // the classes the sweeps scored, with the same bootstrap resamples for every entry.
  const columns: ProxyColumn[] = [
    ...variants.map((v) => ({
      id: v.descriptor.id,
      label: v.descriptor.label,
      direction: directionOf(v.descriptor),
      family: v.descriptor.ntk!.family,
      values: v.values,
    })),
    ...(['params', 'flops'] as const).map((cost) => ({
      id: cost,
      label: METRIC_INFO[cost].label,
      direction: 1 as const,
      family: 'cost' as const,
      values: bench.column(dataset, cost),
    })),
  ];
  const board = leaderboardOf(columns, targets);
  const cells = (id: string | undefined) =>
    board.boards.map((b) =>
      id === undefined
        ? null
        : cellOf(
            b.entries.find((e) => e.proxy === id),
            b.n,
          ),
    );
  const rows: ProxyRow[] = order.map((key) => {
    const { clean, robust } = byProxy.get(key)!;
    const info = (clean ?? robust)!.descriptor.ntk!;
    return {
      proxy: key,
      label: info.proxyLabel,
      family: info.family,
      dataFree: false,
      cleanMetric: clean?.descriptor.id,
      robustMetric: robust?.descriptor.id,
      cleanLabel: clean?.descriptor.ntk!.shortLabel,
      robustLabel: robust?.descriptor.ntk!.shortLabel,
      clean: cells(clean?.descriptor.id),
      robust: cells(robust?.descriptor.id),
    };
  });
  for (const cost of ['params', 'flops'] as const) {
    const label = METRIC_INFO[cost].label;
    const both = cells(cost);
    rows.push({
      proxy: cost,
      label,
      family: 'cost',
      dataFree: true,
      cleanLabel: label,
      robustLabel: label,
      clean: both,
      robust: both,
    });
  }

  const shown = sweeps.filter((s) => !s.error && s.dataset === dataset && s.classes > 0);
  const classes = Math.max(0, ...board.boards.map((b) => b.n));
  const statLabel =
    NTK_STAT_LABEL[state.ntkStat as keyof typeof NTK_STAT_LABEL]?.replace(/ \(.*\)$/, '') ?? state.ntkStat;
  const subtitle = [
    ...shown.map((s) => `${s.name}: ${s.setting ?? ''}`),
    `${DATASET_SHAPE[dataset].label}: ${classes.toLocaleString('en-US')} classes${variants.length ? ' scored by the sweeps (params and FLOPs over the same classes)' : ' (no sweep loaded: params and FLOPs over every evaluated class)'}` +
      (variants.some((v) => v.descriptor.ntk!.family === 'ntk') ? ` · NTK rows: ${statLabel}` : ''),
  ].join('\n');
  const otherDatasets = DATASET_IDS.filter(
    (d) => d !== dataset && sweeps.some((s) => !s.error && s.dataset === d && s.classes > 0),
  );
  return {
    type: 'proxies',
    state,
    data: {
      dataset,
      colIds: targetIds,
      colLabels: targets.map((t) => t.label),
      rows,
      title: `Training-free proxies vs accuracy on ${DATASET_SHAPE[dataset].label}`,
      subtitle,
      intervals: `Intervals: ${board.method}.`,
      otherDatasets,
    },
  };
}
