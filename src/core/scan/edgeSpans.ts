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
