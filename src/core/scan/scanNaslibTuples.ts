import { naslibOpIndicesToCell } from '../space/encodings';
import type { NaslibTupleOccurrence } from './occurrence';

/**
 * After a name containing `op_indices`: an optional closing quote (dict key), then `=` (not `==`), `:` or a type
 * annotation and `=`, then an optional constructor (`np.array(`, `torch.tensor(`, `tuple(`, `list(`), then a
 * bracketed list on one line. Sticky: it is tried only right after each `op_indices` name.
 */
const AFTER_NAME = /\w*["']?[ \t]*(?::[ \t]*[A-Za-z_][\w.[\], ]{0,40}?[ \t]*=(?!=)|=(?!=)|:)[ \t]*(?:(?:np|numpy)\.array\(|torch\.tensor\(|tuple\(|list\()?[ \t]*([([])([^()[\]\n]{0,80})([)\]])/y;

const NAME_CHAR = /[\w.]/;

/** NASLib `op_indices` tuples assigned to a name containing `op_indices`, in document order. */
export function scanNaslibTuples(text: string): NaslibTupleOccurrence[] {
  const found: NaslibTupleOccurrence[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('op_indices', from);
    if (at < 0) break;
    from = at + 10;
    let nameStart = at;
    while (nameStart > 0 && at - nameStart < 80 && NAME_CHAR.test(text[nameStart - 1])) nameStart--;
    AFTER_NAME.lastIndex = at + 10;
    const m = AFTER_NAME.exec(text);
    if (m === null) continue;
    const nameEnd = at + 10 + (m[0].match(/^\w*/)?.[0].length ?? 0);
    const open = m[1];
    const close = m[3];
    if ((open === '(') !== (close === ')')) continue;
    const entries = m[2].split(',').map((s) => s.trim());
    if (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
    // Only lists of integers are op indices; `(batch, 3)` or `[a, b]` are something else.
    if (entries.length === 0 || !entries.every((e) => /^-?\d+$/.test(e))) continue;
    const values = entries.map(Number);
    const bracketText = open + m[2] + close;
    const end = AFTER_NAME.lastIndex;
    const start = end - bracketText.length;
    found.push({ kind: 'naslib', start, end, text: bracketText, values, cell: naslibOpIndicesToCell(values), name: text.slice(nameStart, nameEnd) });
    from = end;
  }
  return found;
}
