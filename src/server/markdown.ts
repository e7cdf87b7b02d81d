import type { ServerMarkdownCommand } from '../shared/cellActions';
import { commandUri } from '../shared/commands';

// Markdown that the language server sends to the client (hover cards, the cell details report). The client trusts
// command links in it (src/extension/languageClient.ts), so any text that comes from outside the server's own
// literals (settings, sweep and cache files, file names, data-loading messages) must go through one of these
// helpers: interpolated raw, `[Click](command:robustNas.ntkSweep?...)` in a setting became a live link.

/** CommonMark: "any ASCII punctuation character may be backslash-escaped" (spec 0.31, section 2.4). */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Line breaks and other control characters: each would end a table row, a code span or a paragraph. */
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/**
 * `text` as literal Markdown text: every ASCII punctuation character backslash-escaped (no link, emphasis, code,
 * HTML, table cell boundary, autolink `http://` or entity can start), control characters and line breaks as one
 * space. Safe inside table cells and link labels.
 */
export function markdownText(text: string): string {
  return String(text).replace(CONTROL, ' ').replace(ASCII_PUNCTUATION, '\\$&');
}

/**
 * `text` as an inline code span. Backslashes do not escape inside code spans, so the span is delimited by one more
 * backtick than the longest run of backticks in `text` (CommonMark 6.1), padded by a space when `text` starts or
 * ends with a backtick; line breaks become spaces so the span cannot run past its line. Inside a table cell `|`
 * would still end the cell (GFM splits rows before parsing spans), so there it is escaped as `\|`, which GFM
 * removes again before the span is parsed.
 */
export function markdownCode(text: string, { inTable = false } = {}): string {
  let body = String(text).replace(CONTROL, ' ');
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A link running one of the commands the client trusts in server Markdown (`SERVER_MARKDOWN_COMMANDS`; the type
 * rejects any other). The label is escaped text; the arguments are JSON, percent-encoded whole, so nothing in them
 * can end the link.
 */
export function commandLink(label: string, command: ServerMarkdownCommand, args: readonly unknown[]): string {
  return `[${markdownText(label)}](${commandUri(command, args)})`;
}
