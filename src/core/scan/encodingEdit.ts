import type { CellEncodingKind } from '../space/encodings';

/**
 * One rule for writing an architecture encoding into a document, shared by every place that does it (the language
 * server's "Convert to ..." code actions, the "Convert Architecture Encoding" command, "Search Architectures..."
 * inserting a pick): the text must fit where it goes.
 *
 * - Replacing a whole string literal (`'|nor_conv_3x3~0|...'` between its own quotes): the literal is rewritten in
 *   the new encoding's form, so a string converted to an index loses its quotes (`7033`), an op code keeps them.
 * - Inside a string literal or a comment: the bare text, whatever the encoding (the user is writing prose or a value).
 * - In code: a literal of the document's language: strings and op codes quoted (the quote the document uses most; `"`
 *   in JSON and TOML), an index as a number, a NASLib tuple as a tuple in Python and as a list in JSON/YAML/TOML.
 * - In languages without literals (plain text, Markdown, logs, CSV): the bare text.
 */

export interface EncodingEdit {
  /** Document offsets of the text to replace (may be wider than asked: the quotes of a whole literal). */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export type LiteralContext = 'string' | 'comment' | 'code' | 'text';

interface LanguageSyntax {
  /** Quote characters that open a string literal. */
  readonly quotes: readonly string[];
  /** Quote used when the document gives no majority. */
  readonly defaultQuote: string;
  /** Only this quote is valid for strings (JSON). */
  readonly fixedQuote?: boolean;
  readonly lineComment?: readonly string[];
  readonly blockComment?: readonly [string, string];
  /** Python/TOML `'''` and `"""` strings. */
  readonly tripleQuotes?: boolean;
  /** Backslash escapes inside the given quotes (all when undefined). */
  readonly noEscapeIn?: readonly string[];
  /** A NASLib tuple is written as a list (`[2, 2, 0, 2, 2, 2]`) in data languages. */
  readonly tupleAsList?: boolean;
  /** Strings must be quoted even for an index (shell words are text). */
  readonly quoteTuples?: boolean;
}

const PYTHON: LanguageSyntax = { quotes: ['"', "'"], defaultQuote: '"', lineComment: ['#'], tripleQuotes: true };
const JSON_LIKE: LanguageSyntax = {
  quotes: ['"'],
  defaultQuote: '"',
  fixedQuote: true,
  lineComment: ['//'],
  blockComment: ['/*', '*/'],
  tupleAsList: true,
};
const SYNTAX: Readonly<Record<string, LanguageSyntax>> = {
  python: PYTHON,
  json: JSON_LIKE,
  jsonc: JSON_LIKE,
  jupyter: JSON_LIKE,
  yaml: { quotes: ['"', "'"], defaultQuote: '"', lineComment: ['#'], noEscapeIn: ["'"], tupleAsList: true },
  toml: {
    quotes: ['"', "'"],
    defaultQuote: '"',
    fixedQuote: true,
    lineComment: ['#'],
    tripleQuotes: true,
    noEscapeIn: ["'"],
    tupleAsList: true,
  },
  shellscript: { quotes: ["'", '"'], defaultQuote: "'", lineComment: ['#'], noEscapeIn: ["'"], quoteTuples: true },
  javascript: {
    quotes: ['"', "'", '`'],
    defaultQuote: "'",
    lineComment: ['//'],
    blockComment: ['/*', '*/'],
    tupleAsList: true,
  },
  typescript: {
    quotes: ['"', "'", '`'],
    defaultQuote: "'",
    lineComment: ['//'],
    blockComment: ['/*', '*/'],
    tupleAsList: true,
  },
};

/** The syntax of a language with string literals, or undefined (plain text, Markdown, logs, CSV, ...). */
function syntaxOf(languageId: string): LanguageSyntax | undefined {
  return SYNTAX[languageId];
}

/**
 * What the position `offset` of `text` is in: inside a string literal, a comment, code, or a document without
 * literals. A small lexer from the start of the document (strings may span lines in Python and JS); enough to
 * decide quoting, not a parser.
 */
export function literalContextAt(text: string, offset: number, languageId: string): LiteralContext {
  const syntax = syntaxOf(languageId);
  if (!syntax) return 'text';
  let i = 0;
  while (i < offset) {
    const c = text[i];
    const lineComment = syntax.lineComment?.find(
      (m) => text.startsWith(m, i) && (m !== '#' || languageId !== 'yaml' || i === 0 || /\s/.test(text[i - 1])),
    );
    if (lineComment) {
      const eol = text.indexOf('\n', i);
      if (eol < 0 || eol >= offset) return 'comment';
      i = eol + 1;
      continue;
    }
    if (syntax.blockComment && text.startsWith(syntax.blockComment[0], i)) {
      const close = text.indexOf(syntax.blockComment[1], i + syntax.blockComment[0].length);
      if (close < 0 || close + syntax.blockComment[1].length > offset) return 'comment';
      i = close + syntax.blockComment[1].length;
      continue;
    }
    if (syntax.quotes.includes(c)) {
      const triple = syntax.tripleQuotes && text.startsWith(c.repeat(3), i);
      const closing = triple ? c.repeat(3) : c;
      const escapes = !syntax.noEscapeIn?.includes(c);
      let j = i + closing.length;
      let closed = -1;
      while (j < text.length) {
        if (escapes && text[j] === '\\') {
          j += 2;
          continue;
        }
        // A one-line string ends at the end of the line even when unterminated (the user is typing it).
        if (!triple && c !== '`' && text[j] === '\n') break;
        if (text.startsWith(closing, j)) {
          closed = j;
          break;
        }
        j++;
      }
      const end = closed < 0 ? j : closed + closing.length;
      // Inside: after the opening quote, up to the closing one (or the end of the line of an unfinished string).
      if (offset >= i + closing.length && offset <= (closed < 0 ? j : closed)) return 'string';
      if (offset < i + closing.length) return 'code';
      i = end;
      continue;
    }
    i++;
  }
  return 'code';
}

/** The quote the document's strings use most (for Python, YAML, shell), or the language's own. */
function quoteFor(text: string, syntax: LanguageSyntax): string {
  if (syntax.fixedQuote || syntax.quotes.length === 1) return syntax.defaultQuote;
  let best = syntax.defaultQuote;
  let bestCount = -1;
  for (const q of syntax.quotes) {
    let count = 0;
    for (let i = text.indexOf(q); i >= 0 && count < 10_000; i = text.indexOf(q, i + 1)) count++;
    if (count > bestCount || (count === bestCount && q === syntax.defaultQuote)) {
      best = q;
      bestCount = count;
    }
  }
  return best;
}

/** The NASLib tuple `(2, 2, 0, 2, 2, 2)` as the language writes a sequence. */
function tupleLiteral(value: string, syntax: LanguageSyntax): string {
  return syntax.tupleAsList ? value.replace(/^\(/, '[').replace(/\)$/, ']') : value;
}

/** `value` (of encoding `kind`) as a literal in code of the language, quoted with `quote` where text is quoted. */
function codeLiteral(kind: CellEncodingKind, value: string, syntax: LanguageSyntax, quote: string): string {
  if (kind === 'index') return value;
  if (kind === 'naslib' && !syntax.quoteTuples) return tupleLiteral(value, syntax);
  return quote + value + quote; // encodings hold no quotes or backslashes: nothing to escape
}

/**
 * The edit that writes `value` (an encoding of kind `kind`) over `text[start, end)` (an existing encoding, or an
 * empty range to insert at) in a document of `languageId`. See the module comment for the rule.
 */
export function encodingEdit(
  text: string,
  start: number,
  end: number,
  languageId: string,
  kind: CellEncodingKind,
  value: string,
): EncodingEdit {
  const syntax = syntaxOf(languageId);
  if (!syntax) return { start, end, newText: value };
  const before = text[start - 1];
  // A whole literal: the replaced text fills a string between its own quotes. Its quote char is kept.
  if (
    end > start &&
    before !== undefined &&
    syntax.quotes.includes(before) &&
    text[end] === before &&
    literalContextAt(text, start, languageId) === 'string'
  ) {
    const literal = codeLiteral(kind, value, syntax, before);
    if (literal.startsWith(before)) return { start, end, newText: value };
    return { start: start - 1, end: end + 1, newText: literal };
  }
  const context = literalContextAt(text, start, languageId);
  if (context !== 'code') return { start, end, newText: value };
  return { start, end, newText: codeLiteral(kind, value, syntax, quoteFor(text, syntax)) };
}
