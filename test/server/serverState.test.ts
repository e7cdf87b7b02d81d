import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchmarkDataError } from '../../src/core/benchmark/errors';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { BenchmarkHost } from '../../src/server/benchmarkHost';
import { DocumentAnalysisCache, ScanCancelled } from '../../src/server/documentAnalysis';
import { SettingsStore } from '../../src/server/settingsStore';
import type { DataStatusParams } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { doc, GOOD } from './serverTestKit';

test('scans are cached per document version and a cancelled scan throws ScanCancelled', () => {
  const cache = new DocumentAnalysisCache();
  const d = doc(`x = '${GOOD}'\n`.repeat(30000));
  assert.throws(() => cache.get(d, () => true), ScanCancelled);
  const a = cache.get(d);
  assert.equal(a.occurrences.length, 30000);
  assert.equal(cache.get(d, () => true), a); // cached: no scan, so nothing to cancel
});

test('the benchmark host reports loading then ready, or missing with the loader\'s message', async () => {
  const states: DataStatusParams[] = [];
  const host = new BenchmarkHost((dir, signal) => loadBenchmark({ dataDir: dir, signal, download: false }), (s) => states.push(s), () => undefined);
  host.load(SHARED_DATA_DIR);
  await host.whenSettled();
  assert.deepEqual(states.map((s) => s.state), ['loading', 'ready']);
  assert.equal(states[1].evaluated, 6466);
  assert.equal(host.benchmark?.evaluatedIndices.length, 6466);
  host.load(SHARED_DATA_DIR); // same path: nothing to do
  assert.equal(states.length, 2);

  const failed: DataStatusParams[] = [];
  const missing = new BenchmarkHost(() => Promise.reject(new BenchmarkDataError('missing', '/nowhere/ops.json', undefined, 'does not exist')), (s) => failed.push(s), () => undefined);
  missing.load('/nowhere');
  await missing.whenSettled();
  assert.equal(failed.at(-1)?.state, 'missing');
  assert.match(failed.at(-1)!.message, /\/nowhere\/ops\.json: does not exist/);
  assert.equal(missing.benchmark, undefined);
});

test('settings are fetched once per document until cleared; a failing fetch falls back to the defaults', async () => {
  let fetches = 0;
  const store = new SettingsStore(async (uri) => {
    fetches++;
    if (uri === 'file:///broken') throw new Error('no workspace');
    return { metric: 'clean' };
  }, () => undefined);
  assert.equal((await store.get('file:///a')).metric, 'clean');
  await store.get('file:///a');
  assert.equal(fetches, 1);
  store.clear();
  await store.get('file:///a');
  assert.equal(fetches, 2);
  assert.deepEqual(await store.get('file:///broken'), DEFAULT_SETTINGS);
});
