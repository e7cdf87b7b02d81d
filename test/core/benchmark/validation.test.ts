// Corrupted copies of the published files, written to a temporary folder, must each fail with a BenchmarkDataError
// naming the file, the key and the problem. Checksums are switched off here so the content validator is reached;
// the last tests check the checksum itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { BenchmarkDataError, type BenchmarkDataErrorKind } from '../../../src/core/benchmark/errors';
import { sharedDataDir } from './sharedData';

const ADV = 'NAS-RobBench-201_html.json';
const STD = 'acc.json';
const OPS = 'ops.json';

function folderWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rn-corrupt-'));
  for (const f of [ADV, STD, OPS]) copyFileSync(join(sharedDataDir(), f), join(dir, f));
  writeFileSync(join(dir, name), text);
  return dir;
}

function edited(name: string, edit: (data: unknown) => void, prefix = name === OPS ? 'arch=' : 'acc='): string {
  const text = readFileSync(join(sharedDataDir(), name), 'utf8');
  const data = JSON.parse(text.slice(text.indexOf('=') + 1));
  edit(data);
  return prefix + JSON.stringify(data);
}

async function rejects(
  dir: string,
  kind: BenchmarkDataErrorKind,
  file: string,
  key: string | undefined,
  message: RegExp,
  verifyChecksums = false,
) {
  await assert.rejects(loadBenchmark({ dataDir: dir, verifyChecksums }), (e: unknown) => {
    assert.ok(e instanceof BenchmarkDataError, String(e));
    assert.equal(e.kind, kind);
    assert.equal(e.file, join(dir, file));
    assert.equal(e.key, key);
    assert.match(e.message, message);
    assert.match(e.message, /robustNas\.dataPath|Start loading again/);
    return true;
  });
}

test('a wrong header column', async () => {
  const dir = folderWith(
    ADV,
    edited(ADV, (d) => ((d as Record<string, string[]>)[''][4] = 'cifar10#val_pgd_9_acc')),
  );
  await rejects(dir, 'header', ADV, '', /column 5 is "cifar10#val_pgd_9_acc", expected "cifar10#val_pgd_8_acc"/);
});

test('a header with a column too few', async () => {
  const dir = folderWith(
    STD,
    edited(STD, (d) => (d as Record<string, string[]>)[''].pop()),
  );
  await rejects(dir, 'header', STD, '', /has 16 columns, expected 17/);
});

test('a missing index key', async () => {
  const dir = folderWith(
    ADV,
    edited(ADV, (d) => delete (d as Record<string, unknown>)['42']),
  );
  await rejects(dir, 'keys', ADV, '42', /missing.*15624 index keys, expected all 15625/);
});

test('an extra key that is not an index', async () => {
  const dir = folderWith(
    STD,
    edited(STD, (d) => ((d as Record<string, unknown>)['15625'] = 0)),
  );
  await rejects(dir, 'keys', STD, '15625', /not a NAS-Bench-201 index/);
});

test('a row of the wrong length', async () => {
  const dir = folderWith(
    ADV,
    edited(ADV, (d) => (d as Record<string, number[]>)['0'].pop()),
  );
  await rejects(dir, 'shape', ADV, '0', /has 17 values, expected 18/);
});

test('an accuracy outside [0, 1]', async () => {
  const dir = folderWith(
    STD,
    edited(STD, (d) => ((d as Record<string, number[]>)['1'][3] = 93.8)),
  );
  await rejects(dir, 'range', STD, '1', /value 4 \(cifar10#fgsm\) is 93\.8, outside \[0, 1\]/);
});

test('a non-numeric accuracy', async () => {
  const dir = folderWith(
    ADV,
    edited(ADV, (d) => ((d as Record<string, unknown[]>)['0'][0] = null)),
  );
  await rejects(dir, 'shape', ADV, '0', /value 1 \(cifar10#val_acc\) is null/);
});

test('a reference to a cell without results', async () => {
  // 15623 points to 806 in the published file; point it at another non-evaluated index instead.
  const dir = folderWith(
    ADV,
    edited(ADV, (d) => {
      const o = d as Record<string, unknown>;
      const nonEvaluated = Object.keys(o).find((k) => k !== '' && typeof o[k] === 'string' && k !== '15623')!;
      o['15623'] = nonEvaluated;
    }),
  );
  await rejects(dir, 'reference', ADV, '15623', /points to index \d+, which holds no results/);
});

test('a reference that resolves but disagrees with the cell structure', async () => {
  const dir = folderWith(
    STD,
    edited(STD, (d) => {
      const o = d as Record<string, unknown>;
      const key = Object.keys(o).find((k) => k !== '' && typeof o[k] === 'number')!;
      const wrong = Object.keys(o).find((k) => k !== '' && Array.isArray(o[k]) && Number(k) !== o[key])!;
      o[key] = Number(wrong);
    }),
  );
  await assert.rejects(
    loadBenchmark({ dataDir: dir, verifyChecksums: false }),
    (e: unknown) =>
      e instanceof BenchmarkDataError &&
      e.kind === 'isomorphism' &&
      /by the structure of cell \d{6} \(ops\.json\) it should point to index/.test(e.message),
  );
});

test('an invalid op code and a repeated op code', async () => {
  await rejects(
    folderWith(
      OPS,
      edited(OPS, (d) => ((d as string[])[7] = '015133')),
    ),
    'op-code',
    OPS,
    '7',
    /"015133", expected a six-digit op code of digits 0-4/,
  );
  await rejects(
    folderWith(
      OPS,
      edited(OPS, (d) => ((d as string[])[9] = (d as string[])[3])),
    ),
    'op-code',
    OPS,
    '9',
    /repeats op code 410001 of index 3/,
  );
  await rejects(
    folderWith(
      OPS,
      edited(OPS, (d) => (d as string[]).pop()),
    ),
    'keys',
    OPS,
    undefined,
    /has 15624 op codes, expected 15625/,
  );
});

test('a truncated file', async () => {
  const full = readFileSync(join(sharedDataDir(), ADV), 'utf8');
  const dir = folderWith(ADV, full.slice(0, 100_000));
  await rejects(dir, 'syntax', ADV, undefined, /not valid JSON after 'acc='.*looks truncated/);
});

test('a file that is not an assignment', async () => {
  await rejects(folderWith(OPS, '["421211"]'), 'syntax', OPS, undefined, /does not start with 'arch='/);
});

test('with checksums on, a modified or truncated file fails on its sha256 before parsing', async () => {
  const full = readFileSync(join(sharedDataDir(), STD));
  const edited = Buffer.from(full);
  edited[100] = edited[100] === 0x31 ? 0x32 : 0x31;
  await rejects(
    folderWith(STD, edited.toString('latin1')),
    'checksum',
    STD,
    undefined,
    /has sha256 [0-9a-f]{64}, expected 1c8b7dfe/,
    true,
  );
  await rejects(
    folderWith(STD, full.subarray(0, 5000).toString('latin1')),
    'checksum',
    STD,
    undefined,
    /has 5000 bytes, expected 807808/,
    true,
  );
});

test('a named folder missing a file fails instead of falling back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-empty-'));
  await rejects(dir, 'missing', ADV, undefined, /does not exist \(looked in the folder given by/);
});
