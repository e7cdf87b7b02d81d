import { cellToNaslibOpIndices, cellToOpCode, formatArchString, type Cell } from '../../core/space/cell';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { parseCellEncoding, type CellEncodingKind } from '../../core/space/encodings';

/** Every encoding Convert/Copy As can produce, with the words the pickers show. */
export const ENCODING_CHOICES: readonly {
  readonly kind: CellEncodingKind;
  readonly label: string;
  readonly detail: string;
}[] = [
  { kind: 'string', label: 'Architecture string', detail: 'NAS-Bench-201 string, e.g. |nor_conv_3x3~0|+|...|' },
  { kind: 'index', label: 'NAS-Bench-201 index', detail: 'position 0..15624 in the benchmark (api.query_by_index)' },
  {
    kind: 'code',
    label: 'Op code',
    detail: 'six digits, one per edge (0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg pool)',
  },
  { kind: 'naslib', label: 'NASLib op_indices tuple', detail: 'NASLib op and edge order, e.g. (2, 2, 0, 4, 2, 0)' },
];

/**
 * What an encoding needs: the cell, and for `index` the benchmark's position of the cell (ops.json order, not a
 * formula of the ops), which only the data gives. An ArchRecord is one; a cell parsed without the data is one with
 * `index` absent.
 */
export interface EncodableArch {
  readonly cell: Cell;
  readonly index?: number;
}

/** The text of `arch` in one encoding. The index is the cell's own index, not its isomorphism representative's. */
export function encodeArch(arch: EncodableArch, kind: CellEncodingKind): string {
  switch (kind) {
    case 'string':
      return formatArchString(arch.cell);
    case 'index':
      if (arch.index === undefined)
        throw new Error('The NAS-Bench-201 index of a cell comes from the benchmark data, which is not loaded.');
      return String(arch.index);
    case 'code':
      return cellToOpCode(arch.cell);
    case 'naslib':
      return `(${cellToNaslibOpIndices(arch.cell).join(', ')})`;
  }
}

export function isEncodingKind(s: unknown): s is CellEncodingKind {
  return typeof s === 'string' && ENCODING_CHOICES.some((c) => c.kind === s);
}

/** The benchmark as the commands see it: loaded now, or once loaded (rejecting with what to do when it cannot be). */
export interface BenchmarkSource {
  ready(): BenchmarkApi | undefined;
  get(): Promise<BenchmarkApi>;
}

/**
 * The cell of any encoding, for Copy As and Convert. Strings, op codes and NASLib tuples parse without the data (a
 * first start, a download still running, no data at all); their index is filled in when the benchmark is already
 * loaded. An index needs the benchmark's table, so only then is the benchmark awaited. Throws the parser's sentence.
 */
export async function encodableArchOf(
  text: string,
  benchmark: BenchmarkSource,
): Promise<EncodableArch & { readonly kind: CellEncodingKind }> {
  const parsed = parseCellEncoding(text);
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  if (parsed.kind === 'index') return { kind: 'index', ...(await benchmark.get()).archOfIndex(parsed.index) };
  const loaded = benchmark.ready();
  return { kind: parsed.kind, cell: parsed.cell, index: loaded ? indexOf(loaded, parsed.cell) : undefined };
}

/** `arch` with its NAS-Bench-201 index, awaiting the benchmark when the index is not known yet. */
export async function withIndex(arch: EncodableArch, benchmark: BenchmarkSource): Promise<EncodableArch> {
  if (arch.index !== undefined) return arch;
  return { cell: arch.cell, index: indexOf(await benchmark.get(), arch.cell) };
}

function indexOf(benchmark: BenchmarkApi, cell: Cell): number {
  const r = benchmark.resolve(formatArchString(cell));
  if (!r.ok) throw new Error(r.errors[0]?.message ?? `'${formatArchString(cell)}' is not in the benchmark.`);
  return r.arch.index;
}
