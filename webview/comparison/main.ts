import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './comparison.css';
import type {
  ComparisonRow,
  ComparisonTable,
  ComparisonToHostMessage,
  HostToComparisonMessage,
  WebviewDatasetId,
} from '../../src/shared/webviewMessages';
import { el, formatValue, select } from '../common/dom';
import { onHostMessage, vscodeApi } from '../common/vscodeApi';

/**
 * The comparison view, laid out for a side bar: one column per pinned cell and one row per edge and per metric of
 * one dataset, so that a narrow view shows every value without scrolling sideways. When the pinned cells do not
 * fit side by side they are split into blocks of columns (each repeating the row labels); the block size follows
 * the view's width. Inline bars are scaled to each metric's best among the pinned cells, the best of each metric
 * is starred, edges that differ from the first pinned cell are highlighted. Editing (remove, reorder) goes through
 * the extension's ComparisonStore, which the Comparison tree also shows.
 */

const api = vscodeApi<never, ComparisonToHostMessage>();
const root = document.getElementById('root')!;

let table: ComparisonTable | undefined;

/** Whether any value, op or header is cut in the laid-out blocks, or the page scrolls sideways. */
function overflows(): boolean {
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) return true;
  return [...root.querySelectorAll<HTMLElement>('table.block td, table.block th')].some(
    (c) => c.scrollWidth > c.clientWidth + 1,
  );
}

/** A codicon button: its name is the tooltip and the accessible label; Enter and Space press it (a real button). */
function iconButton(icon: string, label: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'icon-button', title: label, 'aria-label': label }, [
    el('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }),
  ]);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

function textButton(icon: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'text-button', title: label }, [
    el('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }),
    label,
  ]);
  b.addEventListener('click', onClick);
  return b;
}

function cellHeader(t: ComparisonTable, r: ComparisonRow, position: number): HTMLElement {
  const name = `#${position + 1} (index ${r.index})`;
  return el('th', { scope: 'col', class: 'cell-head', 'data-arch': r.archString, title: r.archString }, [
    el('div', { class: 'position' }, [`#${position + 1}`]),
    el('div', { class: 'index' }, [`index ${r.index}`]),
    el('div', { class: 'cell-actions', role: 'toolbar', 'aria-label': `Cell ${name}` }, [
      iconButton(
        'arrow-left',
        `Move ${name} earlier`,
        () => api.postMessage({ type: 'move', archString: r.archString, delta: -1 }),
        position === 0,
      ),
      iconButton(
        'arrow-right',
        `Move ${name} later`,
        () => api.postMessage({ type: 'move', archString: r.archString, delta: 1 }),
        position === t.rows.length - 1,
      ),
      iconButton('type-hierarchy', `Show the cell diagram of ${name}`, () =>
        api.postMessage({ type: 'openDiagram', archString: r.archString }),
      ),
      iconButton('export', `Export ${name} as PyTorch...`, () =>
        api.postMessage({ type: 'exportPytorch', archString: r.archString }),
      ),
      iconButton('close', `Remove ${name} from the comparison`, () =>
        api.postMessage({ type: 'remove', archString: r.archString }),
      ),
    ]),
  ]);
}

/** A metric's name for the narrow label column: it may break before its eps (`AutoAttack` / `@8`). */
function rowLabel(label: string): (Node | string)[] {
  const at = label.lastIndexOf('@');
  return at > 0 ? [label.slice(0, at), el('wbr'), label.slice(at)] : [label];
}

function groupRow(label: string, span: number): HTMLElement {
  return el('tr', { class: 'group' }, [el('th', { scope: 'rowgroup', colspan: String(span) }, [label])]);
}

function metricCell(t: ComparisonTable, c: number, p: number): HTMLElement {
  const r = t.rows[p];
  const v = r.values[c];
  const best = t.best[c].includes(p);
  const range = t.range[c];
  const track = el('div', { class: 'bar-track', 'aria-hidden': 'true' });
  if (v !== null && range) {
    const bar = el('div', { class: 'bar' });
    // Scaled from 0 to the best pinned value so that small differences stay visible but zero stays zero.
    bar.style.width = `${range[1] > 0 ? (100 * v) / range[1] : 0}%`;
    track.append(bar);
  }
  const rank = r.ranks[c];
  const tip = `${t.metrics[c].label} of #${p + 1} (index ${r.index}): ${rank === null ? 'no value' : `rank ${rank.toLocaleString('en-US')} of the benchmark`}${best ? '; best of the pinned cells' : ''}`;
  return el(
    'td',
    {
      class: best ? 'value-cell best' : 'value-cell',
      'data-metric': t.metrics[c].id,
      'data-arch': r.archString,
      title: tip,
    },
    [
      el('span', { class: 'value' }, [formatValue(v, t.metrics[c].format)]),
      best ? el('span', { class: 'star', role: 'img', 'aria-label': 'best' }, ['★']) : '',
      track,
    ],
  );
}

/** One block of columns: the pinned cells at `positions`, with every edge and metric as a row. */
function block(t: ComparisonTable, positions: readonly number[]): HTMLElement {
  const span = positions.length + 1;
  const head = el('tr', {}, [el('td', { class: 'corner' }), ...positions.map((p) => cellHeader(t, t.rows[p], p))]);
  const edgeRows = t.space.edges.map((e, k) =>
    el('tr', { class: 'edge-row' }, [
      el('th', { scope: 'row' }, [`${e.from}→${e.to}`]),
      ...positions.map((p) => {
        const r = t.rows[p];
        const label = t.space.ops.find((o) => o.name === r.ops[k])?.label ?? r.ops[k];
        return el(
          'td',
          {
            class: r.differs[k] ? 'op differs' : 'op',
            'data-arch': r.archString,
            'data-edge': String(k),
            title: `edge ${e.from}->${e.to}: ${r.ops[k]}${r.differs[k] ? ' (differs from #1)' : ''}`,
          },
          [label],
        );
      }),
    ]),
  );
  const metricRow = (c: number) =>
    el('tr', { class: 'metric-row' }, [
      el('th', { scope: 'row', title: t.metrics[c].description }, rowLabel(t.metrics[c].label)),
      ...positions.map((p) => metricCell(t, c, p)),
    ]);
  const adversarial = t.metrics.flatMap((m, c) => (m.group === 'adversarial' ? [c] : []));
  const standard = t.metrics.flatMap((m, c) => (m.group === 'standard' ? [c] : []));
  const cost = t.metrics.flatMap((m, c) => (m.group === 'cost' ? [c] : []));
  // Metrics first: a short side bar pane shows them before the ops, which the header's tooltip also gives.
  const body = el('tbody', {}, [
    groupRow('Adversarial training', span),
    ...adversarial.map(metricRow),
    ...(standard.length ? [groupRow('Standard training (Jung et al.)', span), ...standard.map(metricRow)] : []),
    ...(cost.length ? [groupRow('Cost (NAS-Bench-201; lower is better)', span), ...cost.map(metricRow)] : []),
    groupRow('Operation on each edge', span),
    ...edgeRows,
  ]);
  return el('table', { class: 'block' }, [el('thead', {}, [head]), body]);
}

/**
 * Lays out the table with as many pinned cells side by side as fit: all of them, then one fewer per block until no
 * value is cut (measured, so that the user's font and zoom decide, not a guess of text widths).
 */
function render(): void {
  const t = table;
  if (!t) return;
  const toolbar = el('div', { class: 'toolbar' }, [
    select(
      'Dataset',
      t.datasets.map((d) => ({ value: d.id, label: d.label })),
      t.dataset,
      (v) => api.postMessage({ type: 'setDataset', dataset: v as WebviewDatasetId }),
    ),
    el('div', { class: 'copy-actions' }, [
      textButton('markdown', 'Copy Markdown', () => api.postMessage({ type: 'copy', format: 'markdown' })),
      textButton('copy', 'Copy CSV', () => api.postMessage({ type: 'copy', format: 'csv' })),
    ]),
  ]);
  if (t.rows.length === 0) {
    root.replaceChildren(
      toolbar,
      el('p', { class: 'empty' }, [
        'No architectures pinned. Pin one from a hover, the Correlation Charts or the Top Architectures view.',
      ]),
    );
    return;
  }
  const focused = document.activeElement?.getAttribute('aria-label');
  for (let perBlock = t.rows.length; perBlock >= 1; perBlock--) {
    const blocks: HTMLElement[] = [];
    for (let start = 0; start < t.rows.length; start += perBlock) {
      blocks.push(
        block(
          t,
          t.rows.slice(start, start + perBlock).map((_, k) => start + k),
        ),
      );
    }
    root.replaceChildren(toolbar, ...blocks);
    if (!overflows()) break;
  }
  // A re-layout keeps the keyboard focus on the same button.
  if (focused) root.querySelector<HTMLElement>(`button[aria-label="${CSS.escape(focused)}"]`)?.focus();
}

let laidOutWidth = 0;
// Re-split the columns when the side bar is resized.
new ResizeObserver(() => {
  if (!table || table.rows.length < 2 || root.clientWidth === laidOutWidth) return;
  laidOutWidth = root.clientWidth;
  render();
}).observe(root);

onHostMessage<HostToComparisonMessage>((m) => {
  if (m.type === 'table') {
    table = m;
    laidOutWidth = root.clientWidth;
    render();
  } else {
    table = undefined;
    root.replaceChildren(el('div', { class: 'error', role: 'alert' }, [m.message]));
  }
});
api.postMessage({ type: 'ready' });
