import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { DEFAULT_NTK_CONFIG, ntkJobOptions } from '../../../src/core/ntk/jobOptions';
import {
  checkSweepScope,
  defaultSweepFileName,
  describeSweepScope,
  optionsOfHeader,
  planSweep,
  scopeOfHeader,
  selectSweepIndices,
  sweepHeader,
  type SweepScope,
} from '../../../src/core/ntk/sweepScope';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

const bench = loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
const options = ntkJobOptions(DEFAULT_NTK_CONFIG);

test('scope "all" is every evaluated class, ascending', async () => {
  const b = await bench;
  const all = selectSweepIndices(b, { kind: 'all' }, 0);
  assert.equal(all.length, 6466);
  assert.deepEqual(new Set(all), new Set(b.evaluatedIndices));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1] < all[i]);
});

test('a sample is k distinct evaluated classes, the same for the same seed and different for another', async () => {
  const b = await bench;
  const evaluated = new Set(b.evaluatedIndices);
  const a = selectSweepIndices(b, { kind: 'sample', k: 50 }, 7);
  assert.equal(a.length, 50);
  assert.equal(new Set(a).size, 50);
  assert.ok(a.every((i) => evaluated.has(i)));
  assert.deepEqual(selectSweepIndices(b, { kind: 'sample', k: 50 }, 7), a);
  assert.notDeepEqual(selectSweepIndices(b, { kind: 'sample', k: 50 }, 8), a);
  // A larger sample of the same seed extends the smaller one (a partial shuffle draws in order).
  const bigger = new Set(selectSweepIndices(b, { kind: 'sample', k: 80 }, 7));
  assert.ok(a.every((i) => bigger.has(i)));
});

test("top-k is the benchmark's own top k by the metric on the dataset", async () => {
  const b = await bench;
  const top = selectSweepIndices(b, { kind: 'top', k: 25, dataset: 'cifar100', metric: 'pgd@8' }, 0);
  assert.deepEqual(
    top,
    b
      .topK('cifar100', 'pgd@8', 25)
      .map((r) => r.arch.index)
      .sort((x, y) => x - y),
  );
  assert.ok(top.every((i) => b.archOfIndex(i).isRepresentative));
});

test('bad scopes are refused with what is allowed', () => {
  assert.throws(() => checkSweepScope({ kind: 'sample', k: 0 }, 6466), /from 1 to 6466, got 0/);
  assert.throws(() => checkSweepScope({ kind: 'sample', k: 7000 }, 6466), /from 1 to 6466/);
  assert.throws(() => checkSweepScope({ kind: 'sample', k: 2.5 }, 6466), /integer/);
  assert.throws(
    () => checkSweepScope({ kind: 'top', k: 5, dataset: 'mnist' as 'cifar10', metric: 'clean' }, 6466),
    /unknown dataset 'mnist'/,
  );
  assert.throws(
    () => checkSweepScope({ kind: 'top', k: 5, dataset: 'cifar10', metric: 'top1' as 'clean' }, 6466),
    /unknown metric 'top1'/,
  );
});

test("the header records the scope in the CLI's layout and gives it back; the options part excludes it", () => {
  const scopes: SweepScope[] = [
    { kind: 'all' },
    { kind: 'sample', k: 500 },
    { kind: 'top', k: 10, dataset: 'cifar10', metric: 'autoattack' },
  ];
  for (const scope of scopes) {
    const header = JSON.parse(JSON.stringify(sweepHeader(options, scope))) as ReturnType<typeof sweepHeader>;
    assert.deepEqual(scopeOfHeader(header), scope);
    assert.deepEqual(optionsOfHeader(header), JSON.parse(JSON.stringify(options)));
  }
  // `robust-nas ntk-sweep` has always written `{ ...options, sample: k | null }`.
  assert.deepEqual(sweepHeader(options, { kind: 'all' }).config, { ...options, sample: null });
  assert.deepEqual(sweepHeader(options, { kind: 'sample', k: 3 }).config, { ...options, sample: 3 });
  assert.equal(
    describeSweepScope({ kind: 'top', k: 10, dataset: 'cifar10', metric: 'autoattack' }),
    'the top 10 by AutoAttack@8 on cifar10',
  );
});

test('resume plans count what is done and what remains, per shard', () => {
  const indices = [3, 5, 8, 13, 21, 34, 55];
  const done = new Map([
    [5, 1],
    [21, 1],
    [99, 1],
  ]);
  const plan = planSweep(indices, done);
  assert.deepEqual([plan.indices.length, plan.done, plan.todo], [7, 2, [3, 8, 13, 34, 55]]);
  const shard = planSweep(indices, done, { index: 1, count: 2 });
  assert.deepEqual([shard.indices, shard.done, shard.todo], [[5, 13, 34], 1, [13, 34]]);
  assert.equal(planSweep(indices, new Set(indices)).todo.length, 0);
});

test('default file names differ per configuration and scope and are stable', () => {
  const sample = { kind: 'sample', k: 500 } as const;
  const name = defaultSweepFileName(options, sample);
  assert.match(name, /^ntk-sample500-proxy-fixed-bn-clean\+robust-synthetic-n32-seed0-[0-9a-f]{8}\.jsonl$/);
  assert.equal(defaultSweepFileName(ntkJobOptions(DEFAULT_NTK_CONFIG), sample), name);
  assert.notEqual(defaultSweepFileName(ntkJobOptions({ ...DEFAULT_NTK_CONFIG, eps: 3 }), sample), name);
  assert.notEqual(defaultSweepFileName(options, { kind: 'sample', k: 501 }), name);
  assert.match(
    defaultSweepFileName(ntkJobOptions({ ...DEFAULT_NTK_CONFIG, channels: 4, inputs: 'cifar10:/data/c 10' }), {
      kind: 'top',
      k: 5,
      dataset: 'cifar10',
      metric: 'pgd@8',
    }),
    /^ntk-top5-pgd@8-cifar10-c4n1-fixed-bn-clean\+robust-cifar10-n32-seed0-[0-9a-f]{8}\.jsonl$/,
  );
});
