import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseArchString } from '../../../src/core/space';
import { defaultAttack } from '../../../src/core/ntk/attack';
import { wasmBackend } from '../../../src/core/ntk/engine/wasmBackend';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { NtkCancelledError, NtkPool, type NtkJobOptions } from '../../../src/core/ntk/pool';
import { computeNtkScoresSync, type NtkProgress } from '../../../src/core/ntk/scores';

import { allKernelsWasmBinaries } from './wasmKernels';

const workerFile = join(import.meta.dirname, '../../../dist/ntk-worker.js');
/** The back end the worker picks here (the fused multiply-add build, which Node 20+ takes), in this thread. */
const sameBackend = () => wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 256 * 2 ** 20 });
const parsed = parseArchString(
  '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|',
);
if (!parsed.ok) throw new Error('arch');
const cell = parsed.cell;
const options: NtkJobOptions = {
  size: { channels: 2, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  variants: ['clean', 'robust'],
  attack: { ...defaultAttack('fgsm', 8) },
  tradeOff: 0.5,
  seed: 3,
  baselines: false,
  inputs: { kind: 'synthetic', dataset: 'cifar10', count: 3, seed: 3 },
};

test('the pool scores on worker threads (WebAssembly) with the same numbers as the in-thread engine, with progress', async () => {
  assert.ok(existsSync(workerFile), 'dist/ntk-worker.js is missing: run npm run build');
  const pool = new NtkPool({ workers: 2, workerFile });
  try {
    const progress: NtkProgress[] = [];
    const [a, b] = await Promise.all([
      pool.compute(cell, options, undefined, (p) => progress.push(p)),
      pool.compute(cell, { ...options, kernel: 'exact' }),
    ]);
    assert.equal(a.backend, 'wasm-fma');
    const { inputs: _i, ...scoreOptions } = options;
    const local = computeNtkScoresSync(cell, {
      options: scoreOptions,
      inputs: syntheticInputs('cifar10', 3, 3),
      backend: sameBackend(),
    });
    assert.deepEqual(a.variants, local.variants);
    assert.equal(b.kernel, 'exact');
    assert.ok(progress.some((p) => p.stage === 'done'));
  } finally {
    await pool.close();
  }
});

test('cancelling terminates the running job, rejects queued ones, and the pool keeps working', async () => {
  const pool = new NtkPool({ workers: 1, workerFile });
  try {
    const big = {
      ...options,
      size: 'full' as const,
      kernel: 'exact' as const,
      inputs: { kind: 'synthetic' as const, dataset: 'cifar10' as const, count: 16, seed: 1 },
    };
    const running = new AbortController();
    const queued = new AbortController();
    const first = pool.compute(cell, big, running.signal);
    const second = pool.compute(cell, big, queued.signal);
    queued.abort();
    await assert.rejects(second, NtkCancelledError);
    setTimeout(() => running.abort(), 200);
    await assert.rejects(first, NtkCancelledError);
    const after = await pool.compute(cell, options);
    assert.ok(after.variants.clean!.frobenius > 0);
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(pool.compute(cell, options, pre.signal), NtkCancelledError);
  } finally {
    await pool.close();
  }
});

test('worker errors (a missing dataset folder) reach the caller as clear errors', async () => {
  const pool = new NtkPool({ workers: 1, workerFile });
  try {
    await assert.rejects(
      pool.compute(cell, {
        ...options,
        inputs: { kind: 'files', dataset: 'cifar10', dir: '/nonexistent/cifar', count: 3, seed: 1 },
      }),
      /does not exist/,
    );
  } finally {
    await pool.close();
  }
});

/** OS threads of this process (Linux), to see helper threads come and go. */
const osThreads = (): number | undefined =>
  existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : undefined;

test('a pool whose workers use two threads gives the same scores, says so, and cancelling ends the helper threads too', async () => {
  const pool = new NtkPool({ workers: 1, threadsPerWorker: 2, workerFile });
  try {
    const r = await pool.compute(cell, options);
    assert.equal(r.backend, 'wasm-fma');
    assert.equal(r.threads, 2);
    assert.equal(r.threadingNote, undefined);
    const { inputs: _i, ...scoreOptions } = options;
    const local = computeNtkScoresSync(cell, {
      options: scoreOptions,
      inputs: syntheticInputs('cifar10', 3, 3),
      backend: sameBackend(),
    });
    assert.deepEqual(r.variants, local.variants);

    const withWorker = osThreads();
    const big = {
      ...options,
      size: 'full' as const,
      kernel: 'exact' as const,
      inputs: { kind: 'synthetic' as const, dataset: 'cifar10' as const, count: 16, seed: 1 },
    };
    const running = new AbortController();
    const job = pool.compute(cell, big, running.signal);
    setTimeout(() => running.abort(), 300);
    await assert.rejects(job, NtkCancelledError);
    if (withWorker !== undefined) {
      // The cancelled worker and its helper thread are gone (no replacement starts until the next job).
      const deadline = Date.now() + 10_000;
      while (osThreads()! > withWorker - 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(
        osThreads()! <= withWorker - 2,
        `threads: ${withWorker} with the worker, ${osThreads()} after cancelling`,
      );
    }
    const after = await pool.compute(cell, options);
    assert.deepEqual(after.variants, r.variants);
  } finally {
    await pool.close();
  }
});
