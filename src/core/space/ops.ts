import { lookupTable } from '../lookupTable';

/**
 * The NAS-Bench-201 operation set and cell edges (Dong & Yang, ICLR 2020), and the two numeric encodings users
 * meet in the wild: NAS-Bench-201's 6-digit op code (the order of `ops.json` in NAS-RobBench-201) and NASLib's
 * `op_indices` tuple, which uses a different op order AND a different edge order.
 */

/** Operation names exactly as they appear in NAS-Bench-201 architecture strings. */
export const OP_NAMES = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Short labels for tables, inlay hints and diagrams. */
export const OP_SHORT_LABEL: Readonly<Record<OpName, string>> = lookupTable({
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv1x1',
  nor_conv_3x3: 'conv3x3',
  avg_pool_3x3: 'avgpool',
});

export function isOpName(s: string): s is OpName {
  return (OP_NAMES as readonly string[]).includes(s);
}

/** Digit of each op in the NAS-Bench-201 op code / `ops.json`: 0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg pool. */
export const OP_CODE_DIGIT: Readonly<Record<OpName, number>> = lookupTable({
  none: 0,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
  avg_pool_3x3: 4,
});

/** NASLib's `OP_NAMES = ['Identity', 'Zero', 'ReLUConvBN3x3', 'ReLUConvBN1x1', 'AvgPool1x1']` order. */
export const NASLIB_OP_INDEX: Readonly<Record<OpName, number>> = lookupTable({
  skip_connect: 0,
  none: 1,
  nor_conv_3x3: 2,
  nor_conv_1x1: 3,
  avg_pool_3x3: 4,
});

/** A cell edge: from node `from` to node `to`; node 0 is the cell input, node 3 the cell output. */
export interface Edge {
  readonly from: number;
  readonly to: number;
}

/**
 * The canonical edge order of this project (and of NAS-Bench-201's op code):
 * 0->1, 0->2, 1->2, 0->3, 1->3, 2->3. It is also the order in which the edges appear in an architecture string.
 */
export const EDGES: readonly Edge[] = [
  { from: 0, to: 1 },
  { from: 0, to: 2 },
  { from: 1, to: 2 },
  { from: 0, to: 3 },
  { from: 1, to: 3 },
  { from: 2, to: 3 },
];

/** NASLib's edge order (0->1, 0->2, 0->3, 1->2, 1->3, 2->3) as positions in {@link EDGES}. */
export const NASLIB_EDGE_ORDER: readonly number[] = [0, 1, 3, 2, 4, 5];

export const NODE_COUNT = 4;
export const EDGE_COUNT = 6;

/** Position in {@link EDGES} of the edge from -> to, or -1 when there is no such edge. */
export function edgePosition(from: number, to: number): number {
  return EDGES.findIndex((e) => e.from === from && e.to === to);
}

export function edgeLabel(e: Edge): string {
  return `${e.from}->${e.to}`;
}
