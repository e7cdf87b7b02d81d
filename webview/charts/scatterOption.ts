import type { ChartsCells, ScatterResult } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import { axisStyle, baseOption, escapeHtml, tooltipStyle } from './chartStyle';
import { formatNumber, formatValue } from '../common/dom';

/** One point: x, y, position into the cells, colour value (or null). */
type Point = [number, number, number, number | null];

export interface ScatterOptions {
  cells: ChartsCells;
  methodLabel: string;
  /** Positions of the architectures in the active editor. */
  marked: readonly number[];
  selected?: number;
  opLabels: readonly string[];
}

function fmt(v: number | null, format: 'percent' | 'number' = 'percent'): string {
  return formatValue(v, format);
}

/**
 * A value axis for one metric: percentages for accuracies; for NTK scores plain numbers, on a log scale when every
 * value is positive and they span more than two decades (norms and condition numbers do), so the cells spread out.
 */
function valueAxis(values: readonly (number | null)[], format: 'percent' | 'number') {
  if (format === 'percent')
    return { type: 'value' as const, scale: true, formatter: (v: number) => `${Math.round(v * 1000) / 10}%` };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const log = lo > 0 && hi / lo > 100;
  return { type: log ? ('log' as const) : ('value' as const), scale: true, formatter: (v: number) => formatNumber(v) };
}

/**
 * Scatter of two metrics over every evaluated cell: coloured by a third metric, by the op on an edge or by the number
 * of none edges; the Pareto front (both axes maximised) as a highlighted line; the editor's cells as diamonds.
 */
export function scatterOption(r: ScatterResult, o: ScatterOptions, c: ThemeColours): ChartOption {
  const points: Point[] = [];
  for (let pos = 0; pos < r.x.length; pos++) {
    const x = r.x[pos];
    const y = r.y[pos];
    // A log axis cannot place zero, negative or infinite values (a singular kernel's condition number).
    if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    points.push([x, y, pos, r.colour ? r.colour.values[pos] : null]);
  }
  const colour = r.colour;
  const categorical = colour?.categories !== undefined;
  // Drawn in one frame (6,466 points take a few ms): progressive drawing leaves frames pending that zrender does not
  // cancel when the chart is disposed (switching to an SVG view, or resized just before), and they then fail.
  const base = {
    type: 'scatter',
    symbolSize: 4,
    large: false,
    progressive: 0,
    itemStyle: { opacity: 0.55 },
    emphasis: { scale: 2.2, itemStyle: { opacity: 1 } },
  };
  const series: object[] = [];
  if (categorical && colour?.categories) {
    colour.categories.forEach((cat, k) => {
      // `none` is drawn in the muted text colour: its usual faint line colour would vanish among 6,466 points.
      const fill = k === 0 ? c.muted : (c.ops[k] ?? c.foreground);
      series.push({
        ...base,
        name: o.opLabels[k] ?? cat,
        data: points.filter((p) => p[3] === k),
        itemStyle: { ...base.itemStyle, color: fill },
      });
    });
  } else {
    series.push({ ...base, name: 'cells', data: points, itemStyle: { ...base.itemStyle, color: c.ops[1] } });
  }
  const paretoPoints = r.pareto.map((pos) => [r.x[pos], r.y[pos], pos, null]);
  // Over a continuous colour scale (which ends in yellow) the front is drawn in the text colour to stay distinct.
  const frontColour = colour && !categorical ? c.foreground : c.highlight;
  series.push({
    type: 'line',
    name: 'Pareto front',
    data: paretoPoints,
    z: 5,
    symbol: 'circle',
    symbolSize: 7,
    lineStyle: { color: frontColour, width: 2 },
    itemStyle: { color: frontColour, borderColor: c.background, borderWidth: 1 },
  });
  const marked = o.marked
    .filter((pos) => r.x[pos] !== null && r.y[pos] !== null)
    .map((pos) => [r.x[pos], r.y[pos], pos, null]);
  series.push({
    type: 'scatter',
    name: 'In the editor',
    data: marked,
    z: 10,
    symbol: 'diamond',
    symbolSize: 14,
    itemStyle: { color: 'rgba(0,0,0,0)', borderColor: c.foreground, borderWidth: 2 },
  });
  if (o.selected !== undefined && r.x[o.selected] !== null && r.y[o.selected] !== null) {
    series.push({
      type: 'scatter',
      name: 'Selected',
      data: [[r.x[o.selected], r.y[o.selected], o.selected, null]],
      z: 11,
      symbol: 'circle',
      symbolSize: 16,
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: c.focus, borderWidth: 3 },
    });
  }
  const axis = axisStyle(c);
  const xAxis = valueAxis(r.x, r.xFormat);
  const yAxis = valueAxis(r.y, r.yFormat);
  const subtitle = `${r.x.filter((v, i) => v !== null && r.y[i] !== null).length.toLocaleString('en-US')} cells with both values · ${o.methodLabel} = ${r.correlation === null ? '–' : r.correlation.toFixed(3)} · Pareto front: ${r.pareto.length} cell${r.pareto.length === 1 ? '' : 's'}`;
  const numericColour = colour && !categorical;
  const numericValues = numericColour ? colour.values.filter((v): v is number => v !== null) : [];
  return {
    ...baseOption(c),
    title: {
      ...baseOption(c).title,
      text: `${r.yLabel} vs ${r.xLabel}`,
      subtext: subtitle,
      subtextStyle: { color: c.muted },
    },
    legend: { bottom: 0, textStyle: { color: c.foreground }, inactiveColor: c.lines },
    tooltip: {
      ...tooltipStyle(c),
      trigger: 'item',
      formatter: (p: { value: Point }) => {
        const pos = p.value[2];
        const lines = [
          `<b>Index ${o.cells.index[pos]}</b>`,
          escapeHtml(o.cells.archString[pos]),
          `${escapeHtml(r.xLabel)}: ${fmt(r.x[pos], r.xFormat)}`,
          `${escapeHtml(r.yLabel)}: ${fmt(r.y[pos], r.yFormat)}`,
        ];
        if (colour) {
          const v = colour.values[pos];
          lines.push(
            `${escapeHtml(colour.label)}: ${v === null ? '–' : colour.categories ? escapeHtml(o.opLabels[v] ?? colour.categories[v]) : colour.label.startsWith('Number') ? String(v) : fmt(v, colour.format)}`,
          );
        }
        lines.push('<i>Click to select; then open its diagram or pin it.</i>');
        return lines.join('<br/>');
      },
    },
    grid: { left: 70, right: numericColour ? 110 : 30, top: 64, bottom: 80 },
    xAxis: {
      type: xAxis.type,
      name: r.xLabel,
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: xAxis.formatter },
    },
    yAxis: {
      type: yAxis.type,
      name: r.yLabel,
      nameLocation: 'middle',
      nameGap: r.yFormat === 'number' ? 62 : 48,
      scale: true,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: yAxis.formatter },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    visualMap: numericColour
      ? {
          type: 'continuous',
          dimension: 3,
          seriesIndex: 0,
          min: Math.min(...numericValues),
          max: Math.max(...numericValues),
          calculable: true,
          right: 8,
          top: 'middle',
          itemHeight: 200,
          text: [colour.label, ''],
          textStyle: { color: c.foreground },
          inRange: { color: c.sequential },
          formatter: (v: number) =>
            colour.label.startsWith('Number')
              ? String(Math.round(v))
              : colour.format === 'number'
                ? formatNumber(v)
                : `${(v * 100).toFixed(1)}%`,
        }
      : undefined,
    series,
  };
}
