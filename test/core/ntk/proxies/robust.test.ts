// Robust proxy variants (src/core/ntk/proxies/robust.ts): ids, refusals, and that a variant is its proxy on the
// attacked pixels of the network at initialisation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATASET_SHAPE, parseArchString } from '../../../../src/core/space';
import { attackPixels, defaultAttack } from '../../../../src/core/ntk/attack';
import { jsBackend } from '../../../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../../../src/core/ntk/inputs/synthetic';
import { buildNetwork } from '../../../../src/core/ntk/network';
import { PROXY_ATTACK_NAMES, proxyAttackConfig } from '../../../../src/core/ntk/proxies/attacks';
import { computeProxiesSync } from '../../../../src/core/ntk/proxies/compute';
import { createProxyContext } from '../../../../src/core/ntk/proxies/definition';
import {
  parseProxyIds,
  proxyDefinition,
  PROXIES,
  ROBUST_PROXY_IDS,
  UnknownProxyError,
} from '../../../../src/core/ntk/proxies/registry';

test("every proxy that reads images has four robust variants, <id>@fgsm3|pgd3|fgsm8|pgd8, the NTK scorer's attacks", () => {
  assert.deepEqual(PROXY_ATTACK_NAMES, ['fgsm3', 'pgd3', 'fgsm8', 'pgd8']);
  const readers = PROXIES.filter((p) => p.needsData).map((p) => p.id);
  assert.deepEqual(readers, [
    'zc:grad_norm',
    'zc:snip',
    'zc:fisher',
    'zc:plain',
    'zc:jacob_cov',
    'zc:epe_nas',
    'zc:grasp',
  ]);
  assert.deepEqual(
    ROBUST_PROXY_IDS,
    readers.flatMap((id) => PROXY_ATTACK_NAMES.map((a) => `${id}@${a}`)),
  );
  assert.deepEqual(proxyAttackConfig('pgd8'), defaultAttack('pgd', 8));
  assert.deepEqual(proxyAttackConfig('fgsm3'), defaultAttack('fgsm', 3));
  const v = proxyDefinition('snip@pgd8');
  assert.equal(v.id, 'zc:snip@pgd8');
  assert.equal(v.name, 'SNIP @ PGD 8/255');
  assert.equal(v.needsLabels, true);
  assert.deepEqual(
    parseProxyIds('zc:snip@fgsm3, all@pgd3').map((p) => p.id),
    ['zc:snip@fgsm3', ...readers.map((id) => `${id}@pgd3`)],
  );
});

test('a robust variant of a proxy that reads no images, or an unknown attack, is refused with the reason', () => {
  for (const id of ['zc:synflow@pgd8', 'zc:l2_norm@fgsm3', 'zc:zen@pgd3']) {
    assert.throws(() => proxyDefinition(id), /has no robust variant: it reads no input images .*; use zc:/);
  }
  assert.throws(
    () => proxyDefinition('zc:snip@pgd5'),
    /unknown attack "pgd5" in proxy "zc:snip@pgd5"; robust variants are <id>@fgsm3\|pgd3\|fgsm8\|pgd8/,
  );
  assert.throws(() => parseProxyIds('all@cw8'), /unknown attack "cw8"/);
  assert.throws(
    () => proxyDefinition('zc:snap@pgd8'),
    (e: unknown) => e instanceof UnknownProxyError && /robust variants <id>@fgsm3/.test(e.message),
  );
});

test("zc:<id>@<attack> is the proxy on X' = attack(X) computed on the network at initialisation, attacked once per attack", () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|',
  );
  assert.ok(parsed.ok);
  const be = jsBackend();
  const inputs = syntheticInputs('cifar10', 4, 6);
  const { classes, inputSize } = DATASET_SHAPE.cifar10;
  const size = { channels: 4, cellsPerStage: 1 };
  const result = computeProxiesSync(parsed.cell, {
    options: { size, seed: 6, proxies: ['zc:snip', 'zc:snip@pgd8', 'zc:jacob_cov@fgsm3', 'zc:grasp@pgd8'] },
    inputs,
    backend: be,
  });
  const net = buildNetwork(parsed.cell, { ...size, classes, inputSize }, 6, be);
  const adv = attackPixels(net, inputs, inputs.pixels, defaultAttack('pgd', 8), 6, be);
  const attacked = createProxyContext(net, { ...inputs, pixels: adv }, be, 6);
  assert.equal(result.values['zc:snip@pgd8'], proxyDefinition('zc:snip').compute(attacked));
  assert.equal(result.values['zc:grasp@pgd8'], proxyDefinition('zc:grasp').compute(attacked));
  assert.notEqual(result.values['zc:snip@pgd8'], result.values['zc:snip']);
  const context = createProxyContext(net, inputs, be, 6);
  assert.equal(context.adversarial('fgsm3'), context.adversarial('fgsm3'));
  assert.throws(() => context.adversarial('fgsm3').adversarial('pgd8'), /already attacked/);
});

test('for a cell whose output ignores its input, FGSM moves nothing, so each FGSM variant equals its clean proxy', () => {
  const parsed = parseArchString('|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|');
  assert.ok(parsed.ok);
  const r = computeProxiesSync(parsed.cell, {
    options: {
      size: { channels: 4, cellsPerStage: 1 },
      seed: 1,
      proxies: ['zc:grad_norm', 'zc:grad_norm@fgsm8', 'zc:grasp', 'zc:grasp@fgsm3'],
    },
    inputs: syntheticInputs('cifar10', 4, 1),
    backend: jsBackend(),
  });
  assert.equal(r.values['zc:grad_norm@fgsm8'], r.values['zc:grad_norm']);
  assert.equal(r.values['zc:grasp@fgsm3'], r.values['zc:grasp']);
});
