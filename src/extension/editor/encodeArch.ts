import type { ArchRecord } from '../../core/benchmark/api';
import type { CellEncodingKind } from '../../core/space/encodings';

/** Every encoding Convert/Copy As can produce, with the words the pickers show. */
export const ENCODING_CHOICES: readonly { readonly kind: CellEncodingKind; readonly label: string; readonly detail: string }[] = [
  { kind: 'string', label: 'Architecture string', detail: 'NAS-Bench-201 string, e.g. |nor_conv_3x3~0|+|...|' },
  { kind: 'index', label: 'NAS-Bench-201 index', detail: 'position 0..15624 in the benchmark (api.query_by_index)' },
  { kind: 'code', label: 'Op code', detail: 'six digits, one per edge (0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg pool)' },
  { kind: 'naslib', label: 'NASLib op_indices tuple', detail: 'NASLib op and edge order, e.g. (2, 2, 0, 4, 2, 0)' },
];

/** The text of `arch` in one encoding. The index is the cell's own index, not its isomorphism representative's. */
export function encodeArch(arch: ArchRecord, kind: CellEncodingKind): string {
  switch (kind) {
    case 'string':
      return arch.archString;
    case 'index':
      return String(arch.index);
    case 'code':
      return arch.code;
    case 'naslib':
      return `(${arch.naslib.join(', ')})`;
  }
}

export function isEncodingKind(s: unknown): s is CellEncodingKind {
  return typeof s === 'string' && ENCODING_CHOICES.some((c) => c.kind === s);
}
