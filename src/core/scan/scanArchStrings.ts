import { sharedCell } from '../space/cell';
import { isOpName, OP_CODE_DIGIT, OP_NAMES } from '../space/ops';
import { parseArchString } from '../space/parse';
import { closestOpName } from '../space/suggest';
import type { ArchStringOccurrence, MalformedStringOccurrence, TextSegment } from './occurrence';

/**
 * Finds architecture strings in text of any language. What counts (documented in README, "Language server"):
 *
 * 1. A *run* is a maximal sequence of the characters `A-Z a-z 0-9 _ - ~ | +` that starts at a `|`. The word of
 *    such characters just before that `|` belongs to the run when it contains `~` (a string missing its leading `|`).
 * 2. A run continues across a *break* while the text so far is not yet a complete cell (fewer than two `+`, or
 *    fewer than three edges after the second `+`, or no closing `|`) and text continues right after the break.
 *    A break is what separates two pieces of one string's value in source code without being part of it:
 *    a closing quote (`'`, `"` or backquote), blanks, an optional `+` operator or backslash line continuation,
 *    up to two string-prefix letters (`f`, `r`, `b`, `u`) and an opening quote, as in Python implicit
 *    concatenation `'|nor_conv_3x3~0|+' '|skip_connect~0|...'` or `"..." + "..."`; or an f-string replacement
 *    field holding a string literal, `{'` ... `'}`, as in `f"|{'nor_conv_3x3'}~0|..."`. Breaks are at most 160
 *    characters long, so a run never swallows a paragraph.
 *    A run also ends inside `||` once the text before it is a whole cell (two `+`, three edges after the second):
 *    cells written back to back (`|...~2||nor_conv_3x3~0|+...`, e.g. a 260 KB line of them) are one string each,
 *    not one overlong run that is skipped. A `||` inside an unfinished cell stays in the run (and is diagnosed).
 * 3. After the last `|`, a trailing word is kept only when it contains `~` (a missing final `|`) or is `+`.
 * 4. A run next to a template placeholder (the character before it or after it is `{`, `}`, `%`, `$`, `<`, `>`)
 *    is a template such as `f"|{op}~0|"` or `'|%s~0|'`, not a string, and is skipped.
 * 5. The run's value parses -> a string. Otherwise it is a *malformed string* when it is still clearly meant as one:
 *    at least two `op~input` edges, at least one of whose op names is a NAS-Bench-201 op or a recognisable
 *    misspelling of one (`nor_conv3x3`). Anything else (Markdown tables, shell pipes, `a|b~c`) is ignored.
 *
 * Linear time: every character is consumed by at most one run, breaks are matched by a sticky regex of bounded
 * length, and each candidate is parsed once. (No cache of parse results: its keys would be slices that keep old
 * versions of large documents alive.)
 */

const RUN_CHAR = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-~|+') RUN_CHAR[ch.charCodeAt(0)] = 1;
const WORD_CHAR = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-~') WORD_CHAR[ch.charCodeAt(0)] = 1;
const TEMPLATE_NEIGHBOUR = new Uint8Array(128);
for (const ch of '{}%$<>') TEMPLATE_NEIGHBOUR[ch.charCodeAt(0)] = 1;

const PIPE = 124;
const TILDE = 126;

/** Runs longer than this are not architecture strings (one is about 100 characters); they are skipped whole. */
const MAX_RUN_LENGTH = 1024;

/** See rule 2 above. Sticky, so it only matches exactly where a run stopped. */
const BREAK =
  /(?:['"`][ \t\r\n\\]{0,80}(?:\+[ \t\r\n\\]{0,80})?[rRbBuUfF]{0,2}['"`]|\{[ \t]{0,8}[rRbBuUfF]{0,2}['"`]|['"`][ \t]{0,8}\})/y;

function isRunChar(code: number): boolean {
  return code < 128 && RUN_CHAR[code] === 1;
}

function isWordChar(code: number): boolean {
  return code < 128 && WORD_CHAR[code] === 1;
}

/** Rule 4, for the character at `at` (none before the start or after the end of the text). */
function isTemplateNeighbourAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code < 128 && TEMPLATE_NEIGHBOUR[code] === 1;
}

/** Rule 5: two or more `op~input` edges, one of them naming a NAS-Bench-201 op or a close misspelling of one. */
export function looksMeantAsArchString(value: string): boolean {
  let edges = 0;
  let knownOp = false;
  let pieceStart = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : PIPE;
    if (c !== PIPE && c !== 43) continue;
    const piece = value.slice(pieceStart, i);
    pieceStart = i + 1;
    const tilde = piece.indexOf('~');
    if (tilde < 0) continue;
    edges++;
    if (!knownOp) {
      const op = piece.slice(0, tilde);
      knownOp = isOpName(op) || (op.length <= 40 && closestOpName(op) !== undefined);
    }
  }
  return edges >= 2 && knownOp;
}

/** Each op name by its digit in the code number (OP_CODE_DIGIT), for {@link wellFormedCode}. */
const OP_OF_DIGIT: readonly string[] = OP_NAMES.map((_, d) => OP_NAMES.find((op) => OP_CODE_DIGIT[op] === d)!);
/** The input node of each edge, in string order (`|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`). */
const EDGE_INPUT = [0, 0, 1, 0, 1, 2];

/**
 * The code number of a well-formed string (exactly `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`), or -1. Almost every
 * string in real files is well-formed; the general parser is kept for the rest (and gives their errors). Compared
 * character by character: an anchored regex with six capture groups did the same, but allocated a match and six
 * substrings per string, and cost ~45 ms of a cold 4 MB scan (36,761 strings) against ~14 ms for this (profiled).
 */
export function wellFormedCode(value: string): number {
  if (value.charCodeAt(0) !== PIPE) return -1;
  let at = 1;
  let code = 0;
  for (let k = 0; k < 6; k++) {
    let digit = -1;
    for (let d = 0; d < OP_OF_DIGIT.length; d++) {
      if (value.startsWith(OP_OF_DIGIT[d], at)) {
        digit = d;
        break;
      }
    }
    // No op name is a prefix of another, so the first that matches is the only candidate.
    if (digit < 0) return -1;
    at += OP_OF_DIGIT[digit].length;
    if (value.charCodeAt(at) !== TILDE || value.charCodeAt(at + 1) !== 48 + EDGE_INPUT[k]) return -1;
    if (value.charCodeAt(at + 2) !== PIPE) return -1;
    at += 3;
    // `+|` after the edges into node 1 and node 2.
    if (k === 0 || k === 2) {
      if (value.charCodeAt(at) !== 43 || value.charCodeAt(at + 1) !== PIPE) return -1;
      at += 2;
    }
    code = code * 5 + digit;
  }
  return at === value.length ? code : -1;
}

export interface ScanOptions {
  /** Polled every few thousand characters; when it returns true the scan stops and returns what it found. */
  readonly isCancelled?: () => boolean;
}

/** Characters scanned between cancellation checks (and between the yields of the stepwise scan). */
export const SCAN_STEP = 65536;

/** Architecture strings and malformed strings in `text`, in document order. */
export function scanArchStrings(
  text: string,
  options: ScanOptions = {},
): (ArchStringOccurrence | MalformedStringOccurrence)[] {
  const scanner = new ArchStringScanner(text);
  while (!scanner.advance(scanner.position + SCAN_STEP)) {
    if (options.isCancelled?.()) break;
  }
  return scanner.found;
}

/** The state of an {@link ArchStringScanner} between two `advance` calls. */
export interface ScannerState {
  /** Where the next run is looked for. */
  readonly pos: number;
  /** End of the last run taken or skipped: a word before the next `|` is not looked for before it (rule 1). */
  readonly lastEnd: number;
}

/**
 * How far the scanner reads past its position, at most: the longest break (rule 2) and the characters right after
 * a run. A scan stopped at `pos` has read nothing beyond `pos + SCANNER_LOOKAHEAD`.
 */
export const SCANNER_LOOKAHEAD = 256;

/** How far the scanner reads back from a `|`, at most: the word before it (rule 1) and one character more. */
export const SCANNER_LOOKBEHIND = 66;

/**
 * The scan as a resumable machine: `advance(limit)` processes runs that start before `limit` and returns true at
 * the end of the text. Its state between calls is just the position and the end of the last run, so a caller can
 * spread a large document over several event-loop turns (and check for cancellation in between) with results
 * identical to one call.
 */
export class ArchStringScanner {
  readonly found: (ArchStringOccurrence | MalformedStringOccurrence)[];
  private pos: number;
  private lastEnd: number;

  /**
   * `from` resumes a scan of the same text (or of a text equal to it around and after `from.pos`) at a state an
   * earlier scanner was in, with what it had found by then (see incrementalScan.ts).
   */
  constructor(
    private readonly text: string,
    from?: ScannerState & { readonly found: readonly (ArchStringOccurrence | MalformedStringOccurrence)[] },
  ) {
    this.pos = from?.pos ?? 0;
    this.lastEnd = from?.lastEnd ?? 0;
    this.found = from ? [...from.found] : [];
  }

  get position(): number {
    return this.pos;
  }

  /** Where the scan is and where the last run it took ended: all that the rest of the scan depends on. */
  get state(): ScannerState {
    return { pos: this.pos, lastEnd: this.lastEnd };
  }

  advance(limit: number): boolean {
    const { text, found } = this;
    const n = text.length;
    let pos = this.pos;
    let lastEnd = this.lastEnd;
    try {
      while (pos < n) {
        const pipe = text.indexOf('|', pos);
        if (pipe < 0) {
          pos = n;
          break;
        }
        if (pipe >= limit) {
          pos = pipe;
          return false;
        }
        // Rule 1: a word with `~` just before the `|` belongs to the run.
        let start = pipe;
        let w = pipe;
        let sawTilde = false;
        while (w > lastEnd && isWordChar(text.charCodeAt(w - 1)) && pipe - w < 64) {
          w--;
          if (text.charCodeAt(w) === TILDE) sawTilde = true;
        }
        if (sawTilde) start = w;

        // Collect the run and its segments (rule 2).
        let segments: TextSegment[] = [];
        let value = '';
        let segStart = start;
        let i = pipe + 1;
        let tooLong = false;
        // Rule 2b: counts for telling where a whole cell ends inside a run of back-to-back cells.
        let plus = 0;
        let tildesAfterSecondPlus = 0;
        for (;;) {
          while (i < n) {
            const c = text.charCodeAt(i);
            if (!isRunChar(c)) break;
            // `||` right after a whole cell: the next cell starts here (`'|...~2||...'`, cells written back to back).
            if (
              c === PIPE &&
              i > segStart &&
              text.charCodeAt(i - 1) === PIPE &&
              plus >= 2 &&
              tildesAfterSecondPlus >= 3
            )
              break;
            if (c === 43) plus++;
            else if (c === TILDE && plus >= 2) tildesAfterSecondPlus++;
            i++;
          }
          const piece = text.slice(segStart, i);
          const segment = { valueStart: value.length, start: segStart, length: piece.length };
          // A literal holds just its segment; the first push onto [] reserves room for 16, 128 bytes more per string
          // that stay as long as the scan does (4.7 MB on a 36,761-string file, copied by every young-generation GC).
          if (segments.length === 0) segments = [segment];
          else segments.push(segment);
          value += piece;
          if (value.length > MAX_RUN_LENGTH) {
            tooLong = true;
            break;
          }
          // Rule 2: a break may continue the value only while it cannot be a whole cell yet. The counts cover the
          // whole value: the word before the first `|` (rule 1) has no `+`, so it adds nothing to them.
          const wholeCell = plus >= 2 && tildesAfterSecondPlus >= 3 && value.charCodeAt(value.length - 1) === PIPE;
          if (i >= n || wholeCell) break;
          BREAK.lastIndex = i;
          const m = BREAK.exec(text);
          if (m === null) break;
          const after = i + m[0].length;
          if (after >= n || !isRunChar(text.charCodeAt(after))) break;
          segStart = after;
          i = after;
        }
        const runEnd = i;
        pos = runEnd > pipe ? runEnd : pipe + 1;
        if (tooLong) {
          // Skip the rest of an overlong run so its tail is not scanned again as a fresh run.
          while (pos < n && isRunChar(text.charCodeAt(pos))) pos++;
          lastEnd = pos;
          continue;
        }
        if (value.indexOf('~') < 0) continue;

        // Rule 3: trim a trailing word without `~` after the last `|`.
        const lastPipe = value.lastIndexOf('|');
        const tail = value.slice(lastPipe + 1);
        let valueLength = value.length;
        if (tail.length > 0 && tail.indexOf('~') < 0 && tail !== '+') valueLength = lastPipe + 1;
        if (valueLength < value.length) {
          value = value.slice(0, valueLength);
          while (segments.length > 1 && segments[segments.length - 1].valueStart >= valueLength) segments.pop();
          const last = segments[segments.length - 1];
          segments[segments.length - 1] = { ...last, length: valueLength - last.valueStart };
        }
        const lastSeg = segments[segments.length - 1];
        const end = lastSeg.start + lastSeg.length;

        // Rule 4: template placeholders next to the run (charCodeAt is NaN outside the text: no placeholder).
        if (
          isTemplateNeighbourAt(text, start - 1) ||
          isTemplateNeighbourAt(text, end) ||
          isTemplateNeighbourAt(text, runEnd)
        ) {
          lastEnd = runEnd;
          continue;
        }

        const code = wellFormedCode(value);
        if (code >= 0) {
          found.push({ kind: 'string', start, end, value, segments, cell: sharedCell(code) });
          lastEnd = runEnd;
          continue;
        }
        const parsed = parseArchString(value);
        if (parsed.ok) {
          found.push({ kind: 'string', start, end, value, segments, cell: parsed.cell });
          lastEnd = runEnd;
        } else if (looksMeantAsArchString(value)) {
          found.push({ kind: 'malformed-string', start, end, value, segments, errors: parsed.errors });
          lastEnd = runEnd;
        }
      }
      return true;
    } finally {
      this.pos = pos;
      this.lastEnd = lastEnd;
    }
  }
}
