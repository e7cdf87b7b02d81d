import { opCountSummary } from '../../core/space/opSummary';
import type { Cell } from '../../core/space/cell';
import { markdownTable, type Align } from './markdownTable';

/**
 * A report (Top-k, Pareto front, NAS run, NTK scores) as data, written out twice: as Markdown (the document behind
 * the report, what Export saves and users paste into notes) and as the HTML of the report panel, where each cell
 * carries links to act on it. Text uses two marks of our own making, `**bold**` and `` `code` ``.
 */

/** A cell named in a report: what tells it apart at a glance (index, ops counted) and its full string. */
export interface CellRef {
  /** NAS-Bench-201 index, when the benchmark is loaded. */
  readonly index: number | undefined;
  readonly archString: string;
  /** `3×conv3 2×skip 1×pool`. */
  readonly summary: string;
}

export function cellRef(index: number | undefined, archString: string, cell: Cell): CellRef {
  return { index, archString, summary: opCountSummary(cell) };
}

/** `#7033 · 3×conv3 2×skip 1×pool`: the short name of a cell in titles and table rows. */
export function cellName(ref: CellRef): string {
  return ref.index === undefined ? ref.summary : `#${ref.index} · ${ref.summary}`;
}

export type TableValue = string | { readonly cell: CellRef };

export interface ReportTable {
  readonly headers: readonly string[];
  readonly align: readonly Align[];
  readonly rows: readonly (readonly TableValue[])[];
}

export type ReportBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  /** A cell's full string under the title (the title names it by index and ops). */
  | { readonly kind: 'cell'; readonly cell: CellRef }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly table: ReportTable };

export interface Report {
  /** The panel's tab title: a few words (`Top 25 · PGD@8 · CIFAR-10`). */
  readonly tabTitle: string;
  /** The heading over the report. */
  readonly title: string;
  readonly blocks: readonly ReportBlock[];
}

function markdownCellValue(v: TableValue): string {
  if (typeof v === 'string') return v;
  return `${cellName(v.cell)}<br>\`${v.cell.archString}\``;
}

export function reportToMarkdown(r: Report): string {
  const out = [`# ${r.title}\n`];
  for (const b of r.blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`## ${b.text}\n`);
        break;
      case 'paragraph':
        out.push(`${b.text}\n`);
        break;
      case 'cell':
        out.push(`\`${b.cell.archString}\`\n`);
        break;
      case 'list':
        out.push(b.items.map((i) => `- ${i}`).join('\n') + '\n');
        break;
      case 'table':
        out.push(
          markdownTable(
            b.table.headers,
            b.table.rows.map((r) => r.map(markdownCellValue)),
            b.table.align,
          ),
        );
        break;
    }
  }
  return out.join('\n');
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Our two text marks as HTML, everything else escaped: `code` first (its content is literal), then **bold**. A code
 * span may break after each `|`, so an architecture string too long for the report's column wraps between two edges
 * (`|nor_conv_3x3~1|` stays whole) before the page's `overflow-wrap: anywhere` would cut a name in two.
 */
export function inlineHtml(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length >= 2 && part.startsWith('`') && part.endsWith('`'))
        return `<code>${escapeHtml(part.slice(1, -1)).replace(/\|/g, '|<wbr>')}</code>`;
      return escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}

/** One action on a cell: a `command:` link the report panel allows (see ReportPanels). */
export interface CellAction {
  readonly label: string;
  readonly tooltip: string;
  readonly href: string;
}

export type CellActions = (cell: CellRef) => readonly CellAction[];

function actionLinks(actions: readonly CellAction[]): string {
  return actions
    .map(
      (a) =>
        `<a class="action" href="${escapeHtml(a.href)}" title="${escapeHtml(a.tooltip)}">${escapeHtml(a.label)}</a>`,
    )
    .join('');
}

function cellHtml(ref: CellRef, actions: CellActions): string {
  const index = ref.index === undefined ? '' : `<strong>#${ref.index}</strong> `;
  return (
    `<div class="cell-name">${index}<span class="ops">${escapeHtml(ref.summary)}</span><span class="actions">${actionLinks(actions(ref))}</span></div>` +
    `<div class="arch">${escapeHtml(ref.archString)}</div>`
  );
}

/**
 * A table whose rows may name a cell: the values go in the row, the cell (index, ops, links, then its string) in a
 * line of its own under it, across the whole table. So the metrics fit a half-width panel, and the 95-character
 * string never pushes them off-screen.
 */
function tableHtml(t: ReportTable, actions: CellActions): string {
  const cls = (c: number) => (t.align[c] === 'right' ? ' class="num"' : '');
  const isCellColumn = t.headers.map((_, c) => t.rows.some((r) => typeof r[c] === 'object'));
  const shown = t.headers.map((_, c) => c).filter((c) => !isCellColumn[c]);
  const head = `<tr>${shown.map((c) => `<th${cls(c)}>${inlineHtml(t.headers[c])}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => {
    const values = `<tr class="values">${shown.map((c) => `<td${cls(c)}>${inlineHtml(typeof r[c] === 'string' ? (r[c] as string) : '')}</td>`).join('')}</tr>`;
    const cells = t.headers.map((_, c) => r[c]).filter((v): v is { readonly cell: CellRef } => typeof v === 'object');
    return (
      values +
      cells
        .map(
          (v) =>
            `<tr class="cell-row"><td class="cell" colspan="${Math.max(1, shown.length)}">${cellHtml(v.cell, actions)}</td></tr>`,
        )
        .join('')
    );
  });
  return `<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The report's body as HTML (the panel adds the page around it). Every text is escaped; links are the actions'. */
export function reportToHtml(r: Report, actions: CellActions): string {
  const out = [`<h1>${inlineHtml(r.title)}</h1>`];
  for (const b of r.blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`<h2>${inlineHtml(b.text)}</h2>`);
        break;
      case 'paragraph':
        out.push(`<p>${inlineHtml(b.text)}</p>`);
        break;
      case 'cell':
        out.push(
          `<div class="cell-detail"><div class="arch">${escapeHtml(b.cell.archString)}</div><div class="actions">${actionLinks(actions(b.cell))}</div></div>`,
        );
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        out.push(`<div class="table-wrap">${tableHtml(b.table, actions)}</div>`);
        break;
    }
  }
  return out.join('\n');
}
