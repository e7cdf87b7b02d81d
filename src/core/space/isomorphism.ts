import { cellToCodeNumber, CELL_COUNT, type Cell } from './cell';
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
 * {@link isomorphismKey} of every cell, indexed by code number, with the shared parts computed once: node 1 depends
 * on one edge (5 cases), node 2 on three (125), and each term into node 3 on at most four edges, so only the final
 * sort-and-join is per cell. Same rule and same strings as isomorphismKey (checked for all 15,625 cells in
 * test/core/space/isomorphismClasses.test.ts), several times faster; loading the benchmark does this on every start.
 */
export function isomorphismKeysByCode(): string[] {
  const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const; // op-code digit order
  const term = (input: string, digit: number) => {
    const op = OPS[digit];
    if (op === 'none' || input === ZERO) return ZERO;
    if (op === 'skip_connect') return input;
    return `(${input})@${op}`;
  };
  const sum = (terms: string[]) => terms.sort().join('+');
  const node1 = OPS.map((_, d0) => term('0', d0));
  // node2[d0][d1 * 5 + d2]; into node 3: from node 0 by d3, from node 1 by (d0, d4), from node 2 by (d0, d1, d2, d5).
  const node2 = node1.map((n1) =>
    Array.from({ length: 25 }, (_, j) => sum([term('0', Math.floor(j / 5)), term(n1, j % 5)])),
  );
  const from0 = OPS.map((_, d3) => term('0', d3));
  const from1 = node1.map((n1) => OPS.map((_, d4) => term(n1, d4)));
  const from2 = node2.map((row) => row.map((n2) => OPS.map((_, d5) => term(n2, d5))));
  const keys = new Array<string>(CELL_COUNT);
  for (let n = 0; n < CELL_COUNT; n++) {
    const d5 = n % 5,
      d4 = Math.floor(n / 5) % 5,
      d3 = Math.floor(n / 25) % 5,
      d12 = Math.floor(n / 125) % 25,
      d0 = Math.floor(n / 3125);
    keys[n] = sum([from0[d3], from1[d0][d4], from2[d0][d12][d5]]);
  }
  return keys;
}

/**
 * Partitions all 15,625 cells into isomorphism classes. Each cell's representative is the member with the smallest
 * NAS-Bench-201 index, as the benchmark defines it; `codeNumberOfIndex[i]` is the code number of the cell at index i.
 * Returns, for every index, the index of its representative.
 */
export function representativeByIndex(codeNumberOfIndex: ArrayLike<number>): Int32Array {
  if (codeNumberOfIndex.length !== CELL_COUNT)
    throw new RangeError(`expected ${CELL_COUNT} indices, got ${codeNumberOfIndex.length}`);
  const keys = isomorphismKeysByCode();
  const firstIndexOfKey = new Map<string, number>();
  const rep = new Int32Array(CELL_COUNT);
  for (let index = 0; index < CELL_COUNT; index++) {
    const key = keys[codeNumberOfIndex[index]];
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
