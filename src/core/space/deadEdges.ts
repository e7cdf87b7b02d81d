import type { Cell } from './cell';
import { EDGE_COUNT, EDGES, NODE_COUNT, type OpName } from './ops';

export type DeadEdgeReason = 'unreachable' | 'zero-input';

export interface DeadEdge {
  /** Position of the edge in {@link EDGES}. */
  readonly edge: number;
  /**
   * `unreachable`: the edge feeds a node whose value never reaches the cell output.
   * `zero-input`: a `skip_connect` or `avg_pool_3x3` edge out of a node that is identically zero.
   */
  readonly reason: DeadEdgeReason;
}

/**
 * Which nodes are identically zero for every choice of weights. A `nor_conv` edge out of a zero node is NOT zero:
 * ReLU(0) = 0, conv(0) = 0, but BatchNorm adds its learned shift, a constant. Only `none`, and `skip_connect` or
 * `avg_pool_3x3` of a zero node, contribute nothing.
 */
export function zeroNodes(cell: Cell): boolean[] {
  const zero = new Array<boolean>(NODE_COUNT).fill(false);
  for (let j = 1; j < NODE_COUNT; j++) {
    zero[j] = EDGES.every(
      (e, k) =>
        e.to !== j ||
        cell[k] === 'none' ||
        (zero[e.from] && (cell[k] === 'skip_connect' || cell[k] === 'avg_pool_3x3')),
    );
  }
  return zero;
}

/** Edges whose op can be replaced by `none` without changing the network's function for any weights. */
export function deadEdges(cell: Cell): DeadEdge[] {
  const zero = zeroNodes(cell);
  const passesNothing = (k: number) =>
    cell[k] === 'none' || (zero[EDGES[k].from] && (cell[k] === 'skip_connect' || cell[k] === 'avg_pool_3x3'));
  // A node's value reaches the output when some live edge carries it to a node whose value does.
  const reaches = new Array<boolean>(NODE_COUNT).fill(false);
  reaches[NODE_COUNT - 1] = true;
  for (let i = NODE_COUNT - 2; i >= 0; i--) {
    reaches[i] = EDGES.some((e, k) => e.from === i && reaches[e.to] && !passesNothing(k));
  }
  const dead: DeadEdge[] = [];
  EDGES.forEach((e, k) => {
    if (cell[k] === 'none') return;
    if (!reaches[e.to]) dead.push({ edge: k, reason: 'unreachable' });
    else if (passesNothing(k)) dead.push({ edge: k, reason: 'zero-input' });
  });
  return dead;
}

/**
 * Whether the cell's output depends on its input at all: some path from node 0 to node 3 uses no `none` edge.
 * When none does, every path passes a `none` edge, which NAS-Bench-201's `Zero` op computes as `x.mul(0.)`, so
 * the network's output is the same for every input and the gradient of the loss w.r.t. the input is exactly zero
 * (PyTorch returns a zero tensor, not None, because `mul(0.)` stays in the autograd graph).
 */
export function outputDependsOnInput(cell: Cell): boolean {
  const reached = new Array<boolean>(NODE_COUNT).fill(false);
  reached[0] = true;
  for (let j = 1; j < NODE_COUNT; j++)
    reached[j] = EDGES.some((e, k) => e.to === j && reached[e.from] && cell[k] !== 'none');
  return reached[NODE_COUNT - 1];
}

/**
 * What {@link deadEdges} looks at in an op: whether it is `none` (0), passes a zero input on as zero (1:
 * `skip_connect`, `avg_pool_3x3`) or not (2: the convolutions).
 */
function deadEdgeRole(op: OpName): number {
  return op === 'none' ? 0 : op === 'skip_connect' || op === 'avg_pool_3x3' ? 1 : 2;
}

/** {@link deadEdges} of each combination of roles (3^6 = 729), made on first use. */
const deadEdgesOfRoles: (readonly DeadEdge[] | undefined)[] = new Array<readonly DeadEdge[] | undefined>(
  3 ** EDGE_COUNT,
);

/**
 * `deadEdges(cell)`, shared by every cell whose ops have the same roles (the result depends on nothing else): a file
 * with 15,000 different cells computes it at most 729 times. Computing it for each cell took ~30 ms of the first
 * diagnosis of a 36,761-cell search log. The array is shared: callers must not change it.
 */
export function sharedDeadEdges(cell: Cell): readonly DeadEdge[] {
  let roles = 0;
  for (let k = 0; k < EDGE_COUNT; k++) roles = roles * 3 + deadEdgeRole(cell[k]);
  return (deadEdgesOfRoles[roles] ??= deadEdges(cell));
}
