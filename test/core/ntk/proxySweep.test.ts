import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAttack } from '../../../src/core/ntk/attack';
import type { NtkJobOptions } from '../../../src/core/ntk/pool';
import {
  parseProxySelection,
  proxySweepOptions,
  UnknownProxyIdError,
  validProxyIds,
} from '../../../src/core/ntk/proxySweep';

const base: NtkJobOptions = {
  size: 'proxy',
  kernel: 'fixed-bn',
  variants: ['clean', 'robust'],
  attack: defaultAttack('pgd', 8),
  tradeOff: 0.5,
  seed: 0,
  baselines: false,
  inputs: { kind: 'synthetic', dataset: 'cifar10', count: 32, seed: 0 },
};
const zc = ['zc:snip', 'zc:snip@pgd8', 'zc:synflow'];

test('a list selects NTK variants (summaries name their kernel), the baselines and zero-cost ids, in order, once each', () => {
  const s = parseProxySelection(
    'ntk:robust.condition, zc:synflow, ntk:clean, ntk:robust, ntk:naswot, snip, params',
    zc,
  );
  assert.deepEqual(s, { variants: ['robust', 'clean'], baselines: true, zeroCost: ['zc:synflow', 'zc:snip'] });
  assert.deepEqual(parseProxySelection('all', zc), { variants: ['clean', 'robust'], baselines: true, zeroCost: zc });
});

test('an unknown id names itself and lists the valid ids; a list of cost metrics alone computes nothing', () => {
  assert.throws(
    () => parseProxySelection('ntk:clean,zc:bogus', zc),
    (e: Error) => {
      assert.ok(e instanceof UnknownProxyIdError);
      assert.match(
        e.message,
        /unknown proxy 'zc:bogus'; valid ids: ntk:clean, .*ntk:naswot, zc:snip, zc:snip@pgd8, zc:synflow, params, flops/,
      );
      return true;
    },
  );
  assert.throws(() => parseProxySelection('ntk:clean.median', zc), /unknown proxy 'ntk:clean.median'/);
  assert.throws(
    () => parseProxySelection('params,flops', zc),
    /computes nothing \(params and flops come from the benchmark\)/,
  );
  assert.deepEqual(validProxyIds([]).slice(-2), ['params', 'flops']);
});

test('NTK-only selections have exactly the options of the equivalent ntk-sweep; zero-cost ids add `proxies`', () => {
  const ntkOnly = proxySweepOptions(base, parseProxySelection('ntk:clean,ntk:robust', zc));
  assert.deepEqual(ntkOnly, base);
  assert.equal(JSON.stringify(ntkOnly), JSON.stringify(base));
  const withZc = proxySweepOptions(base, parseProxySelection('ntk:naswot,zc:snip', zc));
  assert.deepEqual(withZc, { ...base, variants: [], baselines: true, proxies: ['zc:snip'] });
});
