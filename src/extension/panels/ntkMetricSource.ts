import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { BenchmarkApi } from '../../core/benchmark/api';
import type { SweepContents } from '../../core/ntk/sweepFile';
import { ntkProxyOf, sweepMetricSet, type SweepMetricSet } from '../../core/ntk/sweepMetricSet';
import type { MetricDescriptor, NtkSweepInfo } from '../../shared/webviewMessages';
import type { MetricSource } from './metricColumns';

/**
 * One loaded NTK sweep file as a source of chart metrics: each variant x summary (and baseline) of the sweep, on the
 * one dataset its inputs had, joined to the benchmark's evaluated cells by isomorphism class in the core.
 */
export interface NtkMetricSource extends MetricSource {
  readonly set: SweepMetricSet;
}

export function ntkMetricSource(
  contents: Pick<SweepContents, 'header' | 'rows'>,
  key: string,
  bench: BenchmarkApi,
): NtkMetricSource {
  const set = sweepMetricSet(contents, key, bench);
  // The first attack of a zero-cost proxy is its robust twin; further attacks are rows of their own.
  const robustTaken = new Set<string>();
  const descriptors: MetricDescriptor[] = set.metrics.map((m) => {
    const of = ntkProxyOf(m.metric, (base) => robustTaken.has(base));
    if ('zeroCost' in m.metric && of.inputs === 'robust' && of.proxy === m.metric.zeroCost.split('@')[0])
      robustTaken.add(of.proxy);
    const proxy = {
      sweep: key,
      shortLabel: m.shortLabel,
      proxy: `${of.proxy.startsWith('zc:') ? '' : 'ntk:'}${of.proxy}@${key}`,
      proxyLabel: of.label,
      inputs: of.inputs,
      family: of.family,
    };
    const metric = m.metric;
    return {
      id: m.id,
      label: m.label,
      description: m.description,
      group: 'ntk',
      datasets: [set.setting.dataset],
      format: 'number',
      ntk:
        'zeroCost' in metric
          ? { ...proxy, zeroCost: metric.zeroCost }
          : 'baseline' in metric
            ? { ...proxy, baseline: metric.baseline }
            : { ...proxy, variant: metric.variant, stat: metric.stat },
    };
  });
  return {
    set,
    descriptors: () => descriptors,
    column: (dataset, id) => (dataset === set.setting.dataset ? set.column(id) : undefined),
  };
}

/** A stable short key per file, so metric ids (and the charts' saved choices) survive reloads and restarts. */
export function sweepFileKey(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 8);
}

/** What the panel lists about a loaded file: its setting and classes, or why it cannot be used. */
export function sweepInfo(
  path: string,
  contents: SweepContents | undefined,
  source: NtkMetricSource | undefined,
  error: string | undefined,
): NtkSweepInfo {
  const setting = source?.set.setting;
  const empty =
    contents && contents.rows.size === 0
      ? `${basename(path)} has no results yet; they appear here as the sweep writes them.`
      : undefined;
  return {
    key: sweepFileKey(path),
    path,
    name: basename(path),
    setting: setting?.label,
    dataset: setting?.dataset,
    classes: source?.set.join.classes ?? 0,
    rows: contents?.rows.size ?? 0,
    partialLastLine: contents?.partialLastLine ?? false,
    error: error ?? empty,
  };
}
