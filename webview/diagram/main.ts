import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './diagram.css';
import type {
  DiagramData,
  DiagramState,
  DiagramToHostMessage,
  HostToDiagramMessage,
} from '../../src/shared/webviewMessages';
import { button, checkbox, el, formatPercent, select } from '../common/dom';
import { pngExport, svgToPngBase64, textExport } from '../common/exportFile';
import { stackSvgs } from '../common/svg';
import { onThemeChange, themeColours } from '../common/theme';
import { onHostMessage, vscodeApi } from '../common/vscodeApi';
import { CELL_SVG_HEIGHT, CELL_SVG_WIDTH, cellSvg } from './cellSvg';
import { frequencySvg } from './frequencySvg';
import { macroSvg } from './macroSvg';

/** The cell diagram panel: cell DAG (and its isomorphism representative), macro network, top-k op frequency. */

const api = vscodeApi<DiagramState, DiagramToHostMessage>();
const root = document.getElementById('root')!;
let current: DiagramData | undefined;
let figures: { svg: string; width: number; height: number }[] = [];

function request(state: DiagramState): void {
  api.setState(state);
  api.postMessage({ type: 'request', state });
}

function render(data: DiagramData): void {
  const colours = themeColours();
  const { state, space } = data;
  const datasetLabel = data.datasets.find((d) => d.id === state.dataset)?.label ?? state.dataset;
  const toolbar = el('div', { class: 'toolbar' }, [
    select(
      'Dataset',
      data.datasets.map((d) => ({ value: d.id, label: d.label })),
      state.dataset,
      (v) => request({ ...state, dataset: v as DiagramState['dataset'] }),
    ),
    select(
      'Metric for top-k',
      data.metrics.map((m) => ({ value: m.id, label: m.label })),
      state.metric,
      (v) => request({ ...state, metric: v }),
    ),
    select(
      'Top-k',
      [5, 10, 20, 50, 100].map((k) => ({ value: String(k), label: `top ${k}` })),
      String(state.topK),
      (v) => request({ ...state, topK: Number(v) }),
    ),
    checkbox('Show none edges', state.showNoneEdges, (checked) => request({ ...state, showNoneEdges: checked })),
    button('Export SVG', () => api.postMessage(textExport('svg', `cell-${data.cell.index}.svg`, stacked().svg))),
    button('Export PNG', () => void exportPng(data)),
    button('Pin to comparison', () => api.postMessage({ type: 'pin', archString: data.cell.archString })),
    button('Export as PyTorch...', () => api.postMessage({ type: 'exportPytorch', archString: data.cell.archString })),
  ]);

  const own = data.metricValue;
  const summary = el('p', { class: 'summary' }, [
    el('span', { class: 'arch', id: 'arch' }, [data.cell.archString]),
    el('br'),
    `NAS-Bench-201 index ${data.cell.index}`,
    own
      ? ` · ${data.metrics.find((m) => m.id === state.metric)?.label ?? state.metric} on ${datasetLabel}: ${formatPercent(own.value)} (rank ${own.rank.toLocaleString('en-US')} of ${own.of.toLocaleString('en-US')})`
      : '',
  ]);

  const rep = data.representative;
  const cellFigure = cellSvg(data.cell, space, colours, {
    showNoneEdges: state.showNoneEdges,
    emphasise: rep?.changedEdges,
    title: rep ? 'This cell' : 'Cell',
  });
  figures = [{ svg: cellFigure, width: CELL_SVG_WIDTH, height: CELL_SVG_HEIGHT }];
  const cells = el('div', { class: 'cells' });
  cells.append(figureOf(cellFigure, 'cell-figure'));
  const parts: HTMLElement[] = [toolbar, summary, cells];
  if (rep) {
    const repFigure = cellSvg(rep, space, colours, {
      showNoneEdges: state.showNoneEdges,
      emphasise: rep.changedEdges,
      title: `Evaluated representative (index ${rep.index})`,
    });
    figures.push({ svg: repFigure, width: CELL_SVG_WIDTH, height: CELL_SVG_HEIGHT });
    cells.append(figureOf(repFigure, 'representative-figure'));
    const list = el('ul', { class: 'changes' });
    for (const k of rep.changedEdges) {
      const e = space.edges[k];
      list.append(el('li', {}, [`edge ${e.from}->${e.to}: ${data.cell.ops[k]} → ${rep.ops[k]}`]));
    }
    parts.push(
      el('p', {}, [
        'This cell computes the same function as the evaluated cell ',
        el('span', { class: 'arch' }, [rep.archString]),
        ` (NAS-Bench-201 index ${rep.index}); the benchmark reports its results. What differs:`,
      ]),
      list,
    );
  }
  const macro = macroSvg(data.macro.blocks, data.macro.params, data.macro.flops, datasetLabel, colours);
  const freq = frequencySvg(data.frequency, space, data.cell.ops, datasetLabel, colours);
  figures.push(macro, freq);
  parts.push(el('h2', {}, ['Macro architecture']), figureOf(macro.svg, 'macro-figure'));
  parts.push(el('h2', {}, ['Selected operators of the top architectures']), figureOf(freq.svg, 'frequency-figure'));
  parts.push(
    el('p', { class: 'muted' }, [
      'Dashed edges are dead: replacing them with none changes nothing. Highlighted edges differ from the representative.',
    ]),
  );
  root.replaceChildren(...parts);
}

function figureOf(svg: string, id: string): HTMLElement {
  const div = el('div', { class: 'figure', id });
  // Our own generated SVG (escaped text, no scripts or style attributes), so innerHTML is safe under the CSP.
  div.innerHTML = svg;
  return div;
}

function stacked() {
  const cellsRow =
    figures.length > 3
      ? {
          svg: sideBySide(figures[0], figures[1]),
          width: figures[0].width + figures[1].width,
          height: Math.max(figures[0].height, figures[1].height),
        }
      : figures[0];
  return stackSvgs([cellsRow, ...figures.slice(figures.length > 3 ? 2 : 1)], themeColours().background);
}

function sideBySide(a: { svg: string; width: number; height: number }, b: { svg: string; width: number }): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${a.width + b.width}" height="${a.height}">${a.svg}<g transform="translate(${a.width} 0)">${b.svg}</g></svg>`;
}

async function exportPng(data: DiagramData): Promise<void> {
  const s = stacked();
  api.postMessage(
    pngExport(`cell-${data.cell.index}.png`, await svgToPngBase64(s.svg, s.width, s.height, themeColours().background)),
  );
}

function showError(message: string): void {
  const box = el('div', { class: 'error', role: 'alert' }, [message]);
  if (current) root.prepend(box);
  else root.replaceChildren(box);
}

onHostMessage<HostToDiagramMessage>((message) => {
  switch (message.type) {
    case 'diagram':
      current = message;
      api.setState(message.state);
      render(message);
      break;
    case 'error':
      showError(message.message);
      break;
  }
});
onThemeChange(() => current && render(current));
api.postMessage({ type: 'ready', state: api.getState() });
