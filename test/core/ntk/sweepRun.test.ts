import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { defaultAttack } from '../../../src/core/ntk/attack';
import { canonicalCell } from '../../../src/core/ntk/canonical';
import { NtkPool, type NtkJobOptions } from '../../../src/core/ntk/pool';
import { readSweepFile, SweepWriter } from '../../../src/core/ntk/sweepFile';
import { runSweep, type SweepProgress } from '../../../src/core/ntk/sweepRun';
import { planSweep, selectSweepIndices, sweepHeader } from '../../../src/core/ntk/sweepScope';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

const workerFile = join(import.meta.dirname, '../../../dist/ntk-worker.js');
const tiny: NtkJobOptions = {
  size: { channels: 2, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  variants: ['clean'],
  attack: defaultAttack('fgsm', 8),
  tradeOff: 0.5,
  seed: 1,
  baselines: false,
  inputs: { kind: 'synthetic', dataset: 'cifar10', count: 3, seed: 1 },
};

test('a sweep writes one row per class from the worker pool, reports progress with an ETA, and resumes where it stopped', async () => {
  assert.ok(existsSync(workerFile), 'dist/ntk-worker.js is missing: run npm run build');
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  const dir = mkdtempSync(join(tmpdir(), 'ntk-run-'));
  const file = join(dir, 'sweep.jsonl');
  const scope = { kind: 'sample', k: 4 } as const;
  const indices = selectSweepIndices(bench, scope, tiny.seed);
  const pool = new NtkPool({ workers: 2, workerFile });
  try {
    // First run: stopped by its time limit (a fake clock advancing 0.3 s per reading passes 0.5 s after the
    // first class has started), then resumed to the end.
    let { writer, done } = SweepWriter.open(file, sweepHeader(tiny, scope));
    let plan = planSweep(indices, done);
    const progress: SweepProgress[] = [];
    let clock = 0;
    const first = await runSweep({
      bench,
      todo: plan.todo,
      options: tiny,
      pool,
      write: (r) => writer.append(r),
      onProgress: (p) => progress.push(p),
      limitSeconds: 0.5,
      now: () => (clock += 0.3),
    });
    writer.close();
    assert.equal(first.cancelled, false);
    assert.match(first.stopReason ?? '', /time limit of 0.5 s/);
    assert.ok(first.finished >= 1 && first.finished < 4, `finished ${first.finished}`);
    assert.equal(progress.length, first.finished);
    assert.ok(progress.every((p) => p.todo === 4 && Number.isFinite(p.etaSeconds) && p.etaSeconds > 0));

    ({ writer, done } = SweepWriter.open(file, sweepHeader(tiny, scope)));
    plan = planSweep(indices, done);
    assert.equal(plan.done, first.finished);
    assert.equal(plan.todo.length, 4 - first.finished);
    const second = await runSweep({ bench, todo: plan.todo, options: tiny, pool, write: (r) => writer.append(r) });
    writer.close();
    assert.equal(second.finished, plan.todo.length);

    const rows = readSweepFile(file).rows;
    assert.deepEqual(
      [...rows.keys()].sort((a, b) => a - b),
      indices,
    );
    // Each row was computed on the class's canonical cell, with the sweep's options.
    const local = await pool.compute(canonicalCell(bench.archOfIndex(indices[0]).cell), tiny);
    assert.deepEqual(rows.get(indices[0])!.result.variants, local.variants);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancelling a sweep stops the workers promptly and keeps every row already written', async () => {
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  const slow: NtkJobOptions = { ...tiny, size: 'full', kernel: 'exact', inputs: { ...tiny.inputs, count: 16 } };
  const pool = new NtkPool({ workers: 2, workerFile });
  const written: number[] = [];
  const abort = new AbortController();
  try {
    const todo = selectSweepIndices(bench, { kind: 'sample', k: 20 }, 2);
    const started = performance.now();
    setTimeout(() => abort.abort(), 300);
    const outcome = await runSweep({
      bench,
      todo,
      options: slow,
      pool,
      signal: abort.signal,
      write: (r) => written.push(r.index),
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.finished, written.length);
    // A full-size exact score takes many seconds; stopping must not wait for the running ones.
    assert.ok(seconds < 3, `cancel took ${seconds.toFixed(1)} s`);
  } finally {
    await pool.close();
  }
});

test('a failing class stops the sweep with its error after the finished rows were written', async () => {
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  const pool = new NtkPool({ workers: 2, workerFile });
  const written: number[] = [];
  try {
    const todo = selectSweepIndices(bench, { kind: 'sample', k: 6 }, 3);
    // Dataset files that do not exist: every worker fails to load its inputs with a message saying so.
    const broken: NtkJobOptions = {
      ...tiny,
      inputs: { kind: 'files', dataset: 'cifar10', dir: join(tmpdir(), 'no-such-cifar-folder'), count: 3, seed: 1 },
    };
    await assert.rejects(
      runSweep({ bench, todo, options: broken, pool, write: (r) => written.push(r.index) }),
      /no-such-cifar-folder/,
    );
    assert.equal(written.length, 0);
  } finally {
    await pool.close();
  }
});
