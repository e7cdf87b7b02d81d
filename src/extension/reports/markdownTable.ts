/**
 * GitHub-flavoured Markdown tables for the reports. Columns are padded so the source reads as a table too (the
 * report opens as a preview, but users copy the Markdown into notes). Pipes inside cells are escaped, which
 * matters here: every architecture string is full of them.
 */
export type Align = 'left' | 'right';

export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `cells` are plain text (escaped here); wrap a cell in backticks yourself before passing it to get code. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const escaped = [headers, ...rows].map((r) => headers.map((_, c) => escapeCell(r[c] ?? '')));
  const widths = headers.map((_, c) => Math.max(3, ...escaped.map((r) => r[c].length)));
  const pad = (text: string, c: number) => (align[c] === 'right' ? text.padStart(widths[c]) : text.padEnd(widths[c]));
  const line = (r: readonly string[]) => `| ${r.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ')} |`;
  return [line(escaped[0]), rule, ...escaped.slice(1).map(line)].join('\n') + '\n';
}
