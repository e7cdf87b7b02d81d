import type { CorrelationMatrixData } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import { axisStyle, baseOption, divergingFill, escapeHtml, labelColourOn, tooltipStyle } from './chartStyle';

/** Correlation matrix as a heatmap: every cell shows its value (2 decimals) on a diverging scale centred on 0. */
export function heatmapOption(data: CorrelationMatrixData, methodLabel: string, c: ThemeColours): ChartOption {
  const n = data.labels.length;
  const cells = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = data.matrix[i][j];
      const fill = v === null ? c.background : divergingFill(c, v);
      cells.push({ value: [j, i, v ?? '-'], itemStyle: { color: fill }, label: { color: labelColourOn(fill) } });
    }
  }
  const axis = axisStyle(c);
  return {
    ...baseOption(c),
    title: { ...baseOption(c).title, text: data.title },
    tooltip: {
      ...tooltipStyle(c),
      formatter: (p: { value: [number, number, number | '-'] }) => {
        const [j, i, v] = p.value;
        const value = typeof v === 'number' ? v.toFixed(4) : 'undefined (too few values)';
        return `${escapeHtml(data.labels[i])} vs ${escapeHtml(data.labels[j])}<br/>${escapeHtml(methodLabel)} = ${value}<br/>over ${data.pairs[i][j].toLocaleString('en-US')} cells`;
      },
    },
    grid: { left: 120, right: 90, top: 44, bottom: 100, containLabel: false },
    // NTK metric names carry their sweep's setting: long names are cut on the axes, the tooltip has them whole.
    xAxis: { type: 'category', data: data.labels, ...axis, axisLabel: { ...axis.axisLabel, rotate: 35, interval: 0, width: 150, overflow: 'truncate' }, splitLine: { show: false } },
    yAxis: { type: 'category', data: data.labels, inverse: true, ...axis, axisLabel: { ...axis.axisLabel, interval: 0, width: 112, overflow: 'truncate' }, splitLine: { show: false } },
    visualMap: {
      type: 'continuous', min: -1, max: 1, calculable: false, orient: 'vertical', right: 10, top: 'middle', itemHeight: 220,
      text: ['+1', '−1'], textStyle: { color: c.foreground }, inRange: { color: [c.diverging[0], c.diverging[1], c.diverging[2]] },
      // Same three stops as divergingFill, which picks each label's readable text colour.
      seriesIndex: 0,
    },
    series: [{
      type: 'heatmap',
      name: 'correlation',
      data: cells,
      label: { show: true, fontSize: n > 10 ? 11 : 13, formatter: (p: { value: [number, number, number | '-'] }) => (typeof p.value[2] === 'number' ? p.value[2].toFixed(2) : '–') },
      itemStyle: { borderColor: c.lines, borderWidth: 0.5 },
      emphasis: { itemStyle: { borderColor: c.focus, borderWidth: 2 } },
    }],
  };
}
