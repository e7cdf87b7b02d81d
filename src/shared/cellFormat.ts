import type { Cell } from '../core/space/cell';
import { EDGES, OP_SHORT_LABEL } from '../core/space/ops';

/**
 * Accuracies (fractions in [0, 1] in NAS-RobBench-201's files) as percentages with two decimals, everywhere: hover
 * card, inlay hints, completions, palette, sidebar, reports. Two decimals is the resolution of the data itself (the
 * AutoAttack column is one evaluation on 10,000 test images, a 1/10,000 grid) and tells apart neighbouring ranks
 * near the top, where one decimal shows ties that the ranks contradict.
 */
export function formatAccuracy(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : 'n/a';
}

/**
 * A cell in one short line, node by node: `conv3x3 | conv3x3 avgpool | skip conv3x3 skip` reads as "node 1 takes
 * conv3x3 of the input; node 2 takes ...", the inputs in order 0..n-1 as in the architecture string.
 */
export function shortCellLabel(cell: Cell): string {
  const nodes: string[] = [];
  for (let node = 1; node <= 3; node++) {
    nodes.push(EDGES.flatMap((e, k) => (e.to === node ? [OP_SHORT_LABEL[cell[k]]] : [])).join(' '));
  }
  return nodes.join(' | ');
}
