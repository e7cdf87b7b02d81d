import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultAttack } from '../../../src/core/ntk/attack';
import { NtkResultCache, ntkCacheKey } from '../../../src/core/ntk/cache';
import { canonicalCell } from '../../../src/core/ntk/canonical';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { loadInputs } from '../../../src/core/ntk/inputs/load';
import type { NtkJobOptions } from '../../../src/core/ntk/pool';
import { canonicalJson, NtkResultIndex } from '../../../src/core/ntk/resultLookup';
import { computeNtkScoresSync, type NtkResult } from '../../../src/core/ntk/scores';
import { readSweepFile, readSweepRowsFrom, SweepWriter } from '../../../src/core/ntk/sweepFile';
import { sweepHeader } from '../../../src/core/ntk/sweepScope';
import { parseArchString, type Cell } from '../../../src/core/space';

const options: NtkJobOptions = {
  size: { channels: 2, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  variants: ['clean', 'robust'],
  attack: defaultAttack('fgsm', 8),
  tradeOff: 0.5,
  seed: 2,
  baselines: false,
  inputs: { kind: 'synthetic', dataset: 'cifar10', count: 3, seed: 2 },
};

function cellOf(s: string): Cell {
  const p = parseArchString(s);
  if (!p.ok) throw new Error(s);
  return p.cell;
}

/** A real score of the class, computed in this thread (tiny network, 3 inputs). */
function score(cell: Cell, o: NtkJobOptions = options): NtkResult {
  const { inputs, ...rest } = o;
  return computeNtkScoresSync(canonicalCell(cell), { options: rest, inputs: loadInputs(inputs), backend: jsBackend() });
}

const A = cellOf('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|');
// Another isomorphism class than A.
const B = cellOf('|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|');

test('stored results are found in the cache first, then in sweep files of the same configuration only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-lookup-'));
  try {
    const index = new NtkResultIndex(join(dir, 'cache'));
    assert.equal(index.find(A, 11, options), undefined);

    const a = score(A);
    new NtkResultCache(join(dir, 'cache')).put(ntkCacheKey(A, options), a);
    const fromCache = index.find(A, undefined, options);
    assert.equal(fromCache?.source.kind, 'cache');
    assert.deepEqual(fromCache?.result.variants, a.variants);
    // Another configuration is another entry.
    assert.equal(index.find(A, undefined, { ...options, seed: 3 }), undefined);

    const file = join(dir, 'sweep.jsonl');
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'sample', k: 2 }));
    const b = score(B);
    writer.append({ type: 'result', index: 42, result: b });
    index.configure(join(dir, 'cache'), [file]);
    // Sweep rows are keyed by the class's benchmark index, so the index is needed to find them.
    assert.equal(index.find(B, undefined, options), undefined);
    const fromSweep = index.find(B, 42, options);
    assert.deepEqual(fromSweep?.source, { kind: 'sweep', file, classes: 1 });
    assert.deepEqual(fromSweep?.result.variants, b.variants);
    // The variant order does not matter; any other option does.
    assert.ok(index.find(B, 42, { ...options, variants: ['robust', 'clean'] }));
    assert.equal(index.find(B, 42, { ...options, kernel: 'exact' }), undefined);

    // Rows appended later (a running sweep) are seen on the next look-up.
    assert.equal(index.find(A, 7, options)?.source.kind, 'cache');
    assert.equal(index.find(B, 43, options), undefined);
    writer.append({ type: 'result', index: 43, result: b });
    writer.close();
    assert.equal(index.find(B, 43, options)?.source.kind, 'sweep');
    assert.equal(index.sweepRows(options).size, 2);

    // A damaged file counts as empty instead of failing the hover.
    appendFileSync(file, '{oops\n{"type":"result"}\n');
    assert.equal(index.find(B, 43, options), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('canonical JSON ignores key order at every level', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } }),
    canonicalJson({ a: { c: null, d: [2, { x: 0, y: 1 }] }, b: 1 }),
  );
  assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
});

test('appended rows are read from where the last read ended; a partial last line waits for the next read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-tail-'));
  try {
    const file = join(dir, 'tail.jsonl');
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'all' }));
    const a = score(A);
    writer.append({ type: 'result', index: 1, result: a });
    const first = readSweepFile(file);
    writer.append({ type: 'result', index: 2, result: a });
    writer.close();
    appendFileSync(file, '{"type":"result","index":3,"res');
    const tail = readSweepRowsFrom(file, first.completeBytes);
    assert.deepEqual(
      tail.rows.map((r) => r.index),
      [2],
    );
    assert.deepEqual(tail.rows[0].result.variants, a.variants);
    assert.equal(tail.completeBytes, readSweepFile(file).completeBytes);
    assert.deepEqual(readSweepRowsFrom(file, tail.completeBytes).rows, []);
    appendFileSync(file, 'ult":{"variants":{}}}\n');
    assert.deepEqual(
      readSweepRowsFrom(file, tail.completeBytes).rows.map((r) => r.index),
      [3],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
