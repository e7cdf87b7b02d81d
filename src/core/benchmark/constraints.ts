import type { Cell } from '../space/cell';
import type { CellConstraint } from './api';

/** Whether `cell` meets one constraint. */
export function meetsConstraint(cell: Cell, c: CellConstraint): boolean {
  switch (c.kind) {
    case 'edge-is':
      return cell[c.edge] === c.op;
    case 'edge-is-not':
      return cell[c.edge] !== c.op;
    case 'has-op':
      return cell.includes(c.op);
    case 'no-op':
      return !cell.includes(c.op);
  }
}

export function meetsConstraints(cell: Cell, constraints: readonly CellConstraint[]): boolean {
  for (const c of constraints) if (!meetsConstraint(cell, c)) return false;
  return true;
}
