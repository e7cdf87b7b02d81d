import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS, type MetricId } from '../../core/benchmark/metrics';
import type { Benchmark } from '../../core/benchmark/benchmark';
import { DATASET_IDS, DATASET_SHAPE, type DatasetId } from '../../core/space/cost';
import { completePairs } from '../../core/stats/ranks';
import {
  correlation,
  correlationMatrix,
  CORRELATION_METHODS,
  type CorrelationMethod,
} from '../../core/stats/correlation';
import { datasetOption, parseDataset, parseMetric, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { coefficient, formatTable } from '../format/table';
import { readSweepFile, SweepFileError, type SweepRow } from '../../core/ntk/sweepFile';
import { LEADERBOARD_OPTIONS, LEADERBOARD_OPTIONS_HELP, printLeaderboard } from '../leaderboard/printLeaderboard';
import {
  isNtkMetricText,
  ntkMetricColumn,
  ntkMetricsInSweep,
  NTK_METRIC_SYNTAX,
  parseNtkMetric,
  type NtkMetric,
} from '../../core/ntk/sweepMetrics';

/** A metric of a dataset; written `metric` (the --dataset one) or `dataset:metric`; or an NTK score from --ntk. */
interface Series {
  readonly dataset: DatasetId;
  readonly metric: MetricId;
  readonly label: string;
  readonly ntk?: NtkMetric;
}

function parseSeries(text: string, dataset: DatasetId | undefined, qualify: boolean, ntk?: NtkSweep): Series {
  if (isNtkMetricText(text)) {
    const m = parseNtkMetric(text);
    if (!m) throw new CliError(`Unknown NTK metric '${text}'. Write ${NTK_METRIC_SYNTAX}.`);
    if (!ntk) throw new CliError(`Metric '${text}' needs --ntk FILE (a robust-nas ntk-sweep results file).`);
    return { dataset: ntk.dataset, metric: 'clean', label: text, ntk: m };
  }
  const colon = text.indexOf(':');
  // `std:pgd` is a metric id, not dataset `std`: only split when the part before the colon is a dataset.
  const prefix = colon > 0 ? text.slice(0, colon) : '';
  const isQualified = colon > 0 && !text.startsWith('std:');
  const d = isQualified ? parseDataset(prefix) : dataset;
  if (!d)
    throw new CliError(
      `Metric '${text}' needs a dataset: pass --dataset, or write it as dataset:metric (e.g. cifar10:pgd@8).`,
    );
  const metric = parseMetric(isQualified ? text.slice(colon + 1) : text);
  return { dataset: d, metric, label: qualify || isQualified ? `${d}:${metric}` : metric };
}

/** An ntk-sweep file loaded for correlation. */
interface NtkSweep {
  readonly rows: ReadonlyMap<number, SweepRow>;
  readonly dataset: DatasetId;
}

function loadNtkSweep(path: string): NtkSweep {
  try {
    const { header, rows } = readSweepFile(path);
    const config = header.config as { inputs?: { dataset?: DatasetId } };
    return { rows, dataset: config.inputs?.dataset ?? 'cifar10' };
  } catch (e) {
    if (e instanceof SweepFileError) throw new CliError(e.message);
    throw e;
  }
}

function seriesColumn(bench: Benchmark, s: Series, ntk: NtkSweep | undefined): Float64Array {
  return s.ntk && ntk ? ntkMetricColumn(ntk.rows, bench.evaluatedIndices, s.ntk) : bench.column(s.dataset, s.metric);
}

function completeCount(bench: Benchmark, series: readonly Series[], ntk?: NtkSweep): number {
  const cols = series.map((s) => seriesColumn(bench, s, ntk));
  let n = 0;
  for (let p = 0; p < bench.evaluatedIndices.length; p++) if (cols.every((c) => !Number.isNaN(c[p]))) n++;
  return n;
}

export const corrCommand: CliCommand = {
  name: 'corr',
  summary: 'rank correlation between metrics, datasets, or adversarial vs standard training',
  usage:
    'corr SWEEP_FILE... [--dataset D] [--metrics LIST] [--bootstrap B] [--kendall-ci] [--ensemble K] [--limit K] [--json]\n       corr --dataset D [--metrics m1,m2,...] [--method spearman|kendall|pearson] [--json]\n       corr --across-datasets METRIC [--method ...] [--json]\n       corr --dataset D --adv-vs-std [--method ...] [--json]',
  description:
    'Correlation over the 6,466 evaluated cells (pairs where a value is missing are left out). Metrics may be written dataset:metric to mix datasets. ' +
    '--across-datasets compares one metric between CIFAR-10, CIFAR-100 and ImageNet16-120; --adv-vs-std puts the adversarially trained metrics (rows) ' +
    'against the standard-training ones of Jung et al. 2023 (columns).',
  options: {
    dataset: { type: 'string' },
    metrics: { type: 'string' },
    method: { type: 'string' },
    'across-datasets': { type: 'string' },
    'adv-vs-std': { type: 'boolean' },
    ntk: { type: 'string' },
    'ntk-vs-accuracy': { type: 'boolean' },
    ...LEADERBOARD_OPTIONS,
  },
  optionsHelp: [
    ['--dataset D', 'cifar10, cifar100 or imagenet16-120'],
    [
      '--metrics LIST',
      `comma-separated metric ids, params and flops included (default: ${ADVERSARIAL_METRIC_IDS.join(',')})`,
    ],
    ['--method NAME', 'spearman (default), kendall (tau-b) or pearson'],
    ['--across-datasets M', 'one metric across the three datasets'],
    ['--adv-vs-std', 'adversarial metrics against standard-training metrics'],
    [
      '--ntk FILE',
      'an ntk-sweep results file; its scores can then be used as metrics (ntk:robust, ntk:twice.condition, ntk:knas, ...)',
    ],
    [
      '--ntk-vs-accuracy',
      "with --ntk: every NTK score in the file (rows) against every accuracy metric (columns), the paper's Figure 5",
    ],
    ...LEADERBOARD_OPTIONS_HELP,
  ],
  examples: [
    'corr proxies.jsonl --limit 10',
    'corr --dataset cifar10 --metrics clean,pgd@8,autoattack',
    'corr --dataset cifar10 --metrics params,flops,clean,pgd@8',
    'corr --dataset cifar10 --ntk ntk-proxy.jsonl --ntk-vs-accuracy',
    'corr --dataset cifar10 --ntk ntk.jsonl --metrics ntk:clean,ntk:robust,pgd@8',
    'corr --across-datasets autoattack --method kendall',
    'corr --dataset cifar100 --adv-vs-std --json',
  ],
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      const clash = ['method', 'across-datasets', 'adv-vs-std', 'ntk', 'ntk-vs-accuracy'].filter(
        (o) => ctx.values[o] !== undefined,
      );
      if (clash.length)
        throw new CliError(
          `corr SWEEP_FILE prints the proxy leaderboard (Spearman and Kendall); it does not take ${clash.map((o) => `--${o}`).join(', ')}.`,
        );
      return printLeaderboard(ctx, ctx.positionals);
    }
    const leaderboardOnly = Object.keys(LEADERBOARD_OPTIONS).filter((o) => ctx.values[o] !== undefined);
    if (leaderboardOnly.length)
      throw new CliError(
        `${leaderboardOnly.map((o) => `--${o}`).join(', ')} apply to the proxy leaderboard: pass the sweep file, e.g. robust-nas corr proxies.jsonl.`,
      );
    const methodText = stringOption(ctx.values, 'method') ?? 'spearman';
    if (!(CORRELATION_METHODS as readonly string[]).includes(methodText))
      throw new CliError(`--method must be one of ${CORRELATION_METHODS.join(', ')}, got '${methodText}'.`);
    const method = methodText as CorrelationMethod;
    const across = stringOption(ctx.values, 'across-datasets');
    const advVsStd = ctx.values['adv-vs-std'] === true;
    if (across !== undefined && (advVsStd || ctx.values.metrics !== undefined))
      throw new CliError('--across-datasets cannot be combined with --metrics or --adv-vs-std.');
    const ntkPath = stringOption(ctx.values, 'ntk');
    const ntk = ntkPath === undefined ? undefined : loadNtkSweep(ntkPath);
    const ntkVsAccuracy = ctx.values['ntk-vs-accuracy'] === true;
    if (ntkVsAccuracy && (!ntk || across !== undefined || advVsStd || ctx.values.metrics !== undefined))
      throw new CliError(
        '--ntk-vs-accuracy needs --ntk FILE and --dataset, and no --metrics, --across-datasets or --adv-vs-std.',
      );

    let rows: Series[];
    let cols: Series[] | undefined;
    if (ntkVsAccuracy && ntk) {
      const dataset = datasetOption(ctx.values);
      const ids = ntkMetricsInSweep(ntk.rows);
      if (ids.length === 0) throw new CliError(`${ntkPath} has no results yet.`);
      rows = ids.map((t) => parseSeries(t, dataset, false, ntk));
      cols = ADVERSARIAL_METRIC_IDS.map((m) => ({ dataset, metric: m, label: m }));
    } else if (across !== undefined) {
      const metric = parseMetric(across);
      rows = DATASET_IDS.map((d) => ({ dataset: d, metric, label: `${d}:${metric}` }));
    } else if (advVsStd) {
      if (ctx.values.metrics !== undefined) throw new CliError('--adv-vs-std uses every metric; drop --metrics.');
      const dataset = datasetOption(ctx.values);
      rows = ADVERSARIAL_METRIC_IDS.map((m) => ({ dataset, metric: m, label: m }));
      cols = STANDARD_METRIC_IDS.filter((m) => !(m === 'std:corruption' && dataset === 'imagenet16-120')).map((m) => ({
        dataset,
        metric: m,
        label: m,
      }));
    } else {
      const text = stringOption(ctx.values, 'metrics');
      const dataset = ctx.values.dataset === undefined ? undefined : datasetOption(ctx.values);
      const list =
        text === undefined
          ? [...ADVERSARIAL_METRIC_IDS]
          : text
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      if (list.length < 2) throw new CliError('--metrics needs at least two metrics, comma-separated.');
      rows = list.map((t) => parseSeries(t, dataset, false, ntk));
    }

    const bench = await ctx.benchmark();
    const column = (s: Series) => seriesColumn(bench, s, ntk);
    const labels = rows.map((s) => s.label);
    let matrix: number[][];
    if (cols) {
      matrix = rows.map((r) => cols.map((c) => correlation(method, column(r), column(c))));
    } else {
      matrix = correlationMatrix(rows.map(column), method);
    }
    const pairs = cols ? completePairs(column(rows[0]), column(cols[0]))[0].length : completeCount(bench, rows, ntk);
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          cols
            ? { method, n: pairs, metrics: labels, columns: cols.map((c) => c.label), matrix }
            : { method, n: pairs, metrics: labels, matrix },
          null,
          2,
        ),
      );
      return;
    }
    // Text headers name benchmark metrics by their labels, which carry the eps (`Std PGD@1`, `AutoAttack@8`); the JSON
    // keeps the ids users pass back to --metrics.
    const shown = (s: Series) => (!s.ntk && s.label === s.metric ? METRIC_INFO[s.metric].label : s.label);
    const colLabels = (cols ?? rows).map(shown);
    const where =
      across !== undefined
        ? `${METRIC_INFO[rows[0].metric].label} across datasets`
        : `on ${[...new Set([...rows, ...(cols ?? [])].map((r) => DATASET_SHAPE[r.dataset].label))].join(', ')}`;
    ctx.out(
      `${method === 'kendall' ? 'Kendall tau-b' : method[0].toUpperCase() + method.slice(1)} correlation ${where} (${pairs} cells):`,
    );
    const table = formatTable(
      [{ header: '' }, ...colLabels.map((l) => ({ header: l, align: 'right' as const }))],
      matrix.map((row, i) => [shown(rows[i]), ...row.map(coefficient)]),
    );
    for (const line of table) ctx.out(line);
  },
};
