import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { meetsConstraints } from '../../src/core/benchmark/constraints';
import { applyQueryFix, parseSearchQuery } from '../../src/extension/search/searchQuery';
import { searchBenchmark } from '../../src/extension/search/searchMatches';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let bench: Benchmark;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR });
});

test('query words: ops mean "has", -op and no op mean "without", edge clauses pin one edge', () => {
  const q = parseSearchQuery('conv3x3 skip');
  assert.deepEqual(q, {
    kind: 'constraints',
    errors: [],
    constraints: [
      { kind: 'has-op', op: 'nor_conv_3x3' },
      { kind: 'has-op', op: 'skip_connect' },
    ],
  });
  assert.deepEqual(parseSearchQuery('no avg_pool, -none'), {
    kind: 'constraints',
    errors: [],
    constraints: [
      { kind: 'no-op', op: 'avg_pool_3x3' },
      { kind: 'no-op', op: 'none' },
    ],
  });
  assert.deepEqual(parseSearchQuery('edge 2->3 = skip conv1x1'), {
    kind: 'constraints',
    errors: [],
    constraints: [
      { kind: 'edge-is', edge: 5, op: 'skip_connect' },
      { kind: 'has-op', op: 'nor_conv_1x1' },
    ],
  });
  assert.deepEqual(parseSearchQuery('0->1!=none'), {
    kind: 'constraints',
    errors: [],
    constraints: [{ kind: 'edge-is-not', edge: 0, op: 'none' }],
  });
});

test('query errors are sentences; a query with an error lists no cells, even when other clauses parse', () => {
  const typo = parseSearchQuery('conv3x5 skip');
  assert.equal(typo.kind, 'constraints');
  if (typo.kind !== 'constraints') return;
  assert.deepEqual(typo.constraints, [{ kind: 'has-op', op: 'skip_connect' }]);
  assert.match(typo.errors[0].message, /conv3x5/);
  const r = searchBenchmark(bench, 'cifar10', 'pgd@8', typo, 100);
  assert.deepEqual([r.matches.length, r.total], [0, 0]);
  assert.equal(r.errors[0], typo.errors[0]);
  const unfinished = parseSearchQuery('edge 2->');
  assert.ok(unfinished.kind === 'constraints' && unfinished.errors.length > 0 && unfinished.constraints.length === 0);
  const noEdge = parseSearchQuery('edge 3->1 = skip');
  assert.ok(noEdge.kind === 'constraints' && /no edge 3->1/.test(noEdge.errors[0].message) && !noEdge.errors[0].fix);
});

test('a misspelt op comes with its fix, in the words the user typed, at its place in the query', () => {
  const cases: [query: string, fixed: string][] = [
    ['edge 2->3 = sikp', 'edge 2->3 = skip'],
    ['  conv3x3 sikp no avg_pool', '  conv3x3 skip no avg_pool'],
    ['conv3x3 -sikp', 'conv3x3 -skip'],
    ['!conv3x5', '!conv3x3'],
    ['no avg_pol_3x3', 'no avg_pool_3x3'],
    ['0->1 != nor_conv_3x5, skip', '0->1 != nor_conv_3x3, skip'],
  ];
  for (const [query, fixed] of cases) {
    const q = parseSearchQuery(query);
    assert.ok(q.kind === 'constraints' && q.errors.length === 1, query);
    assert.ok(q.errors[0].fix, query);
    assert.equal(applyQueryFix(query, q.errors[0]), fixed);
    const again = parseSearchQuery(fixed);
    assert.ok(again.kind === 'constraints' && again.errors.length === 0, fixed);
  }
  const q = parseSearchQuery('edge 2->3 = sikp');
  assert.ok(q.kind === 'constraints');
  assert.equal(q.errors[0].message, "Unknown operation 'sikp': did you mean 'skip'?");
  // Nothing close: no fix, so Enter on the problem does nothing.
  const far = parseSearchQuery('relu');
  assert.ok(far.kind === 'constraints' && far.errors.length === 1 && !far.errors[0].fix);
  assert.equal(applyQueryFix('relu', far.errors[0]), 'relu');
});

test('indices, codes, tuples and strings are encodings; a partial string is a substring search', () => {
  assert.deepEqual(parseSearchQuery(' 1462 '), { kind: 'arch', text: '1462' });
  assert.deepEqual(parseSearchQuery('(2, 2, 1, 4, 2, 0)'), { kind: 'arch', text: '(2, 2, 1, 4, 2, 0)' });
  assert.deepEqual(parseSearchQuery('|nor_conv_3x3~0|+|'), { kind: 'substring', text: '|nor_conv_3x3~0|+|' });
  assert.deepEqual(parseSearchQuery(''), { kind: 'all' });
});

test('an empty query lists every evaluated cell, best first by the metric, with the core ranks', () => {
  const r = searchBenchmark(bench, 'cifar10', 'pgd@8', parseSearchQuery(''), 100000);
  assert.equal(r.total, 6466);
  assert.equal(r.matches.length, 6466);
  const top = bench.topK('cifar10', 'pgd@8', 3);
  assert.deepEqual(
    r.matches.slice(0, 3).map((m) => m.arch.index),
    top.map((t) => t.arch.index),
  );
  for (let i = 1; i < r.matches.length; i++) assert.ok(r.matches[i - 1].value >= r.matches[i].value);
  assert.equal(searchBenchmark(bench, 'cifar10', 'pgd@8', parseSearchQuery(''), 50).matches.length, 50);
});

test('constraint results: every listed cell meets them, and the count is every class with a member that does', () => {
  const q = parseSearchQuery('edge 2->3 = skip, no avg_pool');
  assert.equal(q.kind, 'constraints');
  if (q.kind !== 'constraints') return;
  const r = searchBenchmark(bench, 'cifar100', 'clean', q, 100000);
  assert.ok(r.total > 0 && r.total < 6466);
  for (const m of r.matches) assert.ok(meetsConstraints(m.arch.cell, q.constraints), m.arch.archString);
  // Independent count: classes (representatives) with at least one member meeting the constraints.
  const classes = new Set<number>();
  for (let index = 0; index < 15625; index++) {
    const arch = bench.archOfIndex(index);
    if (meetsConstraints(arch.cell, q.constraints)) classes.add(arch.representativeIndex);
  }
  assert.equal(r.total, classes.size);
});

test('an index finds its evaluated representative; a non-evaluated index maps to the class that holds the data', () => {
  const evaluated = bench.evaluatedIndices[100];
  const r = searchBenchmark(bench, 'cifar10', 'clean', parseSearchQuery(String(evaluated)), 10);
  assert.deepEqual(
    r.matches.map((m) => m.arch.index),
    [evaluated],
  );
  assert.equal(r.matches[0].value, bench.metric(evaluated, 'cifar10', 'clean')?.value);
  let member = 0;
  while (bench.archOfIndex(member).isRepresentative) member++;
  const m = searchBenchmark(bench, 'cifar10', 'clean', parseSearchQuery(String(member)), 10);
  assert.deepEqual(
    m.matches.map((x) => x.arch.index),
    [bench.archOfIndex(member).representativeIndex],
  );
});

test('a partial string keeps the cells whose string contains it', () => {
  const r = searchBenchmark(bench, 'cifar10', 'pgd@8', parseSearchQuery('|+|none~0|none~1|+|'), 100000);
  assert.ok(r.total > 0);
  for (const m of r.matches) assert.ok(m.arch.archString.includes('|+|none~0|none~1|+|'));
});

test('a metric without values for every cell lists the unranked cells last', () => {
  const r = searchBenchmark(bench, 'imagenet16-120', 'std:corruption', parseSearchQuery(''), 100000);
  assert.equal(r.total, 6466);
  assert.ok(
    r.matches.every((m) => m.rank === undefined && Number.isNaN(m.value)),
    'corruption accuracy is not published for ImageNet16-120',
  );
});
