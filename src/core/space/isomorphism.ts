import { cellToCodeNumber, codeNumberToCell, CELL_COUNT, type Cell } from './cell';
import { EDGES } from './ops';

/** The expression of a node that is exactly one zero term (NAS-Bench-201 writes it '#'). */
const ZERO = '#';

/**
 * NAS-Bench-201's zero-aware canonical form of a cell (its `to_unique_str(consider_zero=True)`), computed from the
 * structure alone. A node's expression is the sorted, '+'-joined sum of its incoming terms: a `none` edge, or any
 * edge out of a node whose expression is exactly one zero term, is a zero term; `skip_connect` passes its input's
 * expression through; any other op wraps it as `(input)@op`. Zero terms stay in the sum, so a node fed only by
 * zeros (`#+#`) is not itself zero downstream: that is the rule under which the 15,625 cells form 6,466 classes.
 */
export function isomorphismKey(cell: Cell): string {
  const node: string[] = ['0'];
  for (let j = 1; j <= 3; j++) {
    const terms: string[] = [];
    EDGES.forEach((e, k) => {
      if (e.to !== j) return;
      const op = cell[k];
      const input = node[e.from];
      if (op === 'none' || input === ZERO) terms.push(ZERO);
      else if (op === 'skip_connect') terms.push(input);
      else terms.push(`(${input})@${op}`);
    });
    node[j] = terms.sort().join('+');
  }
  return node[3];
}

/**
 * Partitions all 15,625 cells into isomorphism classes. Each cell's representative is the member with the smallest
 * NAS-Bench-201 index, as the benchmark defines it; `codeNumberOfIndex[i]` is the code number of the cell at index i.
 * Returns, for every index, the index of its representative.
 */
export function representativeByIndex(codeNumberOfIndex: ArrayLike<number>): Int32Array {
  if (codeNumberOfIndex.length !== CELL_COUNT) throw new RangeError(`expected ${CELL_COUNT} indices, got ${codeNumberOfIndex.length}`);
  const firstIndexOfKey = new Map<string, number>();
  const rep = new Int32Array(CELL_COUNT);
  for (let index = 0; index < CELL_COUNT; index++) {
    const key = isomorphismKey(codeNumberToCell(codeNumberOfIndex[index]));
    const first = firstIndexOfKey.get(key);
    if (first === undefined) {
      firstIndexOfKey.set(key, index);
      rep[index] = index;
    } else {
      rep[index] = first;
    }
  }
  return rep;
}

/** Number of distinct classes; 6,466 for NAS-Bench-201. */
export function countIsomorphismClasses(cells: Iterable<Cell>): number {
  const keys = new Set<string>();
  for (const c of cells) keys.add(isomorphismKey(c));
  return keys.size;
}

/** Two cells are isomorphic when they share the canonical form. */
export function areIsomorphic(a: Cell, b: Cell): boolean {
  return cellToCodeNumber(a) === cellToCodeNumber(b) || isomorphismKey(a) === isomorphismKey(b);
}
