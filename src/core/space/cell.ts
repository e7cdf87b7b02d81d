import { EDGE_COUNT, NASLIB_EDGE_ORDER, NASLIB_OP_INDEX, OP_CODE_DIGIT, OP_NAMES, type OpName } from './ops';

/**
 * A NAS-Bench-201 cell: the operation on each of its six edges, in `EDGES` order (ops.ts).
 * Cells are plain frozen arrays so they can be compared, hashed by their code, and sent over JSON.
 */
export type Cell = readonly OpName[];

/** All 5^6 = 15,625 cells in op-code order (code 000000 first). */
export const CELL_COUNT = 15625;

export function makeCell(ops: readonly OpName[]): Cell {
  if (ops.length !== EDGE_COUNT) throw new RangeError(`a cell has ${EDGE_COUNT} edges, got ${ops.length}`);
  return Object.freeze([...ops]);
}

/**
 * `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, the canonical NAS-Bench-201 string: the edges into node 1, 2, 3 in turn,
 * which is `EDGES` order (0->1 | 0->2, 1->2 | 0->3, 1->3, 2->3), each as `op~from`.
 */
export function formatArchString(cell: Cell): string {
  return `|${cell[0]}~0|+|${cell[1]}~0|${cell[2]}~1|+|${cell[3]}~0|${cell[4]}~1|${cell[5]}~2|`;
}

/** The 6-digit NAS-Bench-201 op code, e.g. `421211`. */
export function cellToOpCode(cell: Cell): string {
  return cell.map((op) => OP_CODE_DIGIT[op]).join('');
}

/** Integer 0..15624 reading the op code in base 5; a dense key for typed-array tables. */
export function cellToCodeNumber(cell: Cell): number {
  let n = 0;
  // An index loop: for...of's iterator made 31,000 calls (a first diagnosis of a 15,000-cell file) take 26-42 ms
  // before the function is optimised, against 8-12 ms.
  for (let k = 0; k < cell.length; k++) n = n * 5 + OP_CODE_DIGIT[cell[k]];
  return n;
}

/**
 * The cell of code number `n` as one shared frozen object, made on first use. The scanner gives every occurrence of
 * a cell this object, so a 36,761-string search log holds at most 15,625 cells instead of one array per string, and
 * what is kept per cell object (code numbers, benchmark records in the server) is computed once per cell.
 */
export function sharedCell(n: number): Cell {
  return (sharedCells[n] ??= codeNumberToCell(n));
}

const sharedCells: (Cell | undefined)[] = new Array<Cell | undefined>(CELL_COUNT);

export function codeNumberToCell(n: number): Cell {
  if (!Number.isInteger(n) || n < 0 || n >= CELL_COUNT)
    throw new RangeError(`code number ${n} is outside 0..${CELL_COUNT - 1}`);
  const ops: OpName[] = new Array(EDGE_COUNT);
  for (let k = EDGE_COUNT - 1; k >= 0; k--) {
    ops[k] = OP_NAMES[n % 5];
    n = Math.floor(n / 5);
  }
  return makeCell(ops);
}

/** NASLib `op_indices`: NASLib's op numbering, NASLib's edge order. */
export function cellToNaslibOpIndices(cell: Cell): number[] {
  return NASLIB_EDGE_ORDER.map((k) => NASLIB_OP_INDEX[cell[k]]);
}

export function cellsEqual(a: Cell, b: Cell): boolean {
  return a.length === b.length && a.every((op, k) => op === b[k]);
}

/** Every cell, in code-number order. */
export function allCells(): Cell[] {
  return Array.from({ length: CELL_COUNT }, (_, n) => codeNumberToCell(n));
}
