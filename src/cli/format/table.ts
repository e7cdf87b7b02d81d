import { METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';

/** Aligned plain-text tables for terminal output: numbers right-aligned, text left-aligned. */
export type Align = 'left' | 'right';

export interface TableColumn {
  readonly header: string;
  readonly align?: Align;
}

export function formatTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, j) => (columns[j].align === 'right' ? cell.padStart(widths[j]) : cell.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** An accuracy fraction as a percentage with one decimal, e.g. 0.4689 -> `46.9%`. */
export function percent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : 'n/a';
}

/**
 * One metric's value: accuracies as {@link percent}, costs with every digit NAS-Bench-201 gives and its unit
 * (`0.129306 MB`, `15.64737 M`), as its get_cost_info prints them.
 */
export function metricValue(metric: MetricId, value: number): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'fraction') return percent(value);
  return Number.isFinite(value) ? `${value} ${unit}` : 'n/a';
}

/** Mean ± std of one metric over runs: percentages for accuracies, NAS-Bench-201's units (4 decimals) for costs. */
export function metricMeanStd(metric: MetricId, mean: number, std: number): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'fraction') return percentMeanStd(mean, std);
  return Number.isFinite(mean) ? `${mean.toFixed(4)} ± ${std.toFixed(4)} ${unit}` : 'n/a';
}

/** Mean ± std of fractions, as percentages with one decimal. */
export function percentMeanStd(mean: number, std: number): string {
  return Number.isFinite(mean) ? `${(mean * 100).toFixed(1)} ± ${(std * 100).toFixed(1)}%` : 'n/a';
}

/** Large counts with thousands separators: 1,234,567. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A correlation coefficient with three decimals and a sign column. */
export function coefficient(r: number): string {
  return Number.isNaN(r) ? 'n/a' : (r >= 0 ? ' ' : '') + r.toFixed(3);
}
