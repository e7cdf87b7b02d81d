import { codeNumberToCell, makeCell, type Cell } from './cell';
import { EDGE_COUNT, NASLIB_EDGE_ORDER, NASLIB_OP_INDEX, OP_NAMES, type OpName } from './ops';
import { parseArchString, type ArchParseError } from './parse';

/**
 * The encodings a user may write a NAS-Bench-201 cell in. `index` needs the benchmark's index map to become a cell,
 * so it is recognised here and resolved by the benchmark layer.
 */
export type CellEncodingKind = 'string' | 'code' | 'naslib' | 'index';

export type CellEncodingParse =
  | { readonly ok: true; readonly kind: Exclude<CellEncodingKind, 'index'>; readonly cell: Cell }
  | { readonly ok: true; readonly kind: 'index'; readonly index: number }
  | { readonly ok: false; readonly kind: CellEncodingKind; readonly errors: readonly ArchParseError[] };

/** Highest NAS-Bench-201 architecture index. */
export const MAX_ARCH_INDEX = 15624;

const OP_BY_NASLIB_INDEX: readonly OpName[] = (() => {
  const out: OpName[] = [];
  for (const op of OP_NAMES) out[NASLIB_OP_INDEX[op]] = op;
  return out;
})();

/** `421211` -> cell. Digits 0..4 in edge order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3. */
export function parseOpCode(text: string): CellEncodingParse {
  if (!/^[0-4]{6}$/.test(text)) {
    const bad = text.search(/[^0-4]/);
    return {
      ok: false,
      kind: 'code',
      errors: [
        {
          kind: 'bad-input',
          offset: bad < 0 ? text.length : bad,
          length: bad < 0 ? 0 : 1,
          expected: 'six digits 0-4',
          message: `An op code is six digits 0-4 (0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg pool); got '${text}'.`,
        },
      ],
    };
  }
  let n = 0;
  for (const ch of text) n = n * 5 + Number(ch);
  return { ok: true, kind: 'code', cell: codeNumberToCell(n) };
}

/** NASLib `op_indices` in NASLib's edge and op order. */
export function naslibOpIndicesToCell(indices: readonly number[]): Cell | undefined {
  if (indices.length !== EDGE_COUNT || indices.some((i) => !Number.isInteger(i) || i < 0 || i > 4)) return undefined;
  const ops: OpName[] = new Array(EDGE_COUNT);
  NASLIB_EDGE_ORDER.forEach((edgePos, k) => {
    ops[edgePos] = OP_BY_NASLIB_INDEX[indices[k]];
  });
  return makeCell(ops);
}

/** `(0, 2, 3, 1, 4, 2)` or `[0,2,3,1,4,2]`: six NASLib op indices. */
export function parseNaslibTuple(text: string): CellEncodingParse {
  const inner = text
    .trim()
    .replace(/^[([]/, '')
    .replace(/[)\]]$/, '');
  const parts = inner
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const nums = parts.map(Number);
  const cell = parts.every((p) => /^\d$/.test(p)) ? naslibOpIndicesToCell(nums) : undefined;
  if (!cell) {
    return {
      ok: false,
      kind: 'naslib',
      errors: [
        {
          kind: 'bad-input',
          offset: 0,
          length: text.length,
          expected: 'six NASLib op indices 0-4',
          message: `A NASLib op_indices tuple has six entries 0-4 (0 skip, 1 none, 2 conv3x3, 3 conv1x1, 4 avg pool; edges 0->1, 0->2, 0->3, 1->2, 1->3, 2->3); got '${text}'.`,
        },
      ],
    };
  }
  return { ok: true, kind: 'naslib', cell };
}

/**
 * Recognises any supported encoding: an architecture string (starts with `|`), a 6-digit op code, a NASLib tuple
 * (brackets or commas), or a NAS-Bench-201 index (1 to 5 digits). Never throws.
 */
export function parseCellEncoding(input: string): CellEncodingParse {
  const text = input.trim();
  if (text.startsWith('|') || /[a-z_]~/i.test(text)) {
    const r = parseArchString(text);
    return r.ok ? { ok: true, kind: 'string', cell: r.cell } : { ok: false, kind: 'string', errors: r.errors };
  }
  if (/^[([]/.test(text) || text.includes(',')) return parseNaslibTuple(text);
  if (/^\d{6}$/.test(text)) return parseOpCode(text);
  if (/^\d{1,5}$/.test(text)) {
    const index = Number(text);
    if (index <= MAX_ARCH_INDEX) return { ok: true, kind: 'index', index };
  }
  return {
    ok: false,
    kind: 'string',
    errors: [
      {
        kind: 'empty',
        offset: 0,
        length: text.length,
        expected: 'architecture string, op code, index or NASLib tuple',
        message: `'${text.length > 60 ? text.slice(0, 60) + '…' : text}' is not a NAS-Bench-201 architecture: give a string like |nor_conv_3x3~0|+|...|, a 6-digit op code (0-4), an index 0..${MAX_ARCH_INDEX}, or a NASLib tuple (0, 2, 3, 1, 4, 2).`,
      },
    ],
  };
}
