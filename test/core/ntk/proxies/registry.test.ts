import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../../src/core/space';
import { jsBackend } from '../../../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../../../src/core/ntk/inputs/synthetic';
import { computeProxiesSync } from '../../../../src/core/ntk/proxies/compute';
import {
  parseProxyIds,
  proxyDefinition,
  PROXIES,
  PROXY_IDS,
  UnknownProxyError,
} from '../../../../src/core/ntk/proxies/registry';

test('the registry lists each proxy once, with an id zc:<NASLib name>, its paper and its NASLib reference', () => {
  assert.deepEqual(PROXY_IDS, [
    'zc:grad_norm',
    'zc:snip',
    'zc:fisher',
    'zc:plain',
    'zc:l2_norm',
    'zc:synflow',
    'zc:jacob_cov',
    'zc:epe_nas',
    'zc:zen',
    'zc:grasp',
  ]);
  assert.equal(new Set(PROXY_IDS).size, PROXY_IDS.length);
  for (const p of PROXIES) {
    assert.match(p.id, /^zc:[a-z0-9_]+$/);
    assert.match(p.reference, /naslib\/predictors\/utils\/pruners\/measures\/[a-z0-9_]+\.py$/);
    assert.ok(p.paper.length > 10 && p.summary.length > 10, p.id);
    // Anything that reads labels reads data.
    assert.ok(!p.needsLabels || p.needsData, p.id);
  }
  assert.equal(proxyDefinition('zc:l2_norm').needsData, false);
  assert.equal(proxyDefinition('zc:synflow').needsData, false);
  assert.equal(proxyDefinition('zc:snip').needsLabels, true);
});

test('ids parse from a comma list or an array, with or without zc:, in order, without repeats; all names every proxy', () => {
  assert.deepEqual(
    parseProxyIds('zc:snip, synflow,zc:snip').map((p) => p.id),
    ['zc:snip', 'zc:synflow'],
  );
  assert.deepEqual(
    parseProxyIds(['grad_norm']).map((p) => p.id),
    ['zc:grad_norm'],
  );
  assert.deepEqual(
    parseProxyIds('all').map((p) => p.id),
    PROXY_IDS,
  );
});

test('an unknown id is refused with the list of valid ids; an empty list too', () => {
  assert.throws(
    () => parseProxyIds('zc:snip,zc:snap'),
    (e: unknown) => {
      assert.ok(e instanceof UnknownProxyError);
      assert.equal(e.id, 'zc:snap');
      for (const id of PROXY_IDS) assert.ok(e.message.includes(id), e.message);
      return true;
    },
  );
  assert.throws(() => parseProxyIds(' , '), /no proxy named; valid ids: zc:grad_norm/);
  const skips = parseArchString(
    '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|',
  );
  assert.ok(skips.ok);
  assert.throws(
    () =>
      computeProxiesSync(skips.cell, {
        options: { size: 'proxy', seed: 0, proxies: ['zc:nope'] },
        inputs: syntheticInputs('cifar10', 2, 0),
        backend: jsBackend(),
      }),
    UnknownProxyError,
  );
});

test('results name the inputs synthetic, the size and the seed; values come in the order asked', () => {
  const parsed = parseArchString('|nor_conv_1x1~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|');
  assert.ok(parsed.ok);
  const r = computeProxiesSync(parsed.cell, {
    options: { size: { channels: 4, cellsPerStage: 1 }, seed: 3, proxies: ['zc:synflow', 'zc:snip'] },
    inputs: syntheticInputs('cifar100', 4, 3),
    backend: jsBackend(),
  });
  assert.deepEqual(Object.keys(r.values), ['zc:synflow', 'zc:snip']);
  assert.deepEqual(r.inputs, { source: 'synthetic', synthetic: true, count: 4 });
  assert.equal(r.dataset, 'cifar100');
  assert.equal(r.seed, 3);
  assert.ok(r.values['zc:synflow']! > 0 && r.values['zc:snip']! > 0);
});
