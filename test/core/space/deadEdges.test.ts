import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCells,
  deadEdges,
  EDGES,
  parseArchString,
  sharedDeadEdges,
  zeroNodes,
  type Cell,
} from '../../../src/core/space';

const DIM = 5;
type Vec = Float64Array;

/** Seeded uniform numbers in [-1, 1). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/**
 * The cell's function with random weights, in the shape of NAS-Bench-201's ops: `nor_conv` = BN(W relu(v)) with a
 * BN shift b (a learned constant), `avg_pool` = a fixed linear map (pooling maps 0 to 0), `skip` = identity.
 */
function evaluate(cell: Cell, seed: number): Vec {
  const rand = lcg(seed);
  const input = Float64Array.from({ length: DIM }, rand);
  const nodes: Vec[] = [input];
  for (let j = 1; j < 4; j++) {
    const sum = new Float64Array(DIM);
    EDGES.forEach((e, k) => {
      if (e.to !== j) return;
      // Draw this edge's weights whatever its op, so that changing one edge leaves the others' weights unchanged.
      const W = Array.from({ length: DIM * DIM }, rand);
      const b = Array.from({ length: DIM }, rand);
      const v = nodes[e.from];
      for (let r = 0; r < DIM; r++) {
        let acc = 0;
        switch (cell[k]) {
          case 'none':
            break;
          case 'skip_connect':
            acc = v[r];
            break;
          case 'avg_pool_3x3':
            for (let c = 0; c < DIM; c++) acc += Math.abs(W[r * DIM + c]) * v[c];
            break;
          default:
            for (let c = 0; c < DIM; c++) acc += W[r * DIM + c] * Math.max(0, v[c]);
            acc += b[r];
        }
        sum[r] += acc;
      }
    });
    nodes[j] = sum;
  }
  return nodes[3];
}

function sameFunction(a: Cell, b: Cell): boolean {
  for (const seed of [1, 2, 3]) {
    const x = evaluate(a, seed);
    const y = evaluate(b, seed);
    if (x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

test('an edge is reported dead exactly when replacing it by none leaves the function unchanged (all cells)', () => {
  let deadCount = 0;
  for (const cell of allCells()) {
    const dead = new Set(deadEdges(cell).map((d) => d.edge));
    deadCount += dead.size;
    cell.forEach((op, k) => {
      if (op === 'none') return;
      const without = Object.freeze(cell.map((o, i) => (i === k ? 'none' : o)));
      assert.equal(sameFunction(cell, without), dead.has(k), `${cell.join(',')} edge ${k}`);
    });
  }
  assert.ok(deadCount > 0);
});

test('a conv edge out of a zero node is live (BatchNorm adds its shift); skip and pool out of it are dead', () => {
  const conv = parseArchString('|none~0|+|skip_connect~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|');
  assert.ok(conv.ok);
  assert.deepEqual(zeroNodes(conv.cell), [false, true, false, false]);
  assert.deepEqual(deadEdges(conv.cell), []);
  const pool = parseArchString('|none~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|skip_connect~1|skip_connect~2|');
  assert.ok(pool.ok);
  assert.deepEqual(deadEdges(pool.cell), [
    { edge: 2, reason: 'zero-input' },
    { edge: 4, reason: 'zero-input' },
  ]);
});

test('edges into a node that never reaches the output are dead', () => {
  const r = parseArchString('|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|none~2|');
  assert.ok(r.ok);
  assert.deepEqual(
    deadEdges(r.cell).map((d) => [d.edge, d.reason]),
    [
      [0, 'unreachable'],
      [1, 'unreachable'],
      [2, 'unreachable'],
    ],
  );
});

test('sharedDeadEdges: every cell gets its own dead edges, from the table of cells with the same roles (all cells)', () => {
  // Each cell twice: once computing (or taking) the shared array, once reading it back from the table.
  for (let round = 0; round < 2; round++)
    for (const cell of allCells()) assert.deepEqual(sharedDeadEdges(cell), deadEdges(cell), cell.join(' '));
});
