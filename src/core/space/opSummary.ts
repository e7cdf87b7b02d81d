import type { Cell } from './cell';
import { OP_NAMES, type OpName } from './ops';

/** The shortest names that still tell the five ops apart, for one-line summaries. */
export const OP_TINY_LABEL: Readonly<Record<OpName, string>> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv1',
  nor_conv_3x3: 'conv3',
  avg_pool_3x3: 'pool',
};

/**
 * A cell's six edges counted by op, most frequent first (ties in the order convolutions, pool, skip, none):
 * `3×conv3 2×skip 1×pool`. About 20 characters, so it fits where the 95-character string does not (QuickPick rows,
 * completion labels, report tables); with the index it tells cells apart at a glance.
 */
export function opCountSummary(cell: Cell): string {
  const order: readonly OpName[] = ['nor_conv_3x3', 'nor_conv_1x1', 'avg_pool_3x3', 'skip_connect', 'none'];
  const counts = new Map<OpName, number>(OP_NAMES.map((op) => [op, 0]));
  for (const op of cell) counts.set(op, (counts.get(op) ?? 0) + 1);
  return order
    .filter((op) => counts.get(op)! > 0)
    .sort((a, b) => counts.get(b)! - counts.get(a)! || order.indexOf(a) - order.indexOf(b))
    .map((op) => `${counts.get(op)}×${OP_TINY_LABEL[op]}`)
    .join(' ');
}
