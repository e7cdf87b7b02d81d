import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * A text document stored as an array of lines, for the server's open documents. vscode-languageserver-textdocument
 * keeps one string and rebuilds it (and shifts every later line offset) on each incremental change, which costs
 * time proportional to the document: about 12-100 ms per keystroke at 20 MB, so 1,000 one-character edits took 95 s
 * to apply (issue 10) while the server answered nothing. Here an edit replaces only the lines it touches; the whole
 * text and the line offsets are built once per version, when a feature asks for them (diagnostics are debounced,
 * so during an edit storm that is once at the end).
 *
 * Positions behave exactly as in vscode-languageserver-textdocument (line breaks `\r\n`, `\r`, `\n`; a character past
 * the end of a line means the end of the line; a line past the end means the end of the document), which a
 * differential test checks on random edits.
 */
export class LineDocument implements TextDocument {
  /**
   * Each line with its line break; the last one has none (it is empty when the text ends with a line break).
   * Undefined until the first edit: a document as opened is read from its text, and most are never edited. Splitting
   * a 4 MB search log into 36,761 line strings took ~18 ms of its first diagnosis (before any function is
   * optimised), and the strings stayed alive through every young-generation GC of the scan that follows.
   */
  private lines: string[] | undefined;
  private text: string | undefined;
  private starts: number[] | undefined;
  private textLength: number;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.lines = undefined;
    this.text = content;
    this.textLength = content.length;
  }

  static create(uri: string, languageId: string, version: number, content: string): LineDocument {
    return new LineDocument(uri, languageId, version, content);
  }

  static update(document: LineDocument, changes: TextDocumentContentChangeEvent[], version: number): LineDocument {
    document.update(changes, version);
    return document;
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lines?.length ?? this.lineStarts().length;
  }

  /** Length of the text in UTF-16 code units, kept up to date by each edit (reading it costs nothing). */
  get length(): number {
    return this.textLength;
  }

  getText(range?: Range): string {
    if (!range) {
      this.text ??= this.lines!.join('');
      return this.text;
    }
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    return this.slice(start, end);
  }

  /** Text between two offsets, built from the lines it spans (the whole text is not needed for it). */
  slice(start: number, end: number): string {
    if (this.text !== undefined) return this.text.substring(start, end);
    if (end <= start) return '';
    const starts = this.lineStarts();
    const parts: string[] = [];
    const lines = this.lines!;
    for (let line = this.lineOf(start); line < lines.length && starts[line] < end; line++) {
      const s = starts[line];
      parts.push(lines[line].substring(Math.max(0, start - s), end - s));
    }
    return parts.join('');
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const clamped = Math.max(Math.min(offset, this.length), 0);
    const line = this.lineOf(clamped);
    return { line, character: Math.min(clamped - starts[line], this.contentLength(line)) };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    if (position.character <= 0) return start;
    return start + Math.min(position.character, this.contentLength(position.line));
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const l = Math.min(line, this.lineCount - 1);
    return { start: { line: l, character: 0 }, end: { line: l, character: this.contentLength(l) } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lineCount) return '';
    const starts = this.lineStarts();
    const start = starts[line] + this.contentLength(line);
    return this.slice(start, line + 1 < starts.length ? starts[line + 1] : this.length);
  }

  /** Length of a line without its line break. */
  private contentLength(line: number): number {
    if (this.lines !== undefined) return contentLength(this.lines[line]);
    // Read from the text: the line runs from its start to the next line's start (or the end), break included.
    const starts = this.lineStarts();
    const text = this.text!;
    const start = starts[line];
    const end = line + 1 < starts.length ? starts[line + 1] : text.length;
    if (end === start) return 0;
    const last = text.charCodeAt(end - 1);
    if (last === 10) return end - 2 >= start && text.charCodeAt(end - 2) === 13 ? end - start - 2 : end - start - 1;
    return last === 13 ? end - start - 1 : end - start;
  }

  private update(changes: TextDocumentContentChangeEvent[], version: number): void {
    this.lines ??= splitLines(this.text!);
    for (const change of changes) {
      if ('range' in change && change.range !== undefined) this.replace(change.range, change.text);
      else {
        this.lines = splitLines(change.text);
        this.textLength = change.text.length;
      }
    }
    this.text = undefined;
    this.starts = undefined;
    this.currentVersion = version;
  }

  /** Replaces a range: only the lines from its start line to its end line are rebuilt. */
  private replace(range: Range, newText: string): void {
    const [a, b] = isBefore(range.end, range.start) ? [range.end, range.start] : [range.start, range.end];
    const [sl, sc] = this.clamp(a);
    const [el, ec] = this.clamp(b);
    const lines = this.lines!;
    let combined = lines[sl].substring(0, sc) + newText + lines[el].substring(ec);
    let from = sl;
    // A lone `\r` ending the previous line and a `\n` starting the new text are one line break now.
    if (from > 0 && combined.charCodeAt(0) === 10 && lines[from - 1].endsWith('\r')) {
      from--;
      combined = lines[from] + combined;
    }
    const replacement = splitLines(combined);
    // Before the last line, the rebuilt text ends with the end line's break: the empty remainder is not a line.
    if (el < lines.length - 1) replacement.pop();
    const removed = el - from + 1;
    let removedLength = 0;
    for (let i = from; i <= el; i++) removedLength += lines[i].length;
    this.textLength += combined.length - removedLength;
    if (replacement.length < 10000) lines.splice(from, removed, ...replacement);
    else this.lines = lines.slice(0, from).concat(replacement, lines.slice(from + removed));
    this.text = undefined;
    this.starts = undefined;
  }

  /** A position as (line, character) inside the document, clamped as offsetAt does. */
  private clamp(p: Position): [number, number] {
    const lines = this.lines!;
    const last = lines.length - 1;
    if (p.line < 0) return [0, 0];
    if (p.line > last) return [last, lines[last].length];
    return [p.line, Math.max(0, Math.min(p.character, contentLength(lines[p.line])))];
  }

  private lineStarts(): number[] {
    if (this.starts === undefined) {
      if (this.lines === undefined) this.starts = lineStartsOf(this.text!);
      else {
        const starts = new Array<number>(this.lines.length);
        let offset = 0;
        for (let i = 0; i < this.lines.length; i++) {
          starts[i] = offset;
          offset += this.lines[i].length;
        }
        this.starts = starts;
      }
    }
    return this.starts;
  }

  /** The line holding `offset` (the last line whose start is at or before it). */
  private lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Length of a stored line without its line break. */
function contentLength(line: string): number {
  const n = line.length;
  if (n === 0) return 0;
  const last = line.charCodeAt(n - 1);
  if (last === 10) return n >= 2 && line.charCodeAt(n - 2) === 13 ? n - 2 : n - 1;
  return last === 13 ? n - 1 : n;
}

/**
 * Where each line of `text` starts: 0, then the offset after each line break (`\r\n`, `\r` or `\n`), the starts of
 * the lines {@link splitLines} would cut. Found with indexOf, which searches far faster than a loop over every
 * character before that loop is optimised (the first scan of a 4 MB file).
 */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf >= 0 || cr >= 0) {
    // The next break: a `\r` (with the `\n` right after it, if any) or a `\n`.
    const next = cr >= 0 && (lf < 0 || cr < lf) ? (lf === cr + 1 ? lf + 1 : cr + 1) : lf + 1;
    starts.push(next);
    if (lf >= 0 && lf < next) lf = text.indexOf('\n', next);
    if (cr >= 0 && cr < next) cr = text.indexOf('\r', next);
  }
  return starts;
}

/** `text` cut after each line break (`\r\n`, `\r` or `\n`); the last piece has none and may be empty. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      out.push(text.substring(start, i + 1));
      start = i + 1;
    } else if (c === 10) {
      out.push(text.substring(start, i + 1));
      start = i + 1;
    }
  }
  out.push(text.substring(start));
  return out;
}
