import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../../src/core/space';
import { jsBackend } from '../../../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../../../src/core/ntk/inputs/synthetic';
import { computeProxiesSync } from '../../../../src/core/ntk/proxies/compute';

const ALL_CONV = parseArchString(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
);

test('SynFlow of a deep all-conv network passes float32 range (3.4e38) and stays finite: computed in float64', () => {
  assert.ok(ALL_CONV.ok);
  // 6 cells per stage at C=4 on 16x16 images: already about 1e41, as NAS-Bench-201's full size (C=16, N=5) on CIFAR is 7e49.
  const r = computeProxiesSync(ALL_CONV.cell, {
    options: { size: { channels: 4, cellsPerStage: 6 }, seed: 0, proxies: ['zc:synflow'] },
    inputs: syntheticInputs('imagenet16-120', 1, 0),
    backend: jsBackend(),
  });
  const value = r.values['zc:synflow'];
  assert.ok(Number.isFinite(value) && value > 3.4e38, `SynFlow ${value}`);
});

test('SynFlow reads no data: the same for any inputs; zero for a cell whose output ignores its input', () => {
  const mixed = parseArchString(
    '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|',
  );
  assert.ok(mixed.ok);
  const run = (seed: number, inputSeed: number) =>
    computeProxiesSync(mixed.cell, {
      options: { size: { channels: 2, cellsPerStage: 1 }, seed, proxies: ['zc:synflow'] },
      inputs: syntheticInputs('cifar10', 2, inputSeed),
      backend: jsBackend(),
    }).values['zc:synflow'];
  assert.equal(run(1, 1), run(1, 2));
  assert.notEqual(run(1, 1), run(2, 1));
  const dead = parseArchString('|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|');
  assert.ok(dead.ok);
  // Every path from the input passes a `none` edge: no gradient reaches any weight (PyTorch's fixture says 0 too).
  assert.equal(
    computeProxiesSync(dead.cell, {
      options: { size: { channels: 2, cellsPerStage: 1 }, seed: 1, proxies: ['zc:synflow'] },
      inputs: syntheticInputs('cifar10', 2, 1),
      backend: jsBackend(),
    }).values['zc:synflow'],
    0,
  );
});
