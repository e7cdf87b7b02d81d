import type { DatasetDescriptor, DistributionResult, MetricDescriptor } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import type { ChartOption } from './echarts';
import { axisStyle, baseOption, escapeHtml, tooltipStyle } from './chartStyle';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** Dataset colours: distinct chart colours that are neither the diverging ends nor the highlight. */
function datasetColours(c: ThemeColours): string[] {
  return [c.ops[1], c.ops[2], c.ops[4]];
}

/** Box plots of each metric per dataset (the paper's overview of the benchmark), one box per dataset and metric. */
export function boxOption(r: DistributionResult, metrics: readonly MetricDescriptor[], datasets: readonly DatasetDescriptor[], c: ThemeColours): ChartOption {
  const labels = r.metrics.map((id) => metrics.find((m) => m.id === id)?.label ?? id);
  const axis = axisStyle(c);
  const colours = datasetColours(c);
  return {
    ...baseOption(c),
    title: { ...baseOption(c).title, text: 'Distribution of each metric over the 6,466 cells' },
    legend: { top: 28, textStyle: { color: c.foreground } },
    tooltip: {
      ...tooltipStyle(c),
      trigger: 'item',
      formatter: (p: { seriesName: string; name: string; data: { n: number; value: number[] } }) => {
        const [min, q1, med, q3, max] = p.data.value;
        return `<b>${escapeHtml(p.name)}</b> on ${escapeHtml(p.seriesName)} (${p.data.n.toLocaleString('en-US')} cells)<br/>max ${pct(max)}<br/>Q3 ${pct(q3)}<br/>median ${pct(med)}<br/>Q1 ${pct(q1)}<br/>min ${pct(min)}`;
      },
    },
    grid: { left: 70, right: 30, top: 64, bottom: 70 },
    xAxis: { type: 'category', data: labels, ...axis, axisLabel: { ...axis.axisLabel, rotate: labels.length > 6 ? 30 : 0, interval: 0 }, splitLine: { show: false } },
    yAxis: { type: 'value', name: 'Accuracy', scale: true, ...axis, axisLabel: { ...axis.axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: datasets.map((d, k) => ({
      type: 'boxplot',
      name: d.label,
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: colours[k], borderWidth: 1.5 },
      data: r.metrics.map((id) => {
        const s = r.series.find((x) => x.metric === id && x.dataset === d.id);
        return s ? { value: [...s.box], n: s.n } : { value: [], n: 0 };
      }),
    })),
  };
}

/** Histograms as small multiples: one panel per metric, one line per dataset, bins shared by the datasets. */
export function histogramOption(r: DistributionResult, metrics: readonly MetricDescriptor[], datasets: readonly DatasetDescriptor[], c: ThemeColours): ChartOption {
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
    title.push({ text: metrics.find((m) => m.id === id)?.label ?? id, left: `${left + 96 / cols / 2 - 2}%`, top: `${top}%`, textStyle: { color: c.foreground, fontSize: 12, fontWeight: 600 }, textAlign: 'center' });
    xAxis.push({ type: 'value', gridIndex: k, scale: true, ...axis, axisLabel: { ...axis.axisLabel, fontSize: 10, formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { show: false } });
    yAxis.push({ type: 'value', gridIndex: k, ...axis, axisLabel: { ...axis.axisLabel, fontSize: 10 } });
    datasets.forEach((d, j) => {
      const s = r.series.find((x) => x.metric === id && x.dataset === d.id);
      if (!s) return;
      series.push({
        type: 'line', name: d.label, xAxisIndex: k, yAxisIndex: k, step: 'middle', symbol: 'none',
        lineStyle: { color: colours[j], width: 1.5 }, itemStyle: { color: colours[j] }, areaStyle: { color: colours[j], opacity: 0.12 },
        data: s.histogram.count.map((n, b) => [(s.histogram.x0[b] + s.histogram.x1[b]) / 2, n]),
      });
    });
  });
  return {
    ...baseOption(c),
    title,
    legend: { bottom: 0, textStyle: { color: c.foreground }, data: datasets.map((d) => d.label) },
    tooltip: { ...tooltipStyle(c), trigger: 'axis', valueFormatter: (v: number) => `${v} cells` },
    grid, xAxis, yAxis, series,
  };
}
