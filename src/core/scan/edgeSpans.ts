/**
 * Where each edge's op name sits in a well-formed architecture string value: six `{ offset, length }` in the
 * order the edges appear in the string, which is the project's edge order (0->1, 0->2, 1->2, 0->3, 1->3, 2->3).
 * Used to put dead-edge hints and `none` fixes on exactly the op token. Returns [] when the value does not have
 * six `op~input` edges.
 */
export function edgeOpSpans(value: string): { offset: number; length: number }[] {
  const spans: { offset: number; length: number }[] = [];
  let pieceStart = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value[i] : '|';
    if (c !== '|' && c !== '+') continue;
    const tilde = value.indexOf('~', pieceStart);
    if (tilde >= 0 && tilde < i) spans.push({ offset: pieceStart, length: tilde - pieceStart });
    pieceStart = i + 1;
  }
  return spans.length === 6 ? spans : [];
}

const PIPE = 124;
const PLUS = 43;
const TILDE = 126;

/**
 * Where each edge's op name starts in `value`: `offsets[k]` = `edgeOpSpans(value)[k].offset` for the six edges, and
 * true; false (and `offsets` of no use) when edgeOpSpans would return []. Writes into `offsets` instead of returning
 * objects: the diagnosis of a 36,761-string file places the dead-edge hints of most strings, and edgeOpSpans's seven
 * objects per string took ~17 ms of a first run.
 */
export function edgeOpOffsets(value: string, offsets: Int32Array): boolean {
  let count = 0;
  let pieceStart = 0;
  let sawTilde = false;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : PIPE;
    if (c === TILDE) sawTilde = true;
    if (c !== PIPE && c !== PLUS) continue;
    // As edgeOpSpans: a piece between two separators is an edge when it holds a `~`.
    if (sawTilde && count < offsets.length) offsets[count] = pieceStart;
    if (sawTilde) count++;
    pieceStart = i + 1;
    sawTilde = false;
  }
  return count === 6;
}
