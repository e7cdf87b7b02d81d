// NTK workers run with a heap limit (resourceLimits): a job that needs more dies alone, with an error that says
// so, and the pool goes on with a fresh worker. Dataset files that cannot be read are input errors (the CLI
// exits 2 for them), not engine failures.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultAttack } from '../../../src/core/ntk/attack';
import {
  NTK_WORKER_HEAP_MB,
  NtkInputError,
  NtkOutOfMemoryError,
  NtkPool,
  type NtkJobOptions,
} from '../../../src/core/ntk/pool';
import { parseArchString } from '../../../src/core/space';

const workerFile = join(import.meta.dirname, '../../../dist/ntk-worker.js');
const parsed = parseArchString(
  '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|',
);
if (!parsed.ok) throw new Error('arch');
const cell = parsed.cell;
const dir = mkdtempSync(join(tmpdir(), 'ntk-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const job = (inputs: NtkJobOptions['inputs']): NtkJobOptions => ({
  size: { channels: 2, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  variants: ['clean'],
  attack: defaultAttack('fgsm', 8),
  tradeOff: 0.5,
  seed: 1,
  baselines: false,
  inputs,
});

test('a worker that exceeds its heap limit fails its job clearly; the next job runs on a new worker', async () => {
  assert.ok(existsSync(workerFile), 'dist/ntk-worker.js is missing: run npm run build');
  assert.equal(new NtkPool().maxHeapMb, NTK_WORKER_HEAP_MB);
  // 990,000 empty dicts: within the pickle reader's value limit, but about 100 MB of heap.
  const d = join(dir, 'dicts');
  mkdirSync(d);
  writeFileSync(
    join(d, 'data_batch_1'),
    Buffer.concat([Buffer.from([0x80, 2]), Buffer.alloc(990_000, 0x7d), Buffer.from([0x2e])]),
  );
  const pool = new NtkPool({ workers: 1, workerFile, maxHeapMb: 32 });
  try {
    await assert.rejects(
      pool.compute(cell, job({ kind: 'files', dataset: 'cifar10', dir: d, count: 2, seed: 1 })),
      (e: unknown) =>
        e instanceof NtkOutOfMemoryError &&
        /ran out of memory \(each worker may use 32 MB of JavaScript heap\)/.test(e.message),
    );
    const ok = await pool.compute(cell, job({ kind: 'synthetic', dataset: 'cifar10', count: 2, seed: 1 }));
    assert.ok(ok.variants.clean!.frobenius > 0);
  } finally {
    await pool.close();
  }
});

test('an unreadable dataset file is an NtkInputError naming the file', async () => {
  const d = join(dir, 'text');
  mkdirSync(d);
  writeFileSync(join(d, 'data_batch_1'), 'not a pickle');
  const pool = new NtkPool({ workers: 1, workerFile });
  try {
    await assert.rejects(
      pool.compute(cell, job({ kind: 'files', dataset: 'cifar10', dir: d, count: 2, seed: 1 })),
      (e: unknown) =>
        e instanceof NtkInputError &&
        e.message.startsWith(join(d, 'data_batch_1')) &&
        /not a Python pickle/.test(e.message),
    );
  } finally {
    await pool.close();
  }
});
