import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { encodableArchOf, encodeArch, withIndex, type BenchmarkSource } from '../../src/extension/editor/encodeArch';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let bench: Benchmark;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR });
});

const NO_DATA = 'No benchmark data: run "Robust NAS: Locate Benchmark Data".';
/** The extension before its data is loaded (or when there is none): get() rejects with the loader's sentence. */
const noData: BenchmarkSource = { ready: () => undefined, get: () => Promise.reject(new Error(NO_DATA)) };
const loaded = (): BenchmarkSource => ({ ready: () => bench, get: () => Promise.resolve(bench) });

test('Copy As / Convert: strings, op codes and NASLib tuples convert without the data, to what the data gives', async () => {
  for (const index of [0, 1462, 8473, 15624]) {
    const record = bench.archOfIndex(index);
    for (const text of [record.archString, record.code, `(${record.naslib.join(', ')})`]) {
      const arch = await encodableArchOf(text, noData);
      assert.equal(arch.index, undefined, text);
      for (const kind of ['string', 'code', 'naslib'] as const)
        assert.equal(encodeArch(arch, kind), encodeArch(record, kind), `${text} as ${kind}`);
      assert.throws(() => encodeArch(arch, 'index'), /benchmark data/);
      await assert.rejects(withIndex(arch, noData), { message: NO_DATA });
      // Once the data is there the index is the cell's own (not its isomorphism representative's).
      assert.equal((await withIndex(arch, loaded())).index, index, text);
      assert.equal((await encodableArchOf(text, loaded())).index, index, text);
    }
  }
});

test("Copy As / Convert: an index needs the data, and says so with the loader's message; a bad text gets the parser's", async () => {
  await assert.rejects(encodableArchOf('1462', noData), { message: NO_DATA });
  const arch = await encodableArchOf('1462', loaded());
  assert.equal(encodeArch(arch, 'string'), bench.archOfIndex(1462).archString);
  await assert.rejects(
    encodableArchOf('|nor_conv_3x3~0|+|sikp_connect~0|nor_conv_3x3~1|+|none~0|none~1|none~2|', noData),
    /skip_connect/,
  );
});
