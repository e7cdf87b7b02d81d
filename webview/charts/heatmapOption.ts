import type { CorrelationMatrixData } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import {
  axisStyle,
  baseOption,
  correlationHeatmapParts,
  correlationScale,
  escapeHtml,
  scaleNote,
  tooltipStyle,
} from './chartStyle';

/**
 * Correlation matrix as a heatmap: every cell shows its value (2 decimals); colours on the fixed -1..+1 diverging
 * scale or on the range of the off-diagonal values (`auto`, see correlationScale).
 */
export function heatmapOption(
  data: CorrelationMatrixData,
  methodLabel: string,
  c: ThemeColours,
  range: 'auto' | 'fixed' = 'fixed',
): ChartOption {
  const axis = axisStyle(c);
  const scale = correlationScale(data.matrix, c, range, { skipDiagonal: true });
  const heatmap = correlationHeatmapParts(data.matrix, c, data.labels.length > 10 ? 11 : 13, scale);
  return {
    ...baseOption(c),
    title: { ...baseOption(c).title, text: data.title, subtext: scaleNote(scale), subtextStyle: { color: c.muted } },
    tooltip: {
      ...tooltipStyle(c),
      formatter: (p: { value: [number, number, number | '-'] }) => {
        const [j, i, v] = p.value;
        const value = typeof v === 'number' ? v.toFixed(4) : 'undefined (too few values)';
        return `${escapeHtml(data.labels[i])} vs ${escapeHtml(data.labels[j])}<br/>${escapeHtml(methodLabel)} = ${value}<br/>over ${data.pairs[i][j].toLocaleString('en-US')} cells`;
      },
    },
    grid: { left: 120, right: 90, top: 60, bottom: 100, containLabel: false },
    // NTK metric names carry their sweep's setting: long names are cut on the axes, the tooltip has them whole.
    xAxis: {
      type: 'category',
      data: data.labels,
      ...axis,
      axisLabel: { ...axis.axisLabel, rotate: 35, interval: 0, width: 150, overflow: 'truncate' },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      data: data.labels,
      inverse: true,
      ...axis,
      axisLabel: { ...axis.axisLabel, interval: 0, width: 112, overflow: 'truncate' },
      splitLine: { show: false },
    },
    ...heatmap,
  };
}
