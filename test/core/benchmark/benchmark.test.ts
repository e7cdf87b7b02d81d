import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import type { Benchmark } from '../../../src/core/benchmark/benchmark';
import { expectedColumns } from '../../../src/core/benchmark/publishedFiles';
import { meetsConstraints } from '../../../src/core/benchmark/constraints';
import type { CellConstraint } from '../../../src/core/benchmark/api';
import { parseOpCode } from '../../../src/core/space/encodings';
import { formatArchString, cellToNaslibOpIndices } from '../../../src/core/space/cell';
import { networkCost } from '../../../src/core/space/cost';
import { rawAdversarial, rawOps, rawStandard, sharedDataDir } from './sharedData';

let bench: Benchmark;
let adv: Record<string, number[] | string>;
let std: Record<string, number[] | number>;
let ops: string[];

before(async () => {
  bench = await loadBenchmark({ dataDir: sharedDataDir() });
  adv = rawAdversarial();
  std = rawStandard();
  ops = rawOps();
});

const repOfRaw = (i: number) => (Array.isArray(adv[String(i)]) ? i : Number(adv[String(i)]));

test('records where every file came from', () => {
  for (const role of ['adversarial', 'standard', 'ops'] as const) {
    assert.equal(bench.origins[role].via, 'explicit');
    assert.equal(bench.sources[role], bench.origins[role].path);
  }
});

test('the 6,466 evaluated cells and every representative match the published references', () => {
  const evaluated = Object.keys(adv)
    .filter((k) => k !== '' && Array.isArray(adv[k]))
    .map(Number)
    .sort((a, b) => a - b);
  assert.equal(bench.evaluatedIndices.length, 6466);
  assert.deepEqual(Array.from(bench.evaluatedIndices), evaluated);
  for (let i = 0; i < 15625; i++) {
    const a = bench.archOfIndex(i);
    assert.equal(a.code, ops[i]);
    assert.equal(a.representativeIndex, repOfRaw(i));
    assert.equal(a.isRepresentative, repOfRaw(i) === i);
  }
});

test('metric values equal the published numbers for every column, on representatives and on isomorphic members', () => {
  const advCols = expectedColumns('adversarial');
  const stdCols = expectedColumns('standard');
  // Index 0 (evaluated), a few members pointing elsewhere, and a spread of others.
  const sample = [0, 1, 2, 15624, ...Array.from({ length: 60 }, (_, k) => (k * 7919 + 13) % 15625)];
  for (const i of sample) {
    const rep = repOfRaw(i);
    const a = adv[String(rep)] as number[];
    const s = std[String(rep)] as number[];
    advCols.forEach((c, j) => assert.equal(bench.metric(i, c.dataset, c.metric)?.value, a[j], `${i} ${c.header}`));
    stdCols.forEach((c, j) => assert.equal(bench.metric(i, c.dataset, c.metric)?.value, s[j], `${i} ${c.header}`));
  }
  assert.equal(bench.metric(0, 'imagenet16-120', 'std:corruption'), undefined);
  assert.ok(bench.column('imagenet16-120', 'std:corruption').every(Number.isNaN));
  assert.equal(bench.hasMetric('imagenet16-120', 'std:corruption'), false);
});

test('ranks and percentiles agree with counting over the published values', () => {
  for (const [dataset, metric] of [
    ['cifar10', 'pgd@8'],
    ['imagenet16-120', 'autoattack'],
    ['cifar100', 'std:fgsm'],
  ] as const) {
    const col = bench.column(dataset, metric);
    for (let p = 0; p < col.length; p += 37) {
      const v = col[p];
      let higher = 0;
      let lower = 0;
      for (const w of col) {
        if (w > v) higher++;
        else if (w < v) lower++;
      }
      const m = bench.metric(bench.evaluatedIndices[p], dataset, metric)!;
      assert.equal(m.rank, higher + 1);
      assert.equal(m.of, 6466);
      assert.equal(m.percentile, (100 * lower) / 6465);
    }
  }
  // acc.json rounds to 3 decimals, so it has ties: tied cells must share a rank.
  const col = bench.column('cifar10', 'std:clean');
  const p = col.findIndex((v, j) => col.indexOf(v) !== j);
  const q = col.indexOf(col[p]);
  assert.equal(
    bench.metric(bench.evaluatedIndices[p], 'cifar10', 'std:clean')!.rank,
    bench.metric(bench.evaluatedIndices[q], 'cifar10', 'std:clean')!.rank,
  );
});

test('resolve accepts every encoding of the same cell', () => {
  const i = 0;
  const cell = bench.archOfIndex(i).cell;
  const forms: (string | number | readonly string[])[] = [
    formatArchString(cell),
    ops[i],
    String(i),
    i,
    `(${cellToNaslibOpIndices(cell).join(', ')})`,
    `[${cellToNaslibOpIndices(cell).join(',')}]`,
    cell,
  ];
  for (const f of forms) {
    const r = bench.resolve(f as string);
    assert.ok(r.ok, String(f));
    assert.equal(r.arch.index, i);
  }
  assert.equal((bench.resolve(ops[i]) as { kind: string }).kind, 'code');
  assert.equal((bench.resolve('5') as { kind: string }).kind, 'index');
});

test('resolve reports bad input instead of throwing', () => {
  for (const bad of ['|nor_conv_3x3~0|+|', '15625', 15625, -1, 1.5, '(1,2,3)', 'hello', '555555', ['none']]) {
    const r = bench.resolve(bad as string);
    assert.equal(r.ok, false, String(bad));
    if (!r.ok) assert.ok(r.errors.length > 0 && r.errors[0].message.length > 10);
  }
});

test('results carry cost per dataset from the cell and every metric', () => {
  const r = bench.results(1);
  assert.deepEqual(r.cost.cifar100, networkCost(r.arch.cell, 'cifar100'));
  // 12 accuracies (11 on ImageNet16-120: no corruption results) and the two costs.
  assert.equal(Object.keys(r.metrics.cifar10).length, 14);
  assert.equal(Object.keys(r.metrics['imagenet16-120']).length, 13);
  assert.equal(r.metrics.cifar100.params?.value, r.cost.cifar100.params / 1e6);
  assert.equal(r.metrics.cifar100.flops?.value, r.cost.cifar100.flops / 1e6);
});

/** Each evaluated class's own cost in NAS-Bench-201 units, from the cost model directly. */
function costColumn(dataset: 'cifar10' | 'cifar100' | 'imagenet16-120', metric: 'params' | 'flops'): number[] {
  return Array.from(bench.evaluatedIndices, (i) => networkCost(bench.archOfIndex(i).cell, dataset)[metric] / 1e6);
}

test("params and FLOPs columns are the evaluated representatives' costs in NAS-Bench-201 units", () => {
  for (const dataset of ['cifar10', 'cifar100', 'imagenet16-120'] as const) {
    for (const metric of ['params', 'flops'] as const) {
      assert.ok(bench.hasMetric(dataset, metric));
      assert.deepEqual(Array.from(bench.column(dataset, metric)), costColumn(dataset, metric), `${dataset} ${metric}`);
    }
  }
  // NAS-Bench-201's get_cost_info(0, 'cifar10'): 0.129306 MB, 15.64737 M (docs/benchmark-numbers.md).
  const rep0 = bench.archOfIndex(0).representativeIndex;
  assert.equal(rep0, 0);
  assert.equal(bench.metric(0, 'cifar10', 'params')?.value, 0.129306);
  assert.equal(bench.metric(0, 'cifar10', 'flops')?.value, 15.64737);
});

test('cost ranks: the lowest cost is rank 1, ties share the best rank, percentiles count strictly higher costs', () => {
  const values = costColumn('cifar10', 'params');
  const n = values.length;
  for (const p of [0, 1, 17, 400, 3000, n - 1]) {
    const index = bench.evaluatedIndices[p];
    const m = bench.metric(index, 'cifar10', 'params')!;
    const lower = values.filter((v) => v < values[p]).length;
    const higher = values.filter((v) => v > values[p]).length;
    assert.equal(m.rank, lower + 1, `rank of ${index}`);
    assert.equal(m.of, n);
    assert.equal(m.percentile, (100 * higher) / (n - 1));
  }
  const cheapest = Math.min(...values);
  const best = bench.evaluatedIndices[values.indexOf(cheapest)];
  assert.equal(bench.metric(best, 'cifar10', 'params')?.rank, 1);
  // Every cell without a convolution ties for the fewest parameters, so the cheapest beats fewer than all others.
  const tiedCheapest = values.filter((v) => v === cheapest).length;
  assert.ok(tiedCheapest > 1);
  assert.equal(bench.metric(best, 'cifar10', 'params')?.percentile, (100 * (n - tiedCheapest)) / (n - 1));
});

test("a cell whose own cost differs from its representative's gets its own value, ranked among the 6,466", () => {
  const values = costColumn('cifar10', 'flops');
  let checked = 0;
  for (let index = 0; index < 15625 && checked < 20; index++) {
    const arch = bench.archOfIndex(index);
    const own = networkCost(arch.cell, 'cifar10').flops / 1e6;
    if (arch.isRepresentative || own === bench.metric(arch.representativeIndex, 'cifar10', 'flops')!.value) continue;
    const m = bench.metric(index, 'cifar10', 'flops')!;
    assert.equal(m.value, own);
    assert.equal(m.rank, values.filter((v) => v < own).length + 1);
    assert.equal(m.percentile, (100 * values.filter((v) => v > own).length) / values.length);
    // Accuracies stay the class's.
    assert.equal(
      bench.metric(index, 'cifar10', 'pgd@8')!.value,
      bench.metric(arch.representativeIndex, 'cifar10', 'pgd@8')!.value,
    );
    checked++;
  }
  assert.equal(checked, 20);
});

test("topK by a cost is the cheapest first, the reported member's own cost, with and without constraints", () => {
  const cases: CellConstraint[][] = [
    [],
    [{ kind: 'has-op', op: 'nor_conv_3x3' }],
    [{ kind: 'edge-is', edge: 1, op: 'nor_conv_1x1' }],
  ];
  for (const constraints of cases) {
    const members = new Map<number, number>();
    for (let i = 0; i < 15625; i++) {
      const rep = repOfRaw(i);
      if (!members.has(rep) && meetsConstraints(bench.archOfIndex(i).cell, constraints)) members.set(rep, i);
    }
    const want = [...members.values()]
      .map((i) => ({ i, v: networkCost(bench.archOfIndex(i).cell, 'cifar100').params / 1e6 }))
      .sort((a, b) => a.v - b.v || a.i - b.i)
      .slice(0, 30);
    const got = bench.topK('cifar100', 'params', 30, constraints);
    assert.deepEqual(
      got.map((r) => [r.arch.index, r.value]),
      want.map((w) => [w.i, w.v]),
      JSON.stringify(constraints),
    );
    for (const r of got) assert.equal(r.rank, bench.metric(r.arch.index, 'cifar100', 'params')!.rank);
  }
});

test('the accuracy-vs-params front minimises params and maximises accuracy', () => {
  for (const constraints of [[], [{ kind: 'no-op', op: 'avg_pool_3x3' }]] as CellConstraint[][]) {
    const eligible: { index: number; acc: number; params: number }[] = [];
    for (const rep of bench.evaluatedIndices) {
      const member = bench.classMembersOf(rep).find((i) => meetsConstraints(bench.archOfIndex(i).cell, constraints));
      if (member === undefined) continue;
      eligible.push({
        index: member,
        acc: bench.metric(rep, 'cifar10', 'pgd@8')!.value,
        params: networkCost(bench.archOfIndex(member).cell, 'cifar10').params / 1e6,
      });
    }
    const front = eligible.filter(
      (a) => !eligible.some((b) => b.acc >= a.acc && b.params <= a.params && (b.acc > a.acc || b.params < a.params)),
    );
    const got = bench.pareto('cifar10', 'pgd@8', 'params', constraints);
    assert.deepEqual(
      got.map((pt) => pt.arch.index).sort((a, b) => a - b),
      front.map((a) => a.index).sort((a, b) => a - b),
    );
    for (let j = 1; j < got.length; j++) {
      assert.ok(got[j].x >= got[j - 1].x);
      // Along the front, more accuracy costs more parameters.
      assert.ok(got[j].y >= got[j - 1].y);
    }
    // Swapping the axes gives the same cells.
    const swapped = bench.pareto('cifar10', 'params', 'pgd@8', constraints);
    assert.deepEqual(
      swapped.map((pt) => pt.arch.index).sort((a, b) => a - b),
      got.map((pt) => pt.arch.index).sort((a, b) => a - b),
    );
  }
});

test('class members are the indices whose representative is the class representative', () => {
  const rep = bench.archOfIndex(1).representativeIndex;
  const members = bench.classMembersOf(1);
  const expected = Array.from({ length: 15625 }, (_, i) => i).filter((i) => repOfRaw(i) === rep);
  assert.deepEqual(members, expected);
});

function bruteTopK(
  dataset: 'cifar10' | 'cifar100',
  metric: 'pgd@8' | 'clean',
  k: number,
  constraints: CellConstraint[],
) {
  // For every class, its smallest member meeting the constraints; then sort by value, ties by representative index.
  const best = new Map<number, number>();
  for (let i = 0; i < 15625; i++) {
    const rep = repOfRaw(i);
    if (!best.has(rep) && meetsConstraints(bench.archOfIndex(i).cell, constraints)) best.set(rep, i);
  }
  const col = expectedColumns('adversarial').findIndex((c) => c.dataset === dataset && c.metric === metric);
  return [...best]
    .map(([rep, i]) => ({ rep, i, v: (adv[String(rep)] as number[])[col] }))
    .sort((a, b) => b.v - a.v || a.rep - b.rep)
    .slice(0, k);
}

test('topK equals a brute-force sort, with and without constraints', () => {
  const cases: CellConstraint[][] = [
    [],
    [{ kind: 'edge-is', edge: 5, op: 'skip_connect' }],
    [
      { kind: 'no-op', op: 'nor_conv_3x3' },
      { kind: 'edge-is-not', edge: 0, op: 'none' },
    ],
  ];
  for (const constraints of cases) {
    const got = bench.topK('cifar10', 'pgd@8', 25, constraints);
    const want = bruteTopK('cifar10', 'pgd@8', 25, constraints);
    assert.deepEqual(
      got.map((r) => [r.arch.index, r.value]),
      want.map((w) => [w.i, w.v]),
    );
    for (const r of got) {
      assert.ok(meetsConstraints(r.arch.cell, constraints));
      assert.equal(r.rank, bench.metric(r.arch.index, 'cifar10', 'pgd@8')!.rank);
    }
  }
  assert.deepEqual(bench.topK('cifar10', 'clean', 0), []);
  assert.deepEqual(bench.topK('imagenet16-120', 'std:corruption', 5), []);
});

test('pareto front equals the brute-force set of non-dominated cells', () => {
  for (const [x, y, constraints] of [
    ['clean', 'pgd@8', []],
    ['std:clean', 'autoattack', []],
    ['clean', 'autoattack', [{ kind: 'has-op', op: 'avg_pool_3x3' }]],
  ] as const) {
    const xs = bench.column('cifar100', x);
    const ys = bench.column('cifar100', y);
    const eligible: number[] = [];
    for (let p = 0; p < xs.length; p++) {
      const members = bench.classMembersOf(bench.evaluatedIndices[p]);
      if (members.some((i) => meetsConstraints(bench.archOfIndex(i).cell, constraints))) eligible.push(p);
    }
    const front = eligible.filter(
      (p) => !eligible.some((q) => xs[q] >= xs[p] && ys[q] >= ys[p] && (xs[q] > xs[p] || ys[q] > ys[p])),
    );
    const got = bench.pareto('cifar100', x, y, constraints);
    assert.deepEqual(
      got.map((pt) => pt.arch.representativeIndex).sort((a, b) => a - b),
      front.map((p) => bench.evaluatedIndices[p]).sort((a, b) => a - b),
    );
    for (let j = 1; j < got.length; j++) assert.ok(got[j].x >= got[j - 1].x);
    for (const pt of got) assert.ok(meetsConstraints(pt.arch.cell, constraints));
  }
});

test('a cache folder without files and downloading off falls back to the shared copy', async () => {
  const b = await loadBenchmark({ cacheDir: mkdtempSync(join(tmpdir(), 'rn-cache-')), download: false, env: {} });
  assert.equal(b.origins.ops.via, 'shared');
  assert.equal(b.evaluatedIndices.length, 6466);
});

test('ROBUST_NAS_DATA is used before the cache', async () => {
  const b = await loadBenchmark({ env: { ROBUST_NAS_DATA: sharedDataDir() }, download: false });
  assert.equal(b.origins.adversarial.via, 'env');
});

test('an op code resolves to the cell the code describes', () => {
  const parsed = parseOpCode('334131');
  assert.ok(parsed.ok && parsed.kind === 'code');
  const r = bench.resolve('334131');
  assert.ok(r.ok);
  assert.deepEqual(r.arch.cell, parsed.cell);
  assert.equal(r.arch.index, ops.indexOf('334131'));
});
