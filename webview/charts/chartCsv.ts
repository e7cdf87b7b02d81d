import type { ChartsCells, CorrelationMatrixData, DistributionResult, NtkFigureData, ScatterResult } from '../../src/shared/webviewMessages';
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

/** NTK vs accuracy: one line per NTK metric, its dataset, the correlation with each accuracy and the classes behind it. */
export function ntkFigureCsv(d: NtkFigureData): string {
  const lines = [csvLine(['ntk_metric', 'label', 'dataset', ...d.colIds, ...d.colIds.map((c) => `classes:${c}`)])];
  d.rowIds.forEach((id, i) => lines.push(csvLine([id, d.rowLabels[i], d.rowDatasets[i], ...d.matrix[i], ...d.pairs[i]])));
  return lines.join('\n') + '\n';
}
