import type { ThemeColours } from '../common/theme';
import { mix, textOn } from '../common/theme';

/** ECharts styling taken from the VS Code theme, shared by all chart options. */

export function baseOption(c: ThemeColours) {
  return {
    backgroundColor: c.background,
    animation: false,
    textStyle: { fontFamily: c.font, color: c.foreground },
    title: { left: 'center', top: 4, textStyle: { color: c.foreground, fontSize: 14, fontWeight: 600 as const } },
  };
}

export function axisStyle(c: ThemeColours) {
  return {
    axisLine: { lineStyle: { color: c.lines } },
    axisTick: { lineStyle: { color: c.lines } },
    axisLabel: { color: c.foreground },
    nameTextStyle: { color: c.foreground },
    splitLine: { lineStyle: { color: mix(c.background, c.foreground, 0.12) } },
  };
}

export function tooltipStyle(c: ThemeColours) {
  return {
    backgroundColor: mix(c.background, c.foreground, 0.06),
    borderColor: c.lines,
    textStyle: { color: c.foreground, fontFamily: c.font, fontSize: 12 },
    // The default tooltip markers are HTML with inline style attributes, which the CSP blocks; ours carry none.
    renderMode: 'html' as const,
  };
}

/** Diverging fill for a correlation in [-1, 1]: blue below 0, red above, the page background at 0. */
export function divergingFill(c: ThemeColours, v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(c.diverging[1], c.diverging[0], -t) : mix(c.diverging[1], c.diverging[2], t);
}

export function labelColourOn(fill: string): string {
  return textOn(fill);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The parts every correlation heatmap shares: cells coloured on the diverging scale with a readable label colour,
 * the -1..+1 colour bar, and the heatmap series showing each value to 2 decimals (null: no value, drawn as "–").
 */
export function correlationHeatmapParts(matrix: readonly (readonly (number | null)[])[], c: ThemeColours, fontSize: number): { visualMap: object; series: object[] } {
  const cells = [];
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < matrix[i].length; j++) {
      const v = matrix[i][j];
      const fill = v === null ? c.background : divergingFill(c, v);
      cells.push({ value: [j, i, v ?? '-'], itemStyle: { color: fill }, label: { color: labelColourOn(fill) } });
    }
  }
  return {
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
      label: { show: true, fontSize, formatter: (p: { value: [number, number, number | '-'] }) => (typeof p.value[2] === 'number' ? p.value[2].toFixed(2) : '–') },
      itemStyle: { borderColor: c.lines, borderWidth: 0.5 },
      emphasis: { itemStyle: { borderColor: c.focus, borderWidth: 2 } },
    }],
  };
}
