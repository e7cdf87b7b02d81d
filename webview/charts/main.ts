import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './charts.css';
import type {
  ChartsAnswer,
  ChartsInit,
  ChartsState,
  ChartsToHostMessage,
  ChartsViewId,
  HostToChartsMessage,
  ScatterColour,
  ScatterResult,
} from '../../src/shared/webviewMessages';
import { button, checkbox, el, formatValue, multiSelect, select } from '../common/dom';
import { pngExport, svgToPngBase64, textExport } from '../common/exportFile';
import { onThemeChange, themeColours } from '../common/theme';
import { onHostMessage, vscodeApi } from '../common/vscodeApi';
import { distributionCsv, matrixCsv, proxyFigureCsv, scatterCsv } from './chartCsv';
import { boxOption, histogramOption } from './distributionOption';
import { echarts, type ChartOption } from './echarts';
import { heatmapOption } from './heatmapOption';
import { proxyFigureOption, type ProxyMethod } from './proxyFigureOption';
import { proxyTableElement, type ProxyTableSort } from './proxyTable';
import { scatterOption } from './scatterOption';

/**
 * The correlation charts panel: heatmap of rank correlations, cross-dataset correlations, scatter of two metrics,
 * distributions. The host computes; this page keeps the user's choices (state), asks for data, and draws it.
 */

type ViewResult = ChartsAnswer;

const api = vscodeApi<ChartsState, ChartsToHostMessage>();
const root = document.getElementById('root')!;
let init: ChartsInit | undefined;
let state: ChartsState | undefined;
let result: ViewResult | undefined;
let marked: readonly number[] = [];
let selected: number | undefined;
let chart: ReturnType<typeof echarts.init> | undefined;
let chartRenderer: 'svg' | 'canvas' | undefined;
let option: ChartOption | undefined;
let lastRequestId = 0;

const VIEWS: { id: ChartsViewId; label: string }[] = [
  { id: 'heatmap', label: 'Correlation heatmap' },
  { id: 'cross', label: 'Across datasets' },
  { id: 'scatter', label: 'Scatter' },
  { id: 'distribution', label: 'Distributions' },
  { id: 'proxies', label: 'Training-free proxies vs accuracy' },
];

const chartBox = el('div', { id: 'chart', role: 'img' });
const status = el('div', { class: 'status muted', 'aria-live': 'polite' });
const details = el('div', { class: 'details' });
const errorBox = el('div', { class: 'error', role: 'alert' });
const sweepBar = el('div', { class: 'sweeps' });
/** The proxies view's sortable table (empty in the other views). */
const tableBox = el('div', { class: 'table-box' });
/** The table's order: kept while the page lives (a new answer keeps the user's order). */
let tableSort: ProxyTableSort = { key: 'rho-robust', descending: true };

/** The proxies view shows Spearman's rho or Kendall's tau-b (the table shows both); Pearson reads as Spearman. */
function proxyMethod(): ProxyMethod {
  return state?.method === 'kendall' ? 'kendall' : 'spearman';
}

function methodLabel(): string {
  return init?.methods.find((m) => m.id === state?.method)?.label ?? state?.method ?? '';
}

function setState(next: ChartsState): void {
  state = next;
  api.setState(next);
  errorBox.textContent = '';
  status.textContent = 'Computing…';
  api.postMessage({ type: 'request', state: next, requestId: ++lastRequestId });
  renderToolbar();
}

function metricOptions(dataset?: string) {
  return (init?.metrics ?? [])
    .filter((m) => !dataset || m.datasets.includes(dataset as never))
    .map((m) => ({ value: m.id, label: m.group === 'adversarial' ? m.label : `${m.label}` }));
}

function colourValue(c: ScatterColour): string {
  return c.kind === 'metric' ? `metric:${c.metric}` : c.kind === 'edge-op' ? `edge:${c.edge}` : c.kind;
}

function parseColour(v: string): ScatterColour {
  if (v.startsWith('metric:')) return { kind: 'metric', metric: v.slice(7) };
  if (v.startsWith('edge:')) return { kind: 'edge-op', edge: Number(v.slice(5)) };
  return v === 'none-count' ? { kind: 'none-count' } : { kind: 'none' };
}

/** The loaded NTK sweep files: each with its setting and classes (or its error), a remove button; and an add button. */
function renderSweeps(): void {
  if (!init) return;
  const items = init.sweeps.map((s) => {
    const facts = s.error
      ? []
      : [
          s.setting ?? '',
          `${s.classes.toLocaleString('en-US')} classes`,
          ...(s.partialLastLine ? ['still being written'] : []),
        ];
    const item = el('div', { class: 'sweep', 'data-key': s.key, title: s.path }, [
      el('span', { class: 'sweep-name' }, [s.name]),
      el('span', { class: 'muted' }, [facts.filter(Boolean).join(' · ')]),
    ]);
    if (s.error) item.append(el('span', { class: 'sweep-error', role: 'alert' }, [s.error]));
    item.append(button('Remove', () => api.postMessage({ type: 'removeNtkSweep', key: s.key })));
    return item;
  });
  sweepBar.replaceChildren(
    el('span', { class: 'control-label' }, [init.sweeps.length ? 'Sweeps' : 'No sweep results loaded']),
    ...items,
    button('Add sweep results…', () => api.postMessage({ type: 'addNtkSweep' })),
  );
}

const toolbar = el('div', { class: 'toolbar' });
const viewBar = el('div', { class: 'views', role: 'tablist' });

function renderToolbar(): void {
  if (!init || !state) return;
  const s = state;
  viewBar.replaceChildren(
    ...VIEWS.map((v) => {
      const b = button(v.label, () => setState({ ...s, view: v.id }), v.id !== s.view);
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(v.id === s.view));
      b.dataset.view = v.id;
      return b;
    }),
  );
  const datasets = init.datasets.map((d) => ({ value: d.id, label: d.label }));
  const methods = init.methods.map((m) => ({ value: m.id, label: m.label }));
  const controls: HTMLElement[] = [];
  if (s.view === 'heatmap' || s.view === 'scatter' || s.view === 'proxies')
    controls.push(
      select('Dataset', datasets, s.dataset, (v) => setState({ ...s, dataset: v as ChartsState['dataset'] })),
    );
  if (s.view === 'proxies') {
    // Both coefficients are in the table; the choice only says which one the heatmap colours and prints.
    const rankMethods = methods.filter((m) => m.value !== 'pearson');
    controls.push(
      select('Correlation', rankMethods, proxyMethod(), (v) =>
        redrawWith({ ...s, method: v as ChartsState['method'] }),
      ),
    );
  } else if (s.view !== 'distribution')
    controls.push(
      select('Correlation', methods, s.method, (v) => setState({ ...s, method: v as ChartsState['method'] })),
    );
  // An NTK sweep covers one dataset: nothing to compare across datasets.
  if (s.view === 'cross')
    controls.push(
      select(
        'Metric',
        metricOptions().filter((m) => !m.value.startsWith('ntk:')),
        s.crossMetric,
        (v) => setState({ ...s, crossMetric: v }),
      ),
    );
  if (s.view === 'scatter') {
    const ms = metricOptions(s.dataset);
    controls.push(select('X axis', ms, s.scatterX, (v) => setState({ ...s, scatterX: v })));
    controls.push(select('Y axis', ms, s.scatterY, (v) => setState({ ...s, scatterY: v })));
    const colourChoices = [
      { value: 'none', label: 'No colour' },
      ...ms.map((m) => ({ value: `metric:${m.value}`, label: `Metric: ${m.label}` })),
      ...init.space.edges.map((e, k) => ({ value: `edge:${k}`, label: `Op on edge ${e.from}->${e.to}` })),
      { value: 'none-count', label: 'Number of none edges' },
    ];
    controls.push(
      select('Colour', colourChoices, colourValue(s.scatterColour), (v) =>
        setState({ ...s, scatterColour: parseColour(v) }),
      ),
    );
  }
  if (s.view === 'distribution') {
    controls.push(
      select(
        'Show',
        [
          { value: 'box', label: 'Box plots' },
          { value: 'histogram', label: 'Histograms' },
        ],
        s.distributionKind,
        (v) => setState({ ...s, distributionKind: v as 'box' | 'histogram' }),
      ),
    );
  }
  if (s.view === 'heatmap' || s.view === 'cross' || s.view === 'proxies') {
    controls.push(
      select(
        'Colour range',
        [
          { value: 'auto', label: 'Auto (range of the values)' },
          { value: 'fixed', label: 'Fixed (−1 to +1)' },
        ],
        s.colourRange,
        (v) => redrawWith({ ...s, colourRange: v === 'fixed' ? 'fixed' : 'auto' }),
      ),
    );
  }
  if (s.view === 'proxies') {
    controls.push(
      checkbox('Include standard-training metrics (Jung et al.)', s.includeStandard, (checked) =>
        setState({ ...s, includeStandard: checked }),
      ),
    );
  }
  if (s.view === 'heatmap' || s.view === 'distribution') {
    controls.push(
      checkbox('Include standard-training metrics (Jung et al.)', s.includeStandard, (checked) =>
        setState({ ...s, includeStandard: checked }),
      ),
    );
    controls.push(
      checkbox('Include params and FLOPs', s.includeCost, (checked) => setState({ ...s, includeCost: checked })),
    );
    const ntk = (init.metrics ?? []).filter(
      (m) => m.group === 'ntk' && (s.view !== 'heatmap' || m.datasets.includes(s.dataset)),
    );
    if (ntk.length > 0) {
      const chosen = s.extraMetrics.filter((id) => ntk.some((m) => m.id === id));
      controls.push(
        multiSelect(
          'Sweep scores',
          ntk.map((m) => ({ value: m.id, label: m.label })),
          chosen,
          (ids) => {
            // Extras of other datasets stay chosen: they come back when their dataset does.
            const others = s.extraMetrics.filter((id) => !ntk.some((m) => m.id === id));
            setState({ ...s, extraMetrics: [...others, ...ids] });
          },
        ),
      );
    }
  }
  if (s.view === 'proxies' && init.metrics.some((m) => m.ntk?.stat !== undefined && m.datasets.includes(s.dataset))) {
    controls.push(
      select(
        'NTK summary',
        init.ntkStats.map((x) => ({ value: x.id, label: x.label })),
        s.ntkStat,
        (v) => setState({ ...s, ntkStat: v }),
      ),
    );
  }
  controls.push(
    button('Export PNG', () => void exportPng()),
    button('Export SVG', () => exportSvg()),
    button('Export CSV', () => exportCsv()),
  );
  toolbar.replaceChildren(...controls);
}

/** Applies a choice that changes only how the data already here is drawn (colours, the coefficient shown). */
function redrawWith(next: ChartsState): void {
  state = next;
  api.setState(next);
  if (result) result = { ...result, state: next } as ViewResult;
  renderToolbar();
  draw();
}

/** The proxies view's table under the chart, in the user's order; empty in the other views. */
function renderTable(): void {
  if (result?.type !== 'proxies') {
    tableBox.replaceChildren();
    return;
  }
  tableBox.replaceChildren(
    proxyTableElement(result.data, tableSort, (next) => {
      tableSort = next;
      renderTable();
    }),
  );
}

function ensureChart(renderer: 'svg' | 'canvas'): ReturnType<typeof echarts.init> {
  if (chart && chartRenderer === renderer) return chart;
  chart?.dispose();
  chart = echarts.init(chartBox, undefined, { renderer });
  chartRenderer = renderer;
  // Exposed for tests and debugging (pixel positions of points); the page has no other globals.
  (chartBox as unknown as { chart: unknown }).chart = chart;
  chart.on('click', (p: { seriesType?: string; value?: unknown }) => onChartClick(p));
  return chart;
}

function onChartClick(p: { seriesType?: string; value?: unknown }): void {
  if (!state || !result) return;
  if ((result.type === 'heatmap' || result.type === 'cross') && Array.isArray(p.value)) {
    // A heatmap cell opens the scatter of its two metrics (for the cross view: the metric, first two datasets').
    const [j, i] = p.value as [number, number];
    if (result.type === 'heatmap')
      setState({ ...state, view: 'scatter', scatterX: result.data.ids[j], scatterY: result.data.ids[i] });
    return;
  }
  if (result.type === 'proxies' && Array.isArray(p.value)) {
    // An entry opens the scatter behind it: that variant's score against that accuracy, on the view's dataset.
    const [j, i] = p.value as [number, number];
    const d = result.data;
    const row = d.rows[i];
    const side = (p as { seriesName?: string }).seriesName === 'robust' ? 'robust' : 'clean';
    const x = side === 'robust' ? row.robustMetric : row.cleanMetric;
    if (x && init?.metrics.some((m) => m.id === x))
      setState({ ...state, view: 'scatter', dataset: d.dataset, scatterX: x, scatterY: d.colIds[j] });
    return;
  }
  if (result.type === 'scatter' && Array.isArray(p.value)) {
    selected = (p.value as number[])[2];
    draw();
  }
}

function showDetails(): void {
  if (!init || result?.type !== 'scatter' || selected === undefined) {
    details.replaceChildren();
    return;
  }
  const r: ScatterResult = result;
  const pos = selected;
  const archString = init.cells.archString[pos];
  details.replaceChildren(
    el('div', {}, [
      el('b', {}, [`Index ${init.cells.index[pos]}`]),
      ` · ${r.xLabel} ${formatValue(r.x[pos], r.xFormat)} · ${r.yLabel} ${formatValue(r.y[pos], r.yFormat)}${r.pareto.includes(pos) ? ' · on the Pareto front' : ''}`,
    ]),
    el('div', { class: 'arch' }, [archString]),
    el('div', { class: 'actions' }, [
      button('Open cell diagram', () => api.postMessage({ type: 'openDiagram', archString }), false),
      button('Pin to comparison', () => api.postMessage({ type: 'pin', archString })),
    ]),
  );
}

/** Redraws the chart at its box's size when they differ. */
function fitChart(): void {
  if (
    chart &&
    !chart.isDisposed() &&
    (chart.getHeight() !== chartBox.clientHeight || chart.getWidth() !== chartBox.clientWidth)
  )
    chart.resize();
}

function draw(): void {
  if (!init || !result) return;
  const colours = themeColours();
  let renderer: 'svg' | 'canvas' = 'svg';
  switch (result.type) {
    case 'heatmap':
    case 'cross':
      option = heatmapOption(result.data, methodLabel(), colours, state?.colourRange ?? 'auto');
      break;
    case 'scatter':
      // Canvas for the 6,466 points (smooth hover and zoom); SVG for the small charts, whose text is in the DOM.
      renderer = 'canvas';
      option = scatterOption(
        result,
        {
          cells: init.cells,
          methodLabel: methodLabel(),
          marked,
          selected,
          opLabels: init.space.ops.map((o) => o.label),
        },
        colours,
      );
      break;
    case 'distribution':
      option =
        result.state.distributionKind === 'histogram'
          ? histogramOption(result, init.metrics, init.datasets, colours)
          : boxOption(result, init.metrics, init.datasets, colours);
      break;
    case 'proxies': {
      const m = proxyMethod();
      option = proxyFigureOption(
        result.data,
        m,
        init.methods.find((x) => x.id === m)?.label ?? m,
        colours,
        state?.colourRange ?? 'auto',
        chartSize().width,
      );
      const other = result.data.otherDatasets.map((d) => init!.datasets.find((x) => x.id === d)?.label ?? d);
      status.textContent = [
        result.data.rows.every((r) => r.dataFree)
          ? 'Only params and FLOPs so far: add a sweep results file (robust-nas ntk-sweep --out FILE, or the NTK Sweep command) with the button above for the training-free scores.'
          : '',
        other.length ? `Sweeps on ${other.join(', ')} show when you choose that dataset.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      break;
    }
  }
  renderTable();
  const c = ensureChart(renderer);
  c.setOption(option, { notMerge: true });
  // The toolbar just re-rendered its controls, which take their height a moment later: the chart may have been
  // sized to a box that then shrank back, a change the ResizeObserver never saw (it compares with the last size it
  // reported). Check once the page has settled.
  requestAnimationFrame(fitChart);
  chartBox.dataset.view = result.type;
  showDetails();
}

function chartSize(): { width: number; height: number } {
  return { width: chartBox.clientWidth || 900, height: chartBox.clientHeight || 600 };
}

function fileStem(): string {
  if (!state) return 'chart';
  switch (state.view) {
    case 'heatmap':
      return `correlation-${state.method}-${state.dataset}`;
    case 'cross':
      return `cross-dataset-${state.method}-${state.crossMetric}`;
    case 'scatter':
      return `scatter-${state.dataset}-${state.scatterX}-vs-${state.scatterY}`;
    case 'distribution':
      return `distribution-${state.distributionKind}`;
    case 'proxies':
      return `proxies-vs-accuracy-${state.dataset}-${proxyMethod()}-${state.ntkStat}`;
  }
}

/**
 * The current chart as an SVG document: the same option drawn by ECharts' SVG renderer off-screen, so the file is
 * vector even for the canvas scatter.
 */
function chartSvg(): { svg: string; width: number; height: number } {
  const { width, height } = chartSize();
  const ssr = echarts.init(null as unknown as HTMLElement, undefined, { renderer: 'svg', ssr: true, width, height });
  try {
    ssr.setOption({ ...option, animation: false });
    return { svg: ssr.renderToSVGString(), width, height };
  } finally {
    ssr.dispose();
  }
}

function exportFailed(format: string, error: unknown): void {
  errorBox.textContent = `Export ${format} failed: ${error instanceof Error ? error.message : String(error)}. Nothing was saved.`;
}

/**
 * PNG at twice the on-screen size. A canvas chart (the scatter) is read back directly; the SVG charts (heatmaps,
 * distributions, Figure 5), whose data URL would be SVG, are rasterised from their SVG document.
 */
async function exportPng(): Promise<void> {
  if (!chart || !option) return;
  const background = themeColours().background;
  try {
    let base64: string;
    if (chartRenderer === 'canvas') {
      const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background });
      if (!url.startsWith('data:image/png;base64,')) throw new Error(`the chart gave ${url.slice(0, 30)}…, not a PNG`);
      base64 = url.slice('data:image/png;base64,'.length);
    } else {
      const { svg, width, height } = chartSvg();
      base64 = await svgToPngBase64(svg, width, height, background);
    }
    api.postMessage(pngExport(`${fileStem()}.png`, base64));
  } catch (error) {
    exportFailed('PNG', error);
  }
}

function exportSvg(): void {
  if (!option) return;
  try {
    api.postMessage(textExport('svg', `${fileStem()}.svg`, chartSvg().svg));
  } catch (error) {
    exportFailed('SVG', error);
  }
}

function exportCsv(): void {
  if (!init || !result) return;
  const csv =
    result.type === 'scatter'
      ? scatterCsv(result, init.cells)
      : result.type === 'distribution'
        ? distributionCsv(result)
        : result.type === 'proxies'
          ? proxyFigureCsv(result.data)
          : matrixCsv(result.data);
  api.postMessage(textExport('csv', `${fileStem()}.csv`, csv));
}

function layout(): void {
  root.replaceChildren(viewBar, toolbar, sweepBar, errorBox, status, chartBox, tableBox, details);
  new ResizeObserver(fitChart).observe(chartBox);
}

onHostMessage<HostToChartsMessage>((message) => {
  switch (message.type) {
    case 'init':
      init = message;
      layout();
      renderSweeps();
      setState(message.state);
      break;
    case 'sweeps':
      // Metrics came or went (a sweep file added, removed, or grown): adopt the list and ask again for the view.
      if (!init || !state) return;
      init = { ...init, metrics: message.metrics, sweeps: message.sweeps };
      renderSweeps();
      setState(
        message.showView ? { ...state, view: message.showView, dataset: message.showDataset ?? state.dataset } : state,
      );
      break;
    case 'heatmap':
    case 'cross':
    case 'scatter':
    case 'distribution':
    case 'proxies':
      // Answers to superseded requests are dropped: only the latest choice is drawn. The host may have repaired
      // the state (a metric that no longer exists), so its version is adopted.
      if (message.requestId !== lastRequestId) return;
      result = message;
      state = message.state;
      api.setState(state);
      renderToolbar();
      if (message.type !== 'scatter') selected = undefined;
      status.textContent = '';
      draw();
      break;
    case 'editorArchitectures':
      marked = message.positions;
      if (result?.type === 'scatter') draw();
      break;
    case 'error':
      status.textContent = '';
      if (init) errorBox.textContent = message.message;
      else root.replaceChildren(el('div', { class: 'error', role: 'alert' }, [message.message]));
      break;
  }
});
onThemeChange(draw);
api.postMessage({ type: 'ready', state: api.getState() });
