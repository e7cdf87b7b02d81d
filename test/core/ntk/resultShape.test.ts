// Stored NTK results are checked before use: a damaged or planted cache entry or sweep row (NaN, negative or
// string scores, another cell's arch, an empty result) is treated as missing, never shown.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultAttack } from '../../../src/core/ntk/attack';
import { NtkResultCache, ntkCacheKey, replaceNumbers } from '../../../src/core/ntk/cache';
import { canonicalCell } from '../../../src/core/ntk/canonical';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { loadInputs } from '../../../src/core/ntk/inputs/load';
import type { NtkJobOptions } from '../../../src/core/ntk/pool';
import { NtkResultIndex } from '../../../src/core/ntk/resultLookup';
import { ntkResultProblem } from '../../../src/core/ntk/resultShape';
import { computeNtkScoresSync, type NtkResult } from '../../../src/core/ntk/scores';
import { SweepWriter } from '../../../src/core/ntk/sweepFile';
import { sweepHeader } from '../../../src/core/ntk/sweepScope';
import { parseArchString, type Cell } from '../../../src/core/space';

const options: NtkJobOptions = {
  size: { channels: 2, cellsPerStage: 1 },
  kernel: 'fixed-bn',
  variants: ['clean', 'robust'],
  attack: defaultAttack('fgsm', 8),
  tradeOff: 0.5,
  seed: 2,
  baselines: true,
  inputs: { kind: 'synthetic', dataset: 'cifar10', count: 3, seed: 2 },
};
const cellOf = (s: string): Cell => {
  const p = parseArchString(s);
  if (!p.ok) throw new Error(s);
  return p.cell;
};
const A = cellOf('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|');
const { inputs, ...rest } = options;
const good = computeNtkScoresSync(canonicalCell(A), {
  options: rest,
  inputs: loadInputs(inputs),
  backend: jsBackend(),
});

type Plant = (r: NtkResult) => unknown;
const withClean = (r: NtkResult, patch: Record<string, unknown>) => ({
  ...r,
  variants: { ...r.variants, clean: { ...r.variants.clean, ...patch } },
});
const BAD: readonly [string, Plant, RegExp][] = [
  ['NaN', (r) => withClean(r, { frobenius: NaN }), /variant clean has frobenius NaN, not a finite number/],
  ['negative', (r) => withClean(r, { frobenius: -1 }), /variant clean has a negative Frobenius norm/],
  ['string', (r) => withClean(r, { trace: '5' }), /variant clean has trace "5", not a finite number/],
  ['condition below 1', (r) => withClean(r, { conditionNumber: 0.5 }), /condition number 0.5, not >= 1/],
  ['empty', () => ({}), /has arch missing/],
  [
    'no scores',
    (r) => ({ ...r, variants: {}, knas: undefined, naswot: undefined }),
    /has no scores \(no NTK variant, baseline or zero-cost proxy\)/,
  ],
  ['string proxy', (r) => ({ ...r, proxies: { 'zc:snip': '5' } }), /has zc:snip "5", not a finite number/],
  ['proxies a list', (r) => ({ ...r, proxies: [1] }), /has proxies a list, not an object/],
  ['NaN KNAS', (r) => ({ ...r, knas: NaN }), /has KNAS NaN/],
  ['an array', () => [], /is a list, not a result/],
];

test('ntkResultProblem names what is wrong; a real result, Infinity condition numbers and -Infinity NASWOT pass', () => {
  assert.equal(ntkResultProblem(good), undefined);
  assert.equal(ntkResultProblem(good, { cell: A, options }), undefined);
  assert.equal(ntkResultProblem({ ...withClean(good, { conditionNumber: Infinity }), naswot: -Infinity }), undefined);
  for (const [what, plant, message] of BAD) assert.match(ntkResultProblem(plant(good)) ?? 'accepted', message, what);
  const other = cellOf('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|');
  assert.match(ntkResultProblem(good, { cell: other, options }) ?? 'accepted', /is for .*, another architecture/);
  assert.match(
    ntkResultProblem(good, { cell: A, options: { ...options, seed: 3 } }) ?? 'accepted',
    /has seed 2, not 3/,
  );
  assert.match(
    ntkResultProblem(good, { cell: A, options: { ...options, variants: ['twice'] } }) ?? 'accepted',
    /lacks the twice variant/,
  );
});

test('the cache and the result index treat bad entries and sweep rows as missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-shape-'));
  try {
    const cache = new NtkResultCache(join(dir, 'cache'));
    const key = ntkCacheKey(A, options);
    const index = new NtkResultIndex(join(dir, 'cache'), [join(dir, 'sweep.jsonl')]);
    for (const [what, plant, message] of BAD) {
      cache.put(key, good);
      writeFileSync(cache.fileOf(key), JSON.stringify({ key, result: plant(good) }, replaceNumbers));
      assert.equal(cache.get(key, { cell: A, options }), undefined, what);
      const found = cache.lookup(key, { cell: A, options });
      assert.ok(found && 'problem' in found && message.test(found.problem), `${what}: ${JSON.stringify(found)}`);
      assert.equal(index.find(A, 7, options), undefined, what);
    }
    // A sweep row of the same shape problems is skipped too; a good one is found.
    const { writer } = SweepWriter.open(join(dir, 'sweep.jsonl'), sweepHeader(options, { kind: 'all' }));
    writer.append({ type: 'result', index: 7, result: withClean(good, { frobenius: -1 }) as NtkResult });
    writer.append({ type: 'result', index: 8, result: good });
    writer.close();
    assert.equal(index.find(A, 7, options), undefined);
    assert.deepEqual(index.find(A, 8, options)?.result.variants, good.variants);
    assert.deepEqual([...index.sweepRows(options).keys()], [8]);
    // An entry that is not a regular file is reported, not read.
    rmSync(cache.fileOf(key));
    mkdirSync(cache.fileOf(key));
    const found = cache.lookup(key);
    assert.ok(
      found && 'problem' in found && /is a directory, not a regular file/.test(found.problem),
      JSON.stringify(found),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a proxy sweep row of zero-cost proxies alone (no kernel computed) is a result, and the hover index finds it', () => {
  // What `robust-nas proxy-sweep --proxies zc:snip,zc:snip@fgsm8` writes: `variants` empty, the values in `proxies`.
  const proxyOptions: NtkJobOptions = {
    ...options,
    variants: [],
    baselines: false,
    proxies: ['zc:snip', 'zc:snip@fgsm8'],
  };
  const { inputs: proxyInputs, ...proxyRest } = proxyOptions;
  const row = computeNtkScoresSync(canonicalCell(A), {
    options: proxyRest,
    inputs: loadInputs(proxyInputs),
    backend: jsBackend(),
  });
  assert.deepEqual(row.variants, {});
  assert.deepEqual(Object.keys(row.proxies ?? {}), ['zc:snip', 'zc:snip@fgsm8']);
  assert.equal(ntkResultProblem(row), undefined);
  assert.equal(ntkResultProblem({ ...row, variants: {}, knas: 2 }), undefined, 'a baseline alone');
  const dir = mkdtempSync(join(tmpdir(), 'ntk-shape-proxies-'));
  try {
    const file = join(dir, 'proxies.jsonl');
    const { writer } = SweepWriter.open(file, sweepHeader(proxyOptions, { kind: 'sample', k: 2 }));
    writer.append({ type: 'result', index: 7, result: row });
    writer.append({ type: 'result', index: 8, result: { ...row, proxies: {} } });
    writer.close();
    const index = new NtkResultIndex(join(dir, 'cache'));
    index.configure(join(dir, 'cache'), [], [file]);
    assert.deepEqual(
      index.sweepsWithClass(7).map((s) => [s.file, s.row.result.proxies]),
      [[file, row.proxies]],
    );
    assert.deepEqual(index.sweepsWithClass(8), [], 'a row with no score at all is skipped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
