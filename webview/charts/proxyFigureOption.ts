import type { ProxyCorrelation, ProxyFigureData, ProxyRow } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import {
  axisStyle,
  baseOption,
  correlationScale,
  escapeHtml,
  labelColourOn,
  scaleNote,
  tooltipStyle,
} from './chartStyle';

/** The two sides of the chart: scores on clean inputs X, and on adversarial inputs X′ = attack(X). */
export const PROXY_SIDES = [
  { key: 'clean', title: 'Clean inputs X' },
  { key: 'robust', title: 'Adversarial inputs X′ = attack(X)' },
] as const;

export type ProxyMethod = 'spearman' | 'kendall';

/** The coefficient a cell shows, or null when the variant is absent or the coefficient undefined. */
export function shownValue(c: ProxyCorrelation | null, method: ProxyMethod): number | null {
  return c ? c[method] : null;
}

/** `[0.74, 0.81]`, or '' without an interval. */
export function intervalText(c: ProxyCorrelation | null, method: ProxyMethod): string {
  const ci = c?.[method === 'spearman' ? 'spearmanCi' : 'kendallCi'];
  return ci ? `[${ci[0].toFixed(2)}, ${ci[1].toFixed(2)}]` : '';
}

function rowName(row: ProxyRow): string {
  return row.dataFree ? `${row.label} (data-free)` : row.label;
}

/**
 * Proxies (rows) against accuracy metrics (columns) as two heatmaps side by side, clean variant left and robust
 * variant right, on one colour scale: the layout of the paper's Figure 5 extended to every training-free proxy. Each
 * entry shows the coefficient to 2 decimals; the tooltip gives both coefficients, their intervals and the classes.
 */
export function proxyFigureOption(
  data: ProxyFigureData,
  method: ProxyMethod,
  methodLabel: string,
  c: ThemeColours,
  range: 'auto' | 'fixed',
  width = 900,
): ChartOption {
  const axis = axisStyle(c);
  const names = data.rows.map(rowName);
  const rowLabelWidth = Math.min(260, width / 4, Math.max(...names.map((l) => l.length), 10) * 7.5);
  const gap = 28;
  const right = 90;
  const gridWidth = Math.max(80, (width - rowLabelWidth - 16 - right - gap) / 2);
  const cellWidth = gridWidth / Math.max(1, data.colIds.length);
  const fontSize = cellWidth < 40 ? 9 : cellWidth < 56 ? 11 : 12;
  const subtitleLines = data.subtitle.split('\n').length;
  const top = 40 + 16 * subtitleLines + 34;
  const matrices = PROXY_SIDES.map((side) => data.rows.map((r) => r[side.key].map((x) => shownValue(x, method))));
  const scale = correlationScale([...matrices[0], ...matrices[1]], c, range);
  const lefts = [rowLabelWidth + 16, rowLabelWidth + 16 + gridWidth + gap];
  const series = PROXY_SIDES.map((side, k) => ({
    type: 'heatmap',
    name: side.key,
    xAxisIndex: k,
    yAxisIndex: k,
    data: matrices[k].flatMap((row, i) =>
      row.map((v, j) => {
        const fill = v === null ? c.background : scale.fill(v);
        return { value: [j, i, v ?? '-'], itemStyle: { color: fill }, label: { color: labelColourOn(fill) } };
      }),
    ),
    label: {
      show: true,
      fontSize,
      formatter: (p: { value: [number, number, number | '-'] }) =>
        typeof p.value[2] === 'number' ? p.value[2].toFixed(2) : '–',
    },
    itemStyle: { borderColor: c.lines, borderWidth: 0.5 },
    emphasis: { itemStyle: { borderColor: c.focus, borderWidth: 2 } },
  }));
  const tooltip = (p: { seriesName: string; value: [number, number, number | '-'] }) => {
    const [j, i] = p.value;
    const row = data.rows[i];
    const side = p.seriesName === 'robust' ? 'robust' : 'clean';
    const cell = row[side][j];
    const variant = side === 'robust' ? row.robustLabel : row.cleanLabel;
    if (!cell || !variant)
      return `${escapeHtml(row.label)}<br/>has no ${side === 'robust' ? 'adversarial-input' : 'clean-input'} variant`;
    const line = (m: ProxyMethod, label: string) => {
      const v = cell[m];
      return `${label} = ${v === null ? 'undefined (too few classes, or a constant score)' : v.toFixed(4)} ${intervalText(cell, m)}`;
    };
    return [
      escapeHtml(variant),
      `vs ${escapeHtml(data.colLabels[j])}`,
      line('spearman', "Spearman's ρ"),
      line('kendall', "Kendall's τ-b"),
      `over ${cell.n.toLocaleString('en-US')} classes`,
    ].join('<br/>');
  };
  return {
    ...baseOption(c),
    title: [
      {
        ...baseOption(c).title,
        text: `${data.title} · ${methodLabel}`,
        subtext: `${data.subtitle}\n${scaleNote(scale)}`,
        subtextStyle: { color: c.muted, lineHeight: 16 },
      },
      ...PROXY_SIDES.map((side, k) => ({
        text: side.title,
        left: lefts[k] + gridWidth / 2,
        top: top - 26,
        textAlign: 'center',
        textStyle: { color: c.foreground, fontSize: 12, fontWeight: 600 },
      })),
    ],
    tooltip: { ...tooltipStyle(c), formatter: tooltip },
    grid: lefts.map((left) => ({ left, width: gridWidth, top, bottom: 70, containLabel: false })),
    xAxis: PROXY_SIDES.map((_, k) => ({
      type: 'category',
      gridIndex: k,
      data: data.colLabels,
      position: 'bottom',
      ...axis,
      axisLabel: { ...axis.axisLabel, interval: 0, rotate: cellWidth < 84 ? 30 : 0 },
      splitLine: { show: false },
    })),
    yAxis: PROXY_SIDES.map((_, k) => ({
      type: 'category',
      gridIndex: k,
      data: names,
      inverse: true,
      ...axis,
      // The right grid shares the left one's rows: its labels would only repeat them.
      axisLabel: { ...axis.axisLabel, show: k === 0, interval: 0, width: rowLabelWidth, overflow: 'truncate' },
      splitLine: { show: false },
    })),
    visualMap: {
      type: 'continuous',
      min: scale.min,
      max: scale.max,
      calculable: false,
      orient: 'vertical',
      right: 10,
      top: 'middle',
      itemHeight: 200,
      text: [scale.max.toFixed(scale.auto ? 2 : 0), scale.min.toFixed(scale.auto ? 2 : 0)].map((t) =>
        t.startsWith('-') ? `−${t.slice(1)}` : `+${t}`,
      ),
      textStyle: { color: c.foreground },
      inRange: { color: [...scale.stops] },
      seriesIndex: [0, 1],
    },
    series,
  };
}
