import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCells,
  cellToCodeNumber,
  codeNumberToCell,
  isomorphismKey,
  OP_NAMES,
  type Cell,
} from '../../../src/core/space';
import {
  meanStd,
  mutateOneEdge,
  oneEdgeNeighbours,
  runSearch,
  runSearchRepeated,
  SeededRandom,
  type SearchOracle,
} from '../../../src/core/search';

/**
 * A look-up table over the real isomorphism classes with a known landscape: each class is worth its number of
 * conv3x3 edges plus a small class-specific offset, so the unique optimum is the all-conv3x3 cell.
 */
function syntheticOracle(): SearchOracle & { classOfCode: Int32Array } {
  const classOfCode = new Int32Array(15625);
  const firstOfKey = new Map<string, number>();
  const value = new Map<number, number>();
  for (const cell of allCells()) {
    const code = cellToCodeNumber(cell);
    const key = isomorphismKey(cell);
    let cls = firstOfKey.get(key);
    if (cls === undefined) {
      cls = code;
      firstOfKey.set(key, cls);
      value.set(cls, cell.filter((op) => op === 'nor_conv_3x3').length + (code % 97) / 1000);
    }
    classOfCode[code] = cls;
  }
  let optimum = { classIndex: -1, value: -Infinity };
  for (const [cls, v] of value) if (v > optimum.value) optimum = { classIndex: cls, value: v };
  return {
    classOfCode,
    classOf: (cell: Cell) => classOfCode[cellToCodeNumber(cell)],
    classes: [...value.keys()].sort((a, b) => a - b),
    cellOfClass: (cls: number) => codeNumberToCell(cls),
    value: (cls: number) => value.get(cls) ?? NaN,
    evaluableClasses: value.size,
    optimum,
    label: 'synthetic',
  };
}

const oracle = syntheticOracle();

test('the seeded generator is reproducible and roughly uniform', () => {
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 10000; i++) {
    const x = a.int(10);
    assert.equal(x, b.int(10));
    counts[x]++;
  }
  for (const c of counts) assert.ok(c > 900 && c < 1100, String(counts));
  assert.notEqual(new SeededRandom(1).nextUint32(), new SeededRandom(2).nextUint32());
});

test('mutation changes exactly one edge; there are 24 one-edge neighbours', () => {
  const rng = new SeededRandom(3);
  const cell: Cell = Object.freeze(['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3', 'none']);
  for (let i = 0; i < 100; i++) {
    const m = mutateOneEdge(cell, rng);
    assert.equal(m.filter((op, k) => op !== cell[k]).length, 1);
  }
  const n = oneEdgeNeighbours(cell);
  assert.equal(n.length, 6 * (OP_NAMES.length - 1));
  assert.equal(new Set(n.map(cellToCodeNumber)).size, 24);
});

for (const algorithm of ['rs', 're', 'ls'] as const) {
  test(`${algorithm}: same seed, same run; budget counts distinct classes`, () => {
    const a = runSearch(oracle, algorithm, { budget: 60, seed: 7 });
    const b = runSearch(oracle, algorithm, { budget: 60, seed: 7 });
    assert.deepEqual(a, b);
    assert.equal(a.queries, 60);
    assert.equal(a.trajectory.length, 60);
    for (let i = 1; i < a.trajectory.length; i++) assert.ok(a.trajectory[i] >= a.trajectory[i - 1]);
    assert.equal(a.bestValue, a.trajectory.at(-1));
    assert.equal(oracle.value(a.bestClass), a.bestValue);
    const c = runSearch(oracle, algorithm, { budget: 60, seed: 8 });
    assert.notDeepEqual(a.trajectory, c.trajectory);
  });
}

test('a budget above the number of classes is capped and reported', () => {
  const r = runSearch(oracle, 'rs', { budget: 10_000, seed: 1 });
  assert.equal(r.queries, 6466);
  assert.equal(r.stoppedEarly, 'all-classes-seen');
  assert.equal(r.bestClass, oracle.optimum.classIndex);
});

test('on a smooth landscape, local search and evolution beat random search on average', async () => {
  const mean = async (algo: 'rs' | 're' | 'ls') =>
    meanStd((await runSearchRepeated(oracle, algo, { budget: 100, runs: 30, seed: 11 })).map((r) => r.bestValue)).mean;
  const rs = await mean('rs');
  assert.ok((await mean('ls')) > rs);
  assert.ok((await mean('re')) > rs);
});

test('repeated runs report progress and honour cancellation', async () => {
  const progress: number[] = [];
  const runs = await runSearchRepeated(oracle, 're', {
    budget: 20,
    runs: 5,
    seed: 1,
    onProgress: (done) => progress.push(done),
  });
  assert.equal(runs.length, 5);
  assert.deepEqual(progress, [1, 2, 3, 4, 5]);
  assert.notDeepEqual(runs[0].trajectory, runs[1].trajectory);
  const controller = new AbortController();
  const pending = runSearchRepeated(oracle, 'rs', {
    budget: 50,
    runs: 1000,
    seed: 1,
    onProgress: (done) => {
      if (done === 3) controller.abort();
    },
    signal: controller.signal,
  });
  await assert.rejects(pending, { name: 'AbortError' });
});

test('bad budgets and run counts are rejected with a clear message', async () => {
  assert.throws(() => runSearch(oracle, 'rs', { budget: 0, seed: 1 }), /budget must be a whole number/);
  await assert.rejects(runSearchRepeated(oracle, 'rs', { budget: 5, runs: 0, seed: 1 }), /runs must be a whole number/);
});

test('mean and population std', () => {
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1, n: 2 });
  assert.deepEqual(meanStd([NaN, 4]), { mean: 4, std: 0, n: 1 });
  assert.equal(meanStd([]).n, 0);
});
