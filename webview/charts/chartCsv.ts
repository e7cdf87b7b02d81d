import type {
  ChartsCells,
  CorrelationMatrixData,
  DistributionResult,
  ProxyFigureData,
  ScatterResult,
} from '../../src/shared/webviewMessages';
import { csvLine } from '../common/exportFile';

/** The data behind each chart as CSV, full precision, so a figure can be reproduced elsewhere. */

export function matrixCsv(d: CorrelationMatrixData): string {
  const lines = [csvLine(['', ...d.ids])];
  d.ids.forEach((id, i) => lines.push(csvLine([id, ...d.matrix[i]])));
  return lines.join('\n') + '\n';
}

export function scatterCsv(r: ScatterResult, cells: ChartsCells): string {
  const front = new Set(r.pareto);
  const header = ['index', 'arch_string', r.state.scatterX, r.state.scatterY];
  if (r.colour) header.push(r.colour.label);
  header.push('pareto');
  const lines = [csvLine(header)];
  for (let pos = 0; pos < r.x.length; pos++) {
    const row: (string | number | null)[] = [cells.index[pos], cells.archString[pos], r.x[pos], r.y[pos]];
    if (r.colour) {
      const v = r.colour.values[pos];
      row.push(r.colour.categories && v !== null ? r.colour.categories[v] : v);
    }
    row.push(front.has(pos) ? 1 : 0);
    lines.push(csvLine(row));
  }
  return lines.join('\n') + '\n';
}

export function distributionCsv(r: DistributionResult): string {
  const lines = [csvLine(['dataset', 'metric', 'n', 'min', 'q1', 'median', 'q3', 'max'])];
  for (const s of r.series) lines.push(csvLine([s.dataset, s.metric, s.n, ...s.box]));
  return lines.join('\n') + '\n';
}

/**
 * Training-free proxies vs accuracy, one line per (proxy, inputs, accuracy metric): both coefficients with their
 * interval bounds (empty when none was computed) and the classes behind them.
 */
export function proxyFigureCsv(d: ProxyFigureData): string {
  const lines = [
    csvLine([
      'proxy',
      'label',
      'family',
      'inputs',
      'score_metric',
      'dataset',
      'accuracy_metric',
      'classes',
      'spearman',
      'spearman_low',
      'spearman_high',
      'kendall',
      'kendall_low',
      'kendall_high',
    ]),
  ];
  for (const row of d.rows) {
    for (const side of ['clean', 'robust'] as const) {
      // A data-free score has one value: one set of lines, its inputs "none".
      if (row.dataFree && side === 'robust') continue;
      const metric = side === 'clean' ? row.cleanMetric : row.robustMetric;
      row[side].forEach((c, j) => {
        if (!c) return;
        lines.push(
          csvLine([
            row.proxy,
            side === 'clean' ? (row.cleanLabel ?? row.label) : (row.robustLabel ?? row.label),
            row.family,
            row.dataFree ? 'none' : side,
            metric ?? row.proxy,
            d.dataset,
            d.colIds[j],
            c.n,
            c.spearman,
            c.spearmanCi?.[0] ?? null,
            c.spearmanCi?.[1] ?? null,
            c.kendall,
            c.kendallCi?.[0] ?? null,
            c.kendallCi?.[1] ?? null,
          ]),
        );
      });
    }
  }
  return lines.join('\n') + '\n';
}
