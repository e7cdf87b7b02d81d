import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './comparison.css';
import type { ComparisonTable, ComparisonToHostMessage, HostToComparisonMessage, WebviewDatasetId } from '../../src/shared/webviewMessages';
import { button, el, formatPercent, select } from '../common/dom';
import { onHostMessage, vscodeApi } from '../common/vscodeApi';

/**
 * The comparison view: pinned cells x metrics of one dataset, inline bars scaled to each column's range among the
 * pinned cells, the best of each column starred, edges that differ from the first pinned cell highlighted.
 * Editing (remove, reorder) goes through the extension's ComparisonStore, which the Comparison tree also shows.
 */

interface ComparisonState {
  dataset: WebviewDatasetId;
}

const api = vscodeApi<ComparisonState, ComparisonToHostMessage>();
const root = document.getElementById('root')!;

function actionButton(label: string, title: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { type: 'button', title, 'aria-label': title }, [label]);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

function render(t: ComparisonTable): void {
  api.setState({ dataset: t.dataset });
  const toolbar = el('div', { class: 'toolbar' }, [
    select('Dataset', t.datasets.map((d) => ({ value: d.id, label: d.label })), t.dataset, (v) => api.postMessage({ type: 'setDataset', dataset: v as WebviewDatasetId })),
    button('Copy Markdown', () => api.postMessage({ type: 'copy', format: 'markdown' })),
    button('Copy CSV', () => api.postMessage({ type: 'copy', format: 'csv' })),
  ]);
  if (t.rows.length === 0) {
    root.replaceChildren(toolbar, el('p', { class: 'empty' }, ['No architectures pinned. Pin one from a hover, the Correlation Charts or the Top Architectures view.']));
    return;
  }
  const head = el('tr', {}, [
    el('th', { class: 'cell-col', scope: 'col' }, ['Cell']),
    ...t.metrics.map((m) => el('th', { scope: 'col', title: m.description }, [m.label])),
  ]);
  const body = t.rows.map((r, i) => {
    const ops = el('div', { class: 'ops', title: r.archString });
    // Laid out as the architecture string reads: one line per target node (0->1 / 0->2 1->2 / 0->3 1->3 2->3).
    t.space.edges.forEach((e, k) => {
      const label = t.space.ops.find((o) => o.name === r.ops[k])?.label ?? r.ops[k];
      const chip = el('span', { class: r.differs[k] ? 'op differs' : 'op', title: `edge ${e.from}->${e.to}: ${r.ops[k]}${r.differs[k] ? ' (differs from the first row)' : ''}`, 'data-edge': String(k) }, [label]);
      chip.style.gridRow = String(e.to);
      chip.style.gridColumn = String(e.from + 1);
      ops.append(chip);
    });
    const cellCell = el('td', { class: 'cell-col' }, [
      el('div', {}, [el('span', { class: 'index' }, [`#${i + 1} · index ${r.index}`])]),
      ops,
      el('div', { class: 'row-actions' }, [
        actionButton('↑', 'Move up', () => api.postMessage({ type: 'move', archString: r.archString, delta: -1 }), i === 0),
        actionButton('↓', 'Move down', () => api.postMessage({ type: 'move', archString: r.archString, delta: 1 }), i === t.rows.length - 1),
        actionButton('◇', 'Show cell diagram', () => api.postMessage({ type: 'openDiagram', archString: r.archString })),
        actionButton('⤓', 'Export as PyTorch...', () => api.postMessage({ type: 'exportPytorch', archString: r.archString })),
        actionButton('✕', 'Remove from comparison', () => api.postMessage({ type: 'remove', archString: r.archString })),
      ]),
    ]);
    const metricCells = r.values.map((v, c) => {
      const best = t.best[c].includes(i);
      const range = t.range[c];
      const track = el('div', { class: 'bar-track' });
      if (v !== null && range) {
        const bar = el('div', { class: 'bar' });
        // Scaled from 0 to the column's best so that small differences stay visible but zero stays zero.
        bar.style.width = `${range[1] > 0 ? (100 * v) / range[1] : 0}%`;
        track.append(bar);
      }
      const rank = r.ranks[c];
      return el('td', { class: best ? 'best' : '', 'data-metric': t.metrics[c].id, title: rank === null ? 'no value' : `rank ${rank.toLocaleString('en-US')} of the benchmark` }, [
        el('span', { class: 'value' }, [formatPercent(v)]),
        best ? el('span', { class: 'star', 'aria-label': 'best' }, [' ★']) : '',
        track,
      ]);
    });
    return el('tr', { 'data-arch': r.archString }, [cellCell, ...metricCells]);
  });
  const table = el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
  root.replaceChildren(toolbar, el('div', { class: 'scroll' }, [table]));
}

onHostMessage<HostToComparisonMessage>((m) => {
  if (m.type === 'table') render(m);
  else root.replaceChildren(el('div', { class: 'error', role: 'alert' }, [m.message]));
});
api.postMessage({ type: 'ready', state: api.getState() });
