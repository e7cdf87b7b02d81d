import type { BenchmarkApi } from '../../core/benchmark/api';
import { isMetricId } from '../../core/benchmark/metrics';
import { DATASET_SHAPE, type DatasetId } from '../../core/space';
import type { ComparisonRow, ComparisonTable } from '../../shared/webviewMessages';
import { bestRowsPerColumn } from '../comparison/bestPerMetric';
import { benchmarkMetricDescriptors, datasetDescriptors, spaceDescriptor } from './descriptors';

/**
 * The comparison view's table: the pinned cells (in the user's order) x every benchmark metric of one dataset,
 * with the best row(s) of each column, each column's range for the inline bars, and which edges differ from the
 * first pinned cell. Pinned text that no longer resolves (hand-edited state) is left out rather than shown wrong.
 */
export function comparisonTable(bench: BenchmarkApi, pinned: readonly string[], dataset: DatasetId): ComparisonTable {
  const metrics = benchmarkMetricDescriptors(bench).filter((m) => m.datasets.includes(dataset));
  const archs = pinned.flatMap((s) => {
    const r = bench.resolve(s);
    return r.ok ? [r.arch] : [];
  });
  const first = archs[0];
  const rows: ComparisonRow[] = archs.map((arch) => {
    // The cell's own index: accuracies are its class's, params and FLOPs its own (they can differ within a class).
    const values = metrics.map((m) => (isMetricId(m.id) ? bench.metric(arch.index, dataset, m.id) : undefined));
    return {
      archString: arch.archString,
      index: arch.index,
      ops: [...arch.cell],
      values: values.map((v) => v?.value ?? null),
      ranks: values.map((v) => v?.rank ?? null),
      differs: arch.cell.map((op, k) => op !== first.cell[k]),
    };
  });
  const best = bestRowsPerColumn(
    rows.map((r) => r.values.map((v) => v ?? undefined)),
    metrics.length,
    metrics.map((m) => m.direction),
  ).map((s) => [...s].sort((a, b) => a - b));
  const range = metrics.map((_, c) => {
    const vs = rows.map((r) => r.values[c]).filter((v): v is number => v !== null);
    return vs.length ? ([Math.min(...vs), Math.max(...vs)] as [number, number]) : null;
  });
  return {
    type: 'table',
    dataset,
    datasets: datasetDescriptors(),
    metrics,
    space: spaceDescriptor(),
    rows,
    best,
    range,
  };
}

function percent(v: number | null): string {
  return v === null ? '' : (v * 100).toFixed(2);
}

/** The table as GitHub Markdown: accuracies in percent, costs in NAS-Bench-201's units, the best of each column in bold. */
export function comparisonMarkdown(t: ComparisonTable): string {
  const header = [
    '#',
    'index',
    'architecture',
    ...t.metrics.map((m) => (m.format === 'number' ? m.label : `${m.label} (%)`)),
  ];
  const lines = [
    `Robust NAS comparison on ${DATASET_SHAPE[t.dataset].label} (NAS-RobBench-201)`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  t.rows.forEach((r, i) => {
    const text = (v: number, c: number) => (t.metrics[c].format === 'number' ? String(v) : percent(v));
    const cells = r.values.map((v, c) =>
      v === null ? 'n/a' : t.best[c].includes(i) ? `**${text(v, c)}**` : text(v, c),
    );
    lines.push(`| ${i + 1} | ${r.index} | \`${r.archString}\` | ${cells.join(' | ')} |`);
  });
  return lines.join('\n') + '\n';
}

/**
 * The table as CSV: one row per pinned cell, accuracies as fractions exactly as the benchmark has them, params and
 * FLOPs in NAS-Bench-201's units (10^6 parameters, M FLOPs).
 */
export function comparisonCsv(t: ComparisonTable): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['dataset', 'index', 'arch_string', ...t.metrics.map((m) => m.id)].map(quote).join(',')];
  for (const r of t.rows)
    lines.push(
      [t.dataset, String(r.index), r.archString, ...r.values.map((v) => (v === null ? '' : String(v)))]
        .map(quote)
        .join(','),
    );
  return lines.join('\n') + '\n';
}
