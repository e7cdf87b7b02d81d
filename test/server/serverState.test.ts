import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver';
import { BenchmarkDataError } from '../../src/core/benchmark/errors';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { BenchmarkHost } from '../../src/server/benchmarkHost';
import { DocumentAnalysisCache, ScanCancelled } from '../../src/server/documentAnalysis';
import { LineDocument } from '../../src/server/lineDocument';
import { SettingsStore } from '../../src/server/settingsStore';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { resumableScan } from '../../src/core/scan/incrementalScan';
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
  assert.equal(
    cache.get(d, () => true),
    a,
  ); // cached: no scan, so nothing to cancel
});

test('the stepwise scan yields between steps and finds exactly what the one-shot scan finds', () => {
  const text = [
    `x = '${GOOD}'`,
    "('|nor_conv_3x3~0|+'\n '|none~0|none~1|+' '|none~0|none~1|none~2|')",
    'api.query_by_index(5)',
    'op_indices = [0, 1, 2, 3, 4, 0]',
    "'|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'",
  ]
    .join('\n')
    .repeat(8000);
  const steps = resumableScan(text);
  let yields = 0;
  let r = steps.next();
  while (!r.done) {
    yields++;
    r = steps.next();
  }
  assert.ok(yields > 3, `${yields} yields`);
  assert.deepEqual(r.value.occurrences, scanArchitectures(text));
});

test('a request waiting for a long scan stops at cancellation; the scan completes for the others', async () => {
  const cache = new DocumentAnalysisCache();
  const d = doc(`x = '${GOOD}'\n`.repeat(60000));
  const source = new CancellationTokenSource();
  const waiting = cache.getAsync(d, source.token);
  const other = cache.getAsync(d);
  source.cancel();
  await assert.rejects(waiting, ScanCancelled);
  const a = await other;
  assert.equal(a.occurrences.length, 60000);
  assert.equal(await cache.getAsync(d), a);
});

test('the scan of an edited version starts from the previous one and equals a fresh scan', async () => {
  const cache = new DocumentAnalysisCache();
  const d = LineDocument.create('file:///test/edited.py', 'python', 1, `x = '${GOOD}'\n`.repeat(60000));
  const first = await cache.getAsync(d);
  // Break the cell on line 30,000, then mend it on the next version.
  LineDocument.update(
    d,
    [{ range: { start: { line: 30000, character: 6 }, end: { line: 30000, character: 6 } }, text: 'Q' }],
    2,
  );
  const second = await cache.getAsync(d);
  assert.equal(second.version, 2);
  assert.deepEqual(second.occurrences, scanArchitectures(d.getText()));
  assert.equal(second.occurrences[30000].kind, 'malformed-string');
  // Strings before the edit are carried over as they were, not found again.
  assert.equal(second.occurrences[0], first.occurrences[0]);
  LineDocument.update(
    d,
    [{ range: { start: { line: 30000, character: 6 }, end: { line: 30000, character: 7 } }, text: '' }],
    3,
  );
  const third = cache.get(d);
  assert.deepEqual(third.occurrences, first.occurrences);
  // A whole-document replace is scanned afresh.
  LineDocument.update(d, [{ text: `y = '${GOOD}'\n`.repeat(3) }], 4);
  assert.deepEqual((await cache.getAsync(d)).occurrences, scanArchitectures(d.getText()));
});

test("the benchmark host reports loading then ready, or missing with the loader's message", async () => {
  const states: DataStatusParams[] = [];
  const host = new BenchmarkHost(
    (dir, signal) => loadBenchmark({ dataDir: dir, signal, download: false }),
    (s) => states.push(s),
    () => undefined,
  );
  host.load(SHARED_DATA_DIR);
  await host.whenSettled();
  assert.deepEqual(
    states.map((s) => s.state),
    ['loading', 'ready'],
  );
  assert.equal(states[1].evaluated, 6466);
  assert.equal(host.benchmark?.evaluatedIndices.length, 6466);
  host.load(SHARED_DATA_DIR); // same path: nothing to do
  assert.equal(states.length, 2);

  const failed: DataStatusParams[] = [];
  const missing = new BenchmarkHost(
    () => Promise.reject(new BenchmarkDataError('missing', '/nowhere/ops.json', undefined, 'does not exist')),
    (s) => failed.push(s),
    () => undefined,
  );
  missing.load('/nowhere');
  await missing.whenSettled();
  assert.equal(failed.at(-1)?.state, 'missing');
  // One line for the hover: what is wrong and the commands that fix it; the whole message goes to the log.
  assert.equal(
    failed.at(-1)!.message,
    'Benchmark data not found (ops.json is missing in /nowhere). Run "Robust NAS: Locate Benchmark Data..." or "Robust NAS: Download Benchmark Data".',
  );
  assert.equal(missing.benchmark, undefined);
});

test('settings are fetched once per document until cleared; a failing fetch falls back to the defaults', async () => {
  let fetches = 0;
  const store = new SettingsStore(
    async (uri) => {
      fetches++;
      if (uri === 'file:///broken') throw new Error('no workspace');
      return { metric: 'clean' };
    },
    () => undefined,
  );
  assert.equal((await store.get('file:///a')).metric, 'clean');
  await store.get('file:///a');
  assert.equal(fetches, 1);
  store.clear();
  await store.get('file:///a');
  assert.equal(fetches, 2);
  assert.deepEqual(await store.get('file:///broken'), DEFAULT_SETTINGS);
});

test('an unanswered settings pull times out to the defaults; a late answer replaces them and is reported', async () => {
  const answers: ((raw: unknown) => void)[] = [];
  const late: (string | undefined)[] = [];
  const logs: string[] = [];
  const store = new SettingsStore(
    () => new Promise((resolve) => answers.push(resolve)),
    (m) => logs.push(m),
    { timeoutMs: 30, onLateAnswer: (uri) => late.push(uri) },
  );
  assert.deepEqual(await store.get('file:///a'), DEFAULT_SETTINGS);
  assert.match(logs.join('\n'), /did not answer workspace\/configuration for file:\/\/\/a within 30 ms/);
  // The client missed one answer: the next pull does not wait the full timeout again.
  const t0 = Date.now();
  assert.deepEqual(await store.get('file:///b'), DEFAULT_SETTINGS);
  assert.ok(Date.now() - t0 < 30 * 10);
  answers[0]({ metric: 'clean' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(late, ['file:///a']);
  assert.equal((await store.get('file:///a')).metric, 'clean');
});
