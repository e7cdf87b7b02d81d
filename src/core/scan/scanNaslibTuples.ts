import { naslibOpIndicesToCell } from '../space/encodings';
import type { NaslibTupleOccurrence } from './occurrence';

/**
 * NASLib's NAS-Bench-201 space stores a cell as `op_indices` (`NasBench201SearchSpace.set_op_indices` in
 * automl/NASLib), and users name their own copies after it in whatever style their code uses: `op_indices`,
 * `OP_INDICES`, `BASELINE_OP_INDICES`, `self.best_op_indices`, `opIndices`, `bestOpIndices`, a dict or JSON key
 * `"op_indices"`, a keyword argument `op_indices=`, or the call `graph.set_op_indices([...])`.
 *
 * A name counts when `op` and `indices` are consecutive words of it, in any case, split at `_`, at a lowercase to
 * uppercase step (camelCase) or written together (`opindices`). `stop_indices`, `top_indices` or `TOP_INDICES` do
 * not count: `op` must start a word. When the name ends with those words, the bracketed list after it is taken
 * whatever it holds (a wrong list is diagnosed); when more words follow (`op_indices_shape`, `opIndicesBest`), only a
 * list that is a valid cell (six integers 0..4) is taken, so a shape or a count is never reported. Any other tuple,
 * however cell-like (`shape = (2, 2, 0, 2, 2, 2)`), is not an architecture.
 */

/** Where a candidate name may sit: the words `op` and `indices` with an optional `_`, any case. */
const OP_INDICES_WORDS = /op_?indices/gi;

/** Names (with their `self.`-style qualifiers) longer than this are not variable names; they are skipped. */
const MAX_NAME_LENGTH = 80;

/**
 * After the name: an optional closing quote (dict key), then `=` (not `==`), `:`, a type annotation and `=`, or
 * (for `set_op_indices`) a call's `(`; then an optional constructor (`np.array(`, `torch.tensor(`, `tuple(`,
 * `list(`), then a bracketed list of at most 120 characters (it may span lines). Sticky, and every repetition is
 * bounded, so one attempt costs a bounded amount of work wherever it starts.
 */
const AFTER_NAME =
  /["']?[ \t]{0,16}(?::[ \t]{0,16}[A-Za-z_][\w.[\], ]{0,40}?[ \t]{0,16}=(?!=)|=(?!=)|:|(\())[ \t]{0,16}(?:(?:np|numpy)\.array\(|torch\.tensor\(|tuple\(|list\()?[ \t]{0,16}([([])([^()[\]]{0,120})([)\]])/y;

function isIdentifierCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether the words at [at, end) start a word of the identifier around them: at the identifier's start, after `_`
 * or a `.`, or at a camelCase step (`bestOpIndices`: a lowercase letter or digit, then an uppercase `O`).
 */
function startsWord(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  if (!isIdentifierCode(before) || before === 95) return true;
  return (isLower(before) || isDigit(before)) && isUpper(text.charCodeAt(at));
}

/**
 * How the name goes on after the words: 'end' (the identifier ends), 'more' (another word follows: `_x`, `X`,
 * a digit) or undefined (the identifier goes on in the same word, `op_indicesx`: not our name).
 */
function wordEnd(text: string, end: number): 'end' | 'more' | undefined {
  if (end >= text.length) return 'end';
  const after = text.charCodeAt(end);
  if (!isIdentifierCode(after)) return 'end';
  if (after === 95 || isUpper(after) || isDigit(after)) return 'more';
  return undefined;
}

/** NASLib `op_indices` lists after names written as described above, in document order. Linear time. */
export function scanNaslibTuples(text: string): NaslibTupleOccurrence[] {
  const found: NaslibTupleOccurrence[] = [];
  OP_INDICES_WORDS.lastIndex = 0;
  for (let w = OP_INDICES_WORDS.exec(text); w !== null; w = OP_INDICES_WORDS.exec(text)) {
    const at = w.index;
    const wordsEnd = at + w[0].length;
    if (!startsWord(text, at)) continue;
    const ending = wordEnd(text, wordsEnd);
    if (ending === undefined) continue;

    // The whole name: qualifiers before (`self.best_`), more words after (`_shape`); both bounded.
    let nameStart = at;
    while (nameStart > 0 && at - nameStart <= MAX_NAME_LENGTH) {
      const c = text.charCodeAt(nameStart - 1);
      if (!isIdentifierCode(c) && c !== 46) break;
      nameStart--;
    }
    let nameEnd = wordsEnd;
    while (nameEnd < text.length && nameEnd - at <= MAX_NAME_LENGTH && isIdentifierCode(text.charCodeAt(nameEnd)))
      nameEnd++;
    if (at - nameStart > MAX_NAME_LENGTH || nameEnd - at > MAX_NAME_LENGTH) continue;
    const name = text.slice(nameStart, nameEnd);

    AFTER_NAME.lastIndex = nameEnd;
    const m = AFTER_NAME.exec(text);
    if (m === null) continue;
    const [, call, open, inner, close] = m;
    // The call form is NASLib's setter (`set_op_indices([...])`), not any function named after op indices.
    if (call !== undefined && (ending !== 'end' || !/set_?$/i.test(text.slice(nameStart, at)))) continue;
    if ((open === '(') !== (close === ')')) continue;
    const entries = inner.split(',').map((s) => s.trim());
    if (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
    // Only lists of integers are op indices; `(batch, 3)` or `[a, b]` are something else.
    if (entries.length === 0 || !entries.every((e) => /^-?\d+$/.test(e))) continue;
    const values = entries.map(Number);
    const cell = naslibOpIndicesToCell(values);
    if (ending === 'more' && !cell) continue;
    const bracketText = open + inner + close;
    const end = AFTER_NAME.lastIndex;
    found.push({ kind: 'naslib', start: end - bracketText.length, end, text: bracketText, values, cell, name });
    OP_INDICES_WORDS.lastIndex = end;
  }
  return found;
}
