import type { NtkFigureData } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import { axisStyle, baseOption, correlationHeatmapParts, escapeHtml, tooltipStyle } from './chartStyle';

/**
 * NTK scores (rows) against the accuracy metrics (columns) as a heatmap, the layout of the paper's Figure 5: each
 * entry shows its correlation (2 decimals) on the diverging scale of the other heatmaps; the tooltip gives the full
 * value, the dataset and the number of classes behind it.
 */
export function ntkFigureOption(data: NtkFigureData, methodLabel: string, c: ThemeColours, width = 900): ChartOption {
  const axis = axisStyle(c);
  // Row names with a sweep's setting are long: the axis keeps a readable width and the tooltip has the full name.
  // In a narrow editor group at most a third of the width goes to the row names.
  const rowLabelWidth = Math.min(420, width / 3, Math.max(...data.rowLabels.map((l) => l.length), 10) * 6.5);
  const cellWidth = (width - rowLabelWidth - 16 - 90) / Math.max(1, data.colIds.length);
  const heatmap = correlationHeatmapParts(data.matrix, c, cellWidth < 44 ? 9 : cellWidth < 60 ? 11 : 12);
  return {
    ...baseOption(c),
    title: { ...baseOption(c).title, text: data.title, subtext: data.subtitle, subtextStyle: { color: c.muted, lineHeight: 16 } },
    tooltip: {
      ...tooltipStyle(c),
      formatter: (p: { value: [number, number, number | '-'] }) => {
        const [j, i, v] = p.value;
        const value = typeof v === 'number' ? v.toFixed(4) : 'undefined (too few classes, or a constant score)';
        return `${escapeHtml(data.rowLabels[i])}<br/>vs ${escapeHtml(data.colLabels[j])} on ${escapeHtml(data.rowDatasets[i])}<br/>${escapeHtml(methodLabel)} = ${value}<br/>over ${data.pairs[i][j].toLocaleString('en-US')} classes`;
      },
    },
    grid: { left: rowLabelWidth + 16, right: 90, top: 84, bottom: 70, containLabel: false },
    xAxis: { type: 'category', data: data.colLabels, position: 'bottom', ...axis, axisLabel: { ...axis.axisLabel, interval: 0, rotate: cellWidth < 70 ? 35 : 0 }, splitLine: { show: false } },
    yAxis: {
      type: 'category', data: data.rowLabels, inverse: true, ...axis,
      axisLabel: { ...axis.axisLabel, interval: 0, width: rowLabelWidth, overflow: 'truncate' }, splitLine: { show: false },
    },
    ...heatmap,
  };
}
