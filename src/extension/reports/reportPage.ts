import { Commands, commandUri } from '../../shared/commands';
import { makeNonce } from '../panels/webviewHtml';
import { escapeHtml, reportToHtml, type CellAction, type CellRef, type Report } from './reportModel';

/**
 * The only commands a report's links may run (the panel's `enableCommandUris`): every other `command:` link is
 * ignored by VS Code. Their arguments are the report's own canonical strings and id, and each command checks them
 * again (an architecture is parsed, a report id must name an open report).
 */
export const REPORT_LINK_COMMANDS = [
  Commands.showCellDiagram,
  Commands.addToComparison,
  Commands.copyAs,
  Commands.exportReport,
] as const;

/** The actions offered on every cell a report names. */
export function cellActions(cell: CellRef): CellAction[] {
  const name = cell.index === undefined ? 'this cell' : `#${cell.index}`;
  return [
    {
      label: 'Diagram',
      tooltip: `Show the cell diagram of ${name}`,
      href: commandUri(Commands.showCellDiagram, [cell.archString]),
    },
    {
      label: 'Pin',
      tooltip: `Add ${name} to the comparison`,
      href: commandUri(Commands.addToComparison, [cell.archString]),
    },
    {
      label: 'Copy',
      tooltip: `Copy the architecture string of ${name}`,
      href: commandUri(Commands.copyAs, [cell.archString, 'string']),
    },
  ];
}

/** Styles of the report page: VS Code's theme colours and fonts, metrics right-aligned in tabular figures. */
const REPORT_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; line-height: 1.45; }
h1 { font-size: 1.35em; font-weight: 600; margin: 0.8em 0 0.3em; }
h2 { font-size: 1.1em; font-weight: 600; margin: 1.2em 0 0.4em; }
p, ul { margin: 0.4em 0 0.8em; max-width: 80em; }
code, .arch { font-family: var(--vscode-editor-font-family); font-size: 0.92em; }
code { color: var(--vscode-textPreformat-foreground); overflow-wrap: anywhere; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
a:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.toolbar { display: flex; gap: 14px; margin: 10px 0 0; font-size: 0.95em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; }
th, td { padding: 3px 8px; vertical-align: top; text-align: left; }
th { font-weight: 600; white-space: nowrap; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.values td { padding-top: 6px; }
tr.cell-row td { padding: 0 8px 6px 2.2em; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); }
tr.values:has(+ tr.cell-row) td { padding-bottom: 0; }
tbody tr.values:not(:has(+ tr.cell-row)) td { border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); }
.cell-name { white-space: nowrap; }
.cell-name .ops { margin-left: 0.2em; }
.actions a { margin-left: 0.9em; font-size: 0.92em; }
.cell-detail .actions a:first-child { margin-left: 0; }
.arch { color: var(--vscode-descriptionForeground); word-break: break-all; }
.cell-detail { margin: 0 0 0.8em; }
.cell-detail .arch { margin-bottom: 0.2em; }
`;

/** The whole page: no script at all; styles only from this page's nonce; links are the allowed commands'. */
export function reportPageHtml(report: Report, id: number): string {
  const nonce = makeNonce();
  const exportLink = `<a href="${escapeHtml(commandUri(Commands.exportReport, [id]))}" title="Save this report as a Markdown file">Export Markdown…</a>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${REPORT_CSS}</style>
<title>${escapeHtml(report.tabTitle)}</title>
</head>
<body>
<nav class="toolbar">${exportLink}</nav>
${reportToHtml(report, cellActions)}
</body>
</html>`;
}
