/**
 * Finds the architecture text around a cursor position in one line of a document, for commands run from the editor
 * without a selection ("Add to Comparison", "Copy As", "Convert Encoding"). The language server has the full
 * scanner; the extension only needs the token under the cursor, so a line-local search suffices.
 */

export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// An architecture string, valid or not: `|` then op~input items and `+` separators, up to the last `|`. Quotes,
// spaces and brackets end it, as they do in code.
const ARCH_STRING = /\|[A-Za-z0-9_~|+]*\|/g;
// NASLib tuple `(0, 2, 3, 1, 4, 2)` or `[0,2,3,1,4,2]`.
const NASLIB_TUPLE = /[([]\s*[0-4]\s*(?:,\s*[0-4]\s*){5}[)\]]/g;
// A 1..6 digit number standing alone (an index or a 6-digit op code).
const NUMBER = /(?<![\w.])\d{1,6}(?![\w.])/g;

function spanAt(line: string, character: number, pattern: RegExp): TextSpan | undefined {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    const start = m.index;
    const end = start + m[0].length;
    if (character >= start && character <= end) return { start, end, text: m[0] };
    if (start > character) break;
  }
  return undefined;
}

/** The architecture string, NASLib tuple or number the cursor is in or touching; strings win over numbers. */
export function architectureTextAt(line: string, character: number): TextSpan | undefined {
  return (
    spanAt(line, character, ARCH_STRING) ?? spanAt(line, character, NASLIB_TUPLE) ?? spanAt(line, character, NUMBER)
  );
}
