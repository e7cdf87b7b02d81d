// The binary index cache (issue 14, src/core/benchmark/indexCache.ts): a later start must never serve numbers that
// differ from a load of the JSON files, and a damaged, stale, foreign-version, truncated or planted cache file is
// loaded past (from the JSON) and rewritten.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { indexCacheLogLine, loadBenchmark, type IndexCacheEvent } from '../../../src/core/benchmark/load';
import type { Benchmark, BenchmarkIndex } from '../../../src/core/benchmark/benchmark';
import { PUBLISHED_FILES } from '../../../src/core/benchmark/dataSources';
import { METRIC_IDS } from '../../../src/core/benchmark/metrics';
import {
  decodeBenchmarkIndex,
  encodeBenchmarkIndex,
  INDEX_CACHE_FILE,
  INDEX_FORMAT_VERSION,
  type IndexCacheKey,
} from '../../../src/core/benchmark/indexCache';
import { CELL_COUNT } from '../../../src/core/space/cell';
import { DATASET_IDS } from '../../../src/core/space/cost';
import { sharedDataDir } from './sharedData';

const KEY: IndexCacheKey = {
  adversarial: PUBLISHED_FILES.adversarial.sha256,
  standard: PUBLISHED_FILES.standard.sha256,
  ops: PUBLISHED_FILES.ops.sha256,
};

/** A load of the shared files with the index cache in `cacheDir`, and what the cache did. */
async function load(cacheDir: string): Promise<{ bench: Benchmark; events: IndexCacheEvent[] }> {
  const events: IndexCacheEvent[] = [];
  const bench = await loadBenchmark({
    dataDir: sharedDataDir(),
    cacheDir,
    download: false,
    onIndexCache: (e) => events.push(e),
  });
  return { bench, events };
}

let fresh: Benchmark;
/** The bytes a sound cache file holds (encoding is deterministic). */
let goodBytes: Buffer;

before(async () => {
  fresh = await loadBenchmark({ dataDir: sharedDataDir(), download: false, indexCache: false });
  goodBytes = encodeBenchmarkIndex(fresh.index, KEY);
});

/** Every value a Benchmark serves, compared between two loads. */
function assertSameBenchmark(a: Benchmark, b: Benchmark): void {
  assert.deepEqual([...b.evaluatedIndices], [...a.evaluatedIndices]);
  for (const part of [
    'codeNumbers',
    'representative',
    'evaluatedIndices',
    'adversarialValues',
    'standardValues',
  ] as const) {
    assert.deepEqual(b.index[part], a.index[part], part);
  }
  for (const dataset of DATASET_IDS) {
    for (const metric of METRIC_IDS) {
      assert.equal(b.hasMetric(dataset, metric), a.hasMetric(dataset, metric));
      const ca = a.column(dataset, metric);
      const cb = b.column(dataset, metric);
      assert.deepEqual(cb, ca, `${dataset} ${metric}`);
    }
  }
  for (let i = 0; i < CELL_COUNT; i++) {
    assert.equal(b.representativeOf(i), a.representativeOf(i));
    assert.deepEqual(b.classMembersOf(i), a.classMembersOf(i));
    // Records, costs, every metric's value, rank, percentile: everything a hover or report shows.
    assert.equal(JSON.stringify(b.results(i)), JSON.stringify(a.results(i)), `index ${i}`);
  }
  for (const dataset of DATASET_IDS) {
    assert.deepEqual(b.topK(dataset, 'pgd@8', 50), a.topK(dataset, 'pgd@8', 50));
    assert.deepEqual(b.pareto(dataset, 'clean', 'autoattack'), a.pareto(dataset, 'clean', 'autoattack'));
  }
}

test('the first load writes the index; a later load uses it and serves exactly what a load of the JSON serves', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-index-'));
  const first = await load(cacheDir);
  assert.deepEqual(first.events, [{ kind: 'written', path: join(cacheDir, INDEX_CACHE_FILE), replaced: undefined }]);
  assert.deepEqual(readFileSync(join(cacheDir, INDEX_CACHE_FILE)), goodBytes);
  assert.deepEqual(readdirSync(cacheDir), [INDEX_CACHE_FILE], 'no temporary file is left behind');
  const later = await load(cacheDir);
  assert.deepEqual(later.events, [{ kind: 'used', path: join(cacheDir, INDEX_CACHE_FILE) }]);
  assert.equal(later.bench.origins.adversarial.path, first.bench.origins.adversarial.path);
  assertSameBenchmark(fresh, first.bench);
  assertSameBenchmark(fresh, later.bench);
});

/** A copy of the good file with `edit` applied, then a load: it must fall back, say why, and rewrite the file. */
async function fallsBackAndRewrites(bytes: Buffer, why: RegExp): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-index-'));
  const file = join(cacheDir, INDEX_CACHE_FILE);
  writeFileSync(file, bytes);
  const { bench, events } = await load(cacheDir);
  assert.equal(events.length, 1);
  const e = events[0];
  assert.equal(e.kind, 'written', JSON.stringify(e));
  assert.match((e as { replaced?: string }).replaced ?? '', why);
  assert.deepEqual(readFileSync(file), goodBytes, 'the file is rewritten from the fresh load');
  assert.deepEqual(bench.index.adversarialValues, fresh.index.adversarialValues);
  assert.deepEqual(bench.index.representative, fresh.index.representative);
  const again = await load(cacheDir);
  assert.equal(again.events[0].kind, 'used');
}

const edited = (edit: (b: Buffer) => void): Buffer => {
  const b = Buffer.from(goodBytes);
  edit(b);
  return b;
};

test('a damaged cache (a flipped bit in the values) is rebuilt', async () => {
  await fallsBackAndRewrites(
    edited((b) => (b[b.length - 1000] ^= 0x10)),
    /damaged \(its payload checksum differs\)/,
  );
});

test('a stale cache (built from files with another sha256) is rebuilt', async () => {
  const stale = encodeBenchmarkIndex(fresh.index, { ...KEY, standard: 'ab'.repeat(32) });
  await fallsBackAndRewrites(stale, /built from other data files \(the sha256 of the standard file differs\)/);
});

test('a cache of another format version is rebuilt', async () => {
  await fallsBackAndRewrites(
    edited((b) => b.writeUInt32LE(INDEX_FORMAT_VERSION + 1, 8)),
    new RegExp(`format version ${INDEX_FORMAT_VERSION + 1}`),
  );
});

test('a truncated cache is rebuilt, cut anywhere', async () => {
  await fallsBackAndRewrites(goodBytes.subarray(0, goodBytes.length - 8), /has \d+ bytes, expected \d+ \(truncated\)/);
  await fallsBackAndRewrites(goodBytes.subarray(0, 100), /truncated \(100 bytes, shorter than its header\)/);
  await fallsBackAndRewrites(goodBytes.subarray(0, 0), /truncated \(0 bytes/);
  await fallsBackAndRewrites(Buffer.concat([goodBytes, Buffer.from([0])]), /extra bytes/);
});

test('a file that is not an index, or whose header disagrees with its length, is rebuilt', async () => {
  await fallsBackAndRewrites(Buffer.from('acc={"":[]}'.padEnd(400, ' ')), /is not a Robust NAS index file/);
  await fallsBackAndRewrites(
    edited((b) => b.writeUInt32LE(6000, 16)),
    /inconsistent header/,
  );
  await fallsBackAndRewrites(
    edited((b) => b.fill(0, 32, 64)),
    /another column layout/,
  );
});

/** An index file with a correct checksum around arrays that break an invariant the Benchmark relies on. */
function planted(edit: (index: BenchmarkIndex) => BenchmarkIndex): Buffer {
  const copy = (a: Int32Array | Float64Array) => a.slice();
  const index = {
    codeNumbers: copy(fresh.index.codeNumbers) as Int32Array,
    representative: copy(fresh.index.representative) as Int32Array,
    evaluatedIndices: copy(fresh.index.evaluatedIndices) as Int32Array,
    adversarialValues: copy(fresh.index.adversarialValues) as Float64Array,
    standardValues: copy(fresh.index.standardValues) as Float64Array,
  };
  return encodeBenchmarkIndex(edit(index), KEY);
}

test('a checksummed file holding unsound arrays is not trusted', async () => {
  const repeatedCode = planted((x) => ((x.codeNumbers[5] = x.codeNumbers[4]), x));
  await fallsBackAndRewrites(
    repeatedCode,
    /unsound data \(op code number \d+ of index 5 is out of range or repeated\)/,
  );
  const outOfRange = planted((x) => ((x.representative[100] = 20000), x));
  await fallsBackAndRewrites(outOfRange, /representative 20000 of index 100 is not a class representative/);
  const badValue = planted((x) => ((x.standardValues[7] = 93.8), x));
  await fallsBackAndRewrites(badValue, /value 93.8 is not an accuracy in \[0, 1\]/);
  const nanValue = planted((x) => ((x.adversarialValues[3] = NaN), x));
  await fallsBackAndRewrites(nanValue, /value NaN is not an accuracy/);
});

test('decoding a buffer that does not start on an 8-byte boundary still gives aligned arrays', () => {
  const shifted = Buffer.alloc(goodBytes.length + 3).subarray(3);
  goodBytes.copy(shifted);
  const r = decodeBenchmarkIndex(shifted, KEY);
  assert.ok('index' in r);
  assert.deepEqual(r.index.standardValues, fresh.index.standardValues);
});

test(
  'a folder, a FIFO or /dev/zero where the index belongs is refused without hanging; the load still succeeds',
  { timeout: 20_000 },
  async () => {
    for (const plant of ['folder', 'fifo', 'zero'] as const) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'rn-index-'));
      const file = join(cacheDir, INDEX_CACHE_FILE);
      if (plant === 'folder') mkdirSync(file);
      else if (plant === 'fifo') execFileSync('mkfifo', [file]);
      else symlinkSync('/dev/zero', file);
      const { bench, events } = await load(cacheDir);
      assert.deepEqual(bench.index.codeNumbers, fresh.index.codeNumbers);
      assert.equal(events.length, 1);
      const e = events[0];
      // The rename replaces a FIFO or a symlink (never writing through it), but not a folder.
      if (plant === 'folder') {
        assert.equal(e.kind, 'not-written');
        assert.match((e as { replaced?: string }).replaced ?? '', /is a directory, not a regular file/);
      } else {
        assert.equal(e.kind, 'written');
        assert.match((e as { replaced?: string }).replaced ?? '', plant === 'fifo' ? /FIFO/ : /character device/);
        assert.deepEqual(readFileSync(file), goodBytes);
      }
    }
  },
);

test('an unwritable cache folder costs only the speed-up: the load succeeds and says why nothing was stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-index-'));
  const aFile = join(dir, 'file');
  writeFileSync(aFile, 'not a folder');
  for (const cacheDir of [join(aFile, 'cache'), '/proc/robust-nas-cache']) {
    const { bench, events } = await load(cacheDir);
    assert.deepEqual(bench.index.standardValues, fresh.index.standardValues);
    assert.equal(events.length, 1);
    assert.equal(events[0].kind, 'not-written', JSON.stringify(events[0]));
    assert.ok(!existsSync(join(cacheDir, INDEX_CACHE_FILE)));
    // The extension's and the server's logs warn, naming the file and the reason.
    const line = indexCacheLogLine(events[0]);
    assert.equal(line.level, 'warn');
    assert.ok(
      line.text.startsWith(`Benchmark index ${join(cacheDir, INDEX_CACHE_FILE)} could not be stored (`),
      line.text,
    );
  }
});

test('edited copies read with checksums off never touch the index cache', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-index-'));
  const events: IndexCacheEvent[] = [];
  await loadBenchmark({
    dataDir: sharedDataDir(),
    cacheDir,
    verifyChecksums: false,
    onIndexCache: (e) => events.push(e),
  });
  assert.deepEqual(events, []);
  assert.deepEqual(readdirSync(cacheDir), []);
});
