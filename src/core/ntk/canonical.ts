import { codeNumberToCell, CELL_COUNT, isomorphismKey, type Cell } from '../space';
import { isomorphismKeysByCode } from '../space/isomorphism';

let smallestCodeOfKey: Map<string, number> | undefined;

/**
 * The member of `cell`'s isomorphism class with the smallest op-code number. Scores are computed on it, so every
 * cell of a class gets the same numbers (the seeded weights are drawn in edge order, so two isomorphic cells
 * would otherwise get different draws), and results can be cached and swept per class.
 */
export function canonicalCell(cell: Cell): Cell {
  if (!smallestCodeOfKey) {
    smallestCodeOfKey = new Map();
    const keys = isomorphismKeysByCode();
    for (let n = CELL_COUNT - 1; n >= 0; n--) smallestCodeOfKey.set(keys[n], n);
  }
  return codeNumberToCell(smallestCodeOfKey.get(isomorphismKey(cell))!);
}
