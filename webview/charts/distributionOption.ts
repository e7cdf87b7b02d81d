import type { DatasetDescriptor, DistributionResult, MetricDescriptor } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import { axisStyle, baseOption, escapeHtml, tooltipStyle } from './chartStyle';
import { formatNumber } from '../common/dom';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** Dataset colours: distinct chart colours that are neither the diverging ends nor the highlight. */
function datasetColours(c: ThemeColours): string[] {
  return [c.ops[1], c.ops[2], c.ops[4]];
}

/**
 * Box plots of each metric per dataset (the paper's overview of the benchmark), one box per dataset and metric.
 * Params and FLOPs, and NTK scores, when chosen, each get a panel of their own below the accuracies: their values
 * are not fractions and span decades (a log axis when all are positive and span more than two).
 */
export function boxOption(
  r: DistributionResult,
  metrics: readonly MetricDescriptor[],
  datasets: readonly DatasetDescriptor[],
  c: ThemeColours,
): ChartOption {
  const formatOf = (id: string) => metrics.find((m) => m.id === id)?.format ?? 'percent';
  const isCost = (id: string) => metrics.find((m) => m.id === id)?.group === 'cost';
  const groups = [
    r.metrics.filter((id) => formatOf(id) === 'percent'),
    r.metrics.filter((id) => isCost(id)),
    r.metrics.filter((id) => formatOf(id) === 'number' && !isCost(id)),
  ].filter((g) => g.length > 0);
  const axis = axisStyle(c);
  const colours = datasetColours(c);
  // Panels stacked from the legend down, each with room below for its rotated labels.
  const panelHeight = groups.length === 1 ? undefined : groups.length === 2 ? 30 : 19;
  const grid = groups.map((_, k) =>
    panelHeight === undefined
      ? { left: 80, right: 30, top: 64, bottom: 70 }
      : {
          left: 80,
          right: 30,
          top: k === 0 ? 64 : `${(groups.length === 2 ? 56 : 37) + (k - 1) * 31}%`,
          height: `${panelHeight}%`,
        },
  );
  const xAxis = groups.map((ids, k) => {
    const labels = ids.map((id) => metrics.find((m) => m.id === id)?.label ?? id);
    return {
      type: 'category',
      gridIndex: k,
      data: labels,
      ...axis,
      axisLabel: {
        ...axis.axisLabel,
        rotate: labels.length > (formatOf(ids[0]) === 'number' ? 3 : 6) ? 20 : 0,
        interval: 0,
        width: 260,
        overflow: 'truncate',
      },
      splitLine: { show: false },
    };
  });
  const yAxis = groups.map((ids, k) => {
    if (formatOf(ids[0]) === 'percent')
      return {
        type: 'value',
        gridIndex: k,
        name: 'Accuracy',
        scale: true,
        ...axis,
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` },
      };
    const values = r.series
      .filter((x) => ids.includes(x.metric))
      .flatMap((x) => [x.box[0], x.box[4]])
      .filter(Number.isFinite);
    const log = values.length > 0 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) > 100;
    const name = isCost(ids[0]) ? 'Cost (NAS-Bench-201 units)' : 'NTK score';
    return {
      type: log ? 'log' : 'value',
      gridIndex: k,
      name,
      scale: true,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatNumber(v) },
    };
  });
  const series = groups.flatMap((ids, k) =>
    datasets.map((d, j) => ({
      type: 'boxplot',
      name: d.label,
      xAxisIndex: k,
      yAxisIndex: k,
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: colours[j], borderWidth: 1.5 },
      data: ids.map((id) => {
        const s = r.series.find((x) => x.metric === id && x.dataset === d.id);
        return s ? { value: [...s.box], n: s.n, format: formatOf(id) } : { value: [], n: 0, format: formatOf(id) };
      }),
    })),
  );
  return {
    ...baseOption(c),
    title: { ...baseOption(c).title, text: 'Distribution of each metric over the evaluated cells' },
    legend: { top: 28, textStyle: { color: c.foreground }, data: datasets.map((d) => d.label) },
    tooltip: {
      ...tooltipStyle(c),
      trigger: 'item',
      formatter: (p: {
        seriesName: string;
        name: string;
        data: { n: number; value: number[]; format: 'percent' | 'number' };
      }) => {
        const [min, q1, med, q3, max] = p.data.value;
        const f = (v: number) => (p.data.format === 'number' ? formatNumber(v) : pct(v));
        return `<b>${escapeHtml(p.name)}</b> on ${escapeHtml(p.seriesName)} (${p.data.n.toLocaleString('en-US')} cells)<br/>max ${f(max)}<br/>Q3 ${f(q3)}<br/>median ${f(med)}<br/>Q1 ${f(q1)}<br/>min ${f(min)}`;
      },
    },
    grid,
    xAxis,
    yAxis,
    series,
  };
}

/** Histograms as small multiples: one panel per metric, one line per dataset, bins shared by the datasets. */
export function histogramOption(
  r: DistributionResult,
  metrics: readonly MetricDescriptor[],
  datasets: readonly DatasetDescriptor[],
  c: ThemeColours,
): ChartOption {
  const cols = 3;
  const rows = Math.ceil(r.metrics.length / cols);
  const axis = axisStyle(c);
  const colours = datasetColours(c);
  const grid: object[] = [];
  const xAxis: object[] = [];
  const yAxis: object[] = [];
  const title: object[] = [{ ...baseOption(c).title, text: 'Histograms of each metric per dataset' }];
  const series: object[] = [];
  r.metrics.forEach((id, k) => {
    const row = Math.floor(k / cols);
    const col = k % cols;
    const left = 4 + (col * 96) / cols;
    const top = 12 + (row * 80) / rows;
    grid.push({ left: `${left + 3}%`, width: `${96 / cols - 7}%`, top: `${top + 4}%`, height: `${80 / rows - 13}%` });
    title.push({
      text: metrics.find((m) => m.id === id)?.ntk?.shortLabel ?? metrics.find((m) => m.id === id)?.label ?? id,
      left: `${left + 96 / cols / 2 - 2}%`,
      top: `${top}%`,
      textStyle: { color: c.foreground, fontSize: 12, fontWeight: 600 },
      textAlign: 'center',
    });
    const isNumber = metrics.find((m) => m.id === id)?.format === 'number';
    xAxis.push({
      type: 'value',
      gridIndex: k,
      scale: true,
      ...axis,
      axisLabel: {
        ...axis.axisLabel,
        fontSize: 10,
        formatter: (v: number) => (isNumber ? formatNumber(v) : `${Math.round(v * 100)}%`),
      },
      splitLine: { show: false },
    });
    yAxis.push({ type: 'value', gridIndex: k, ...axis, axisLabel: { ...axis.axisLabel, fontSize: 10 } });
    datasets.forEach((d, j) => {
      const s = r.series.find((x) => x.metric === id && x.dataset === d.id);
      if (!s) return;
      series.push({
        type: 'line',
        name: d.label,
        xAxisIndex: k,
        yAxisIndex: k,
        step: 'middle',
        symbol: 'none',
        lineStyle: { color: colours[j], width: 1.5 },
        itemStyle: { color: colours[j] },
        areaStyle: { color: colours[j], opacity: 0.12 },
        data: s.histogram.count.map((n, b) => [(s.histogram.x0[b] + s.histogram.x1[b]) / 2, n]),
      });
    });
  });
  return {
    ...baseOption(c),
    title,
    legend: { bottom: 0, textStyle: { color: c.foreground }, data: datasets.map((d) => d.label) },
    tooltip: { ...tooltipStyle(c), trigger: 'axis', valueFormatter: (v: number) => `${v} cells` },
    grid,
    xAxis,
    yAxis,
    series,
  };
}
