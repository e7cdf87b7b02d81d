import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ntkCacheKey } from '../../../src/core/ntk/cache';
import { DEFAULT_NTK_CONFIG, describeNtkJob, ntkJobOptions } from '../../../src/core/ntk/jobOptions';
import { parseArchString } from '../../../src/core/space';
import { ntkOptionsFrom } from '../../../src/cli/ntk/options';

const parsed = parseArchString(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
);
if (!parsed.ok) throw new Error('arch');

test('the CLI and the settings build identical job options, so they share cache entries and sweep files', () => {
  const cases: [Record<string, string | boolean>, Partial<typeof DEFAULT_NTK_CONFIG>][] = [
    [{}, {}],
    [
      { size: 'full', kernel: 'exact', variants: 'clean,twice', n: '8', seed: '3' },
      { size: 'full', kernel: 'exact', variants: ['clean', 'twice'], n: 8, seed: 3 },
    ],
    [
      { attack: 'fgsm', eps: '3' },
      { attack: 'fgsm', eps: 3 },
    ],
    [
      { channels: '4', cells: '1', inputs: 'synthetic:cifar100' },
      { channels: 4, cellsPerStage: 1, inputs: 'synthetic:cifar100' },
    ],
  ];
  for (const [flags, config] of cases) {
    const cli = ntkOptionsFrom(flags);
    const settings = ntkJobOptions({ ...DEFAULT_NTK_CONFIG, ...config });
    assert.equal(JSON.stringify(settings), JSON.stringify(cli), JSON.stringify(flags));
    assert.equal(ntkCacheKey(parsed.cell, settings), ntkCacheKey(parsed.cell, cli));
  }
});

test('defaults: proxy network, fixed-BN, clean and robust kernels, PGD 10 steps of 2/255 at eps 8/255, 32 synthetic inputs', () => {
  const o = ntkJobOptions(DEFAULT_NTK_CONFIG);
  assert.equal(o.size, 'proxy');
  assert.deepEqual(o.attack, { kind: 'pgd', eps: 8 / 255, stepSize: 2 / 255, steps: 10, randomStart: true });
  assert.deepEqual(o.inputs, { kind: 'synthetic', dataset: 'cifar10', count: 32, seed: 0 });
  assert.equal(
    describeNtkJob(o),
    'fixed-bn kernel · proxy C=8 N=1 · 32 synthetic inputs (cifar10) · PGD 8/255 · seed 0',
  );
  assert.deepEqual(ntkJobOptions({ ...DEFAULT_NTK_CONFIG, dataset: 'imagenet16-120' }).inputs, {
    kind: 'synthetic',
    dataset: 'imagenet16-120',
    count: 32,
    seed: 0,
  });
  assert.throws(
    () => ntkJobOptions({ ...DEFAULT_NTK_CONFIG, inputs: 'mnist:/x' }),
    /must be "synthetic" or <dataset>:<folder>/,
  );
});
