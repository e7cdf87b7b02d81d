// `robust-nas proxies` as users run it (the bundled dist/cli.js with its worker), at a tiny network size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sharedDataDir } from '../core/benchmark/sharedData';
import { PROXY_IDS } from '../../src/core/ntk/proxies/registry';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const TINY = ['--channels', '2', '--cells', '1', '--n', '3'];
const MIXED = '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test('proxies --json: every proxy by default, with size, seed and "synthetic" inputs stated; isomorphic cells get the same numbers', () => {
  const r = run('proxies', MIXED, ...TINY, '--seed', '4', '--json');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(result.values), PROXY_IDS);
  for (const id of PROXY_IDS) assert.ok(Number.isFinite(result.values[id]), `${id}: ${result.values[id]}`);
  assert.deepEqual(result.inputs, { source: 'synthetic', synthetic: true, count: 3 });
  assert.deepEqual(result.size, { channels: 2, cellsPerStage: 1 });
  assert.equal(result.seed, 4);
  // Edges 0->1 and 0->2 swapped with their successors: the same isomorphism class, scored on its canonical member.
  const a = JSON.parse(
    run(
      'proxies',
      '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|',
      ...TINY,
      '--proxies',
      'zc:snip',
      '--json',
    ).stdout,
  );
  const b = JSON.parse(
    run(
      'proxies',
      '|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|',
      ...TINY,
      '--proxies',
      'zc:snip',
      '--json',
    ).stdout,
  );
  assert.equal(a.values['zc:snip'], b.values['zc:snip']);
});

test('proxies prints a table naming what each proxy reads, and says the inputs are synthetic', () => {
  const r = run('proxies', MIXED, ...TINY, '--proxies', 'synflow,zc:grad_norm');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /synthetic inputs \(seeded random images and labels, not data\)/);
  assert.match(r.stdout, /zc:synflow +SynFlow +\S+ +weights only/);
  assert.match(r.stdout, /zc:grad_norm +grad_norm +\S+ +batch \+ labels/);
  assert.doesNotMatch(r.stdout, /zc:snip/);
});

test('proxies refuses an unknown proxy id with the list of valid ids', () => {
  const r = run('proxies', MIXED, ...TINY, '--proxies', 'zc:snip,zc:synflw');
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /unknown proxy "zc:synflw"; valid ids: zc:grad_norm, zc:snip, zc:fisher, zc:plain, zc:l2_norm, zc:synflow/,
  );
  assert.match(
    run('proxies', MIXED, '--size', 'huge').stderr,
    /--size must be full or proxy|--size must be proxy or full/,
  );
});
