import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  mergeSweepFiles,
  parseShard,
  readSweepFile,
  shardOf,
  SweepWriter,
  type SweepHeader,
  type SweepRow,
} from '../../../src/core/ntk/sweepFile';
import { ntkMetricColumn, ntkMetricsInSweep, parseNtkMetric } from '../../../src/core/ntk/sweepMetrics';
import { NtkResultCache } from '../../../src/core/ntk/cache';
import type { NtkResult } from '../../../src/core/ntk/scores';

const dir = mkdtempSync(join(tmpdir(), 'ntk-sweep-'));
const header = (shard?: { index: number; count: number }): SweepHeader => ({
  type: 'ntk-sweep',
  version: 1,
  config: { kernel: 'fixed-bn', n: 4 },
  shard,
});
const summary = (f: number) => ({
  frobenius: f,
  trace: 2 * f,
  minEigenvalue: 1,
  maxEigenvalue: f,
  conditionNumber: f,
  spectrum: 'eigenvalues' as const,
});
const result = (f: number, cond = f): NtkResult => ({
  arch: 'x',
  dataset: 'cifar10',
  size: { channels: 8, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  inputs: { source: 'synthetic', synthetic: true, count: 4 },
  seed: 0,
  attack: { kind: 'fgsm', eps: 8 / 255, stepSize: 8 / 255, steps: 1, randomStart: false },
  tradeOff: 0.5,
  variants: { clean: summary(f), robust: { ...summary(f + 1), conditionNumber: cond } },
  knas: f / 2,
  naswot: 3,
  seconds: 0.1,
});
const row = (index: number, f: number, cond = f): SweepRow => ({ type: 'result', index, result: result(f, cond) });

test('a sweep file resumes: completed rows are kept, a partial last line from a crash is dropped, options must match', () => {
  const file = join(dir, 'resume.jsonl');
  let { writer, done } = SweepWriter.open(file, header());
  assert.equal(done.size, 0);
  writer.append(row(5, 10));
  writer.append(row(9, 20, Infinity));
  writer.close();
  appendFileSync(file, '{"type":"result","index":12,"res');
  ({ writer, done } = SweepWriter.open(file, header()));
  assert.deepEqual([...done.keys()], [5, 9]);
  assert.equal(done.get(9)!.result.variants.robust!.conditionNumber, Infinity);
  writer.append(row(12, 30));
  writer.close();
  const back = readSweepFile(file);
  assert.deepEqual([...back.rows.keys()], [5, 9, 12]);
  assert.equal(back.partialLastLine, false);
  assert.throws(
    () => SweepWriter.open(file, { ...header(), config: { kernel: 'exact', n: 4 } }),
    /another sweep configuration: kernel: the file has "fixed-bn", this run "exact"/,
  );
  writeFileSync(join(dir, 'garbage.jsonl'), 'hello\n');
  assert.throws(() => readSweepFile(join(dir, 'garbage.jsonl')), /not JSON; not an NTK sweep file/);
  writeFileSync(join(dir, 'damaged.jsonl'), JSON.stringify(header()) + '\n{oops\n' + JSON.stringify(row(1, 1)) + '\n');
  assert.throws(() => readSweepFile(join(dir, 'damaged.jsonl')), /line 2 is not JSON/);
});

test('shards partition the classes; merge joins them, sorted, and refuses mixed options', () => {
  const items = Array.from({ length: 10 }, (_, i) => i * 3);
  const shards = [0, 1, 2].map((i) => shardOf(items, i, 3));
  assert.deepEqual(
    shards.flat().sort((a, b) => a - b),
    items,
  );
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  assert.throws(() => parseShard('3/3'), /0 <= i < n/);
  const files = shards.map((s, i) => {
    const f = join(dir, `shard-${i}.jsonl`);
    const { writer } = SweepWriter.open(f, header({ index: i, count: 3 }));
    for (const idx of s) writer.append(row(idx, idx + 1));
    writer.close();
    return f;
  });
  const out = join(dir, 'merged.jsonl');
  assert.deepEqual(mergeSweepFiles([...files, files[0]], out), { classes: 10, duplicates: 4 });
  const merged = readSweepFile(out);
  assert.deepEqual([...merged.rows.keys()], items);
  assert.equal(merged.header.shard, undefined);
  const other = join(dir, 'other.jsonl');
  SweepWriter.open(other, { ...header(), config: { kernel: 'exact' } }).writer.close();
  assert.throws(() => mergeSweepFiles([files[0], other], join(dir, 'bad.jsonl')), /different options/);
});

test('NTK scores as metric columns aligned with the benchmark indices', () => {
  const rows = new Map([
    [3, row(3, 7)],
    [8, row(8, 9, Infinity)],
  ]);
  assert.deepEqual(ntkMetricsInSweep(rows), ['ntk:clean', 'ntk:robust', 'ntk:knas', 'ntk:naswot']);
  assert.deepEqual([...ntkMetricColumn(rows, [1, 3, 8], parseNtkMetric('ntk:clean')!)], [NaN, 7, 9]);
  assert.deepEqual([...ntkMetricColumn(rows, [3, 8], parseNtkMetric('ntk:robust.condition')!)], [7, Infinity]);
  assert.deepEqual([...ntkMetricColumn(rows, [3], parseNtkMetric('ntk:knas')!)], [3.5]);
  assert.equal(parseNtkMetric('ntk:bogus'), undefined);
  assert.equal(parseNtkMetric('pgd@8'), undefined);
});

test('the result cache round-trips (Infinity included), writes atomically and ignores damaged entries', () => {
  const cache = new NtkResultCache(join(dir, 'cache'));
  assert.equal(cache.get('k'), undefined);
  cache.put('k', result(4, Infinity));
  assert.equal(cache.get('k')!.variants.robust!.conditionNumber, Infinity);
  assert.equal(cache.get('other'), undefined);
  const file = readFileSync(join(dir, 'cache', readdirSync(join(dir, 'cache'))[0]), 'utf8');
  assert.match(file, /"Infinity"/);
});
