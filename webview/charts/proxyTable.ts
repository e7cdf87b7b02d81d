import type { ProxyCorrelation, ProxyFigureData } from '../../src/shared/webviewMessages';
import { el } from '../common/dom';
import { intervalText, type ProxyMethod } from './proxyFigureOption';

/**
 * The proxies view's table: one line per (proxy, accuracy metric), Spearman's rho and Kendall's tau-b of the clean
 * and the robust variant side by side, each with its 95% interval, sortable by any column (click a header; again to
 * reverse). The numbers are the extension's; this only lays them out and orders them.
 */

export interface ProxyTableLine {
  readonly proxy: string;
  readonly metric: string;
  readonly dataFree: boolean;
  readonly n: number;
  readonly cells: Readonly<Record<ProxyTableColumn, ProxyCorrelation | null>>;
}

export type ProxyTableColumn = 'rho-clean' | 'rho-robust' | 'tau-clean' | 'tau-robust';

export const PROXY_TABLE_COLUMNS: readonly {
  key: ProxyTableColumn;
  label: string;
  method: ProxyMethod;
  side: 'clean' | 'robust';
}[] = [
  { key: 'rho-clean', label: 'ρ clean', method: 'spearman', side: 'clean' },
  { key: 'rho-robust', label: 'ρ robust', method: 'spearman', side: 'robust' },
  { key: 'tau-clean', label: 'τ clean', method: 'kendall', side: 'clean' },
  { key: 'tau-robust', label: 'τ robust', method: 'kendall', side: 'robust' },
];

export type ProxyTableSortKey = 'proxy' | 'metric' | 'n' | ProxyTableColumn;

export interface ProxyTableSort {
  readonly key: ProxyTableSortKey;
  /** Numbers sort high to low first, names A to Z. */
  readonly descending: boolean;
}

export function proxyTableLines(data: ProxyFigureData): ProxyTableLine[] {
  return data.rows.flatMap((row) =>
    data.colIds.map((_, j) => {
      const clean = row.clean[j];
      const robust = row.robust[j];
      return {
        proxy: row.dataFree ? `${row.label} (data-free)` : row.label,
        metric: data.colLabels[j],
        dataFree: row.dataFree,
        n: Math.max(clean?.n ?? 0, robust?.n ?? 0),
        cells: { 'rho-clean': clean, 'rho-robust': robust, 'tau-clean': clean, 'tau-robust': robust },
      };
    }),
  );
}

function cellValue(line: ProxyTableLine, key: ProxyTableColumn): number | null {
  const column = PROXY_TABLE_COLUMNS.find((c) => c.key === key)!;
  return line.cells[key]?.[column.method] ?? null;
}

function magnitude(v: number | null): number | null {
  return v === null ? null : Math.abs(v);
}

/** Lines in the sort's order; missing values last whichever the direction; ties keep the chart's order. */
export function sortProxyLines(lines: readonly ProxyTableLine[], sort: ProxyTableSort): ProxyTableLine[] {
  const sign = sort.descending ? -1 : 1;
  const indexed = lines.map((line, k) => ({ line, k }));
  indexed.sort((a, b) => {
    if (sort.key === 'proxy' || sort.key === 'metric')
      return sign * a.line[sort.key].localeCompare(b.line[sort.key]) || a.k - b.k;
    // Coefficients sort by strength, |value|: a score that ranks networks in reverse (NTK condition numbers, say)
    // predicts as well as one of the same size that ranks them in order.
    const va = sort.key === 'n' ? a.line.n : magnitude(cellValue(a.line, sort.key));
    const vb = sort.key === 'n' ? b.line.n : magnitude(cellValue(b.line, sort.key));
    if (va === null || vb === null) return (va === null ? 1 : 0) - (vb === null ? 1 : 0) || a.k - b.k;
    return sign * (va - vb) || a.k - b.k;
  });
  return indexed.map((x) => x.line);
}

function coefficientCell(c: ProxyCorrelation | null, method: ProxyMethod): HTMLElement {
  const v = c?.[method];
  if (v === null || v === undefined) return el('td', { class: 'num muted' }, ['–']);
  const ci = intervalText(c, method);
  return el('td', { class: 'num' }, [v.toFixed(2), ...(ci ? [el('span', { class: 'ci muted' }, [` ${ci}`])] : [])]);
}

/** The table element for `lines` in `sort` order; clicking a header calls `onSort` with the new order. */
export function proxyTableElement(
  data: ProxyFigureData,
  sort: ProxyTableSort,
  onSort: (s: ProxyTableSort) => void,
): HTMLElement {
  // Columns whose entries carry an interval (Kendall's only when the host bootstrapped it).
  const withInterval = new Set(
    PROXY_TABLE_COLUMNS.filter((c) =>
      data.rows.some((r) => r[c.side].some((x) => x?.[c.method === 'spearman' ? 'spearmanCi' : 'kendallCi'])),
    ).map((c) => c.key),
  );
  const headers: { key: ProxyTableSortKey; label: string; numeric: boolean; title?: string }[] = [
    { key: 'proxy', label: 'Proxy', numeric: false },
    { key: 'metric', label: 'Accuracy', numeric: false },
    ...PROXY_TABLE_COLUMNS.map((c) => ({
      key: c.key,
      label: withInterval.has(c.key) ? `${c.label} [95% CI]` : c.label,
      numeric: true,
      title: `Sorts by strength |${c.label.split(' ')[0]}|, whatever the sign`,
    })),
    { key: 'n', label: 'Classes', numeric: true },
  ];
  const head = el(
    'tr',
    {},
    headers.map((h) => {
      const active = sort.key === h.key;
      const th = el(
        'th',
        {
          class: h.numeric ? 'num' : '',
          scope: 'col',
          'data-key': h.key,
          tabindex: '0',
          title: h.title,
          'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none',
        },
        [h.label, active ? (sort.descending ? ' ▼' : ' ▲') : ''],
      );
      const choose = () => onSort({ key: h.key, descending: active ? !sort.descending : h.numeric });
      th.addEventListener('click', choose);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          choose();
        }
      });
      return th;
    }),
  );
  const body = sortProxyLines(proxyTableLines(data), sort).map((line) =>
    el('tr', { class: line.dataFree ? 'data-free' : '' }, [
      el('td', {}, [line.proxy]),
      el('td', {}, [line.metric]),
      ...PROXY_TABLE_COLUMNS.map((c) => coefficientCell(line.cells[c.key], c.method)),
      el('td', { class: 'num' }, [line.n.toLocaleString('en-US')]),
    ]),
  );
  const caption = el('caption', { class: 'muted' }, [
    `Spearman's ρ and Kendall's τ-b of each proxy's score against each accuracy on ${data.colLabels.length ? "the chart's dataset" : 'no metric'}. ${data.intervals}`,
  ]);
  return el('table', { class: 'proxy-table' }, [caption, el('thead', {}, [head]), el('tbody', {}, body)]);
}
