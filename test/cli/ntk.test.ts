// `robust-nas ntk`, `ntk-sweep`, `ntk-merge` and `corr --ntk` as users run them (the bundled dist/cli.js with
// its worker), at a tiny network size so the whole file takes seconds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sharedDataDir } from '../core/benchmark/sharedData';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'ntk-cli-'));
const TINY = ['--channels', '2', '--cells', '1', '--n', '3', '--attack', 'fgsm'];

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(work, 'cache') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test('ntk --json: the requested variants with kernel, sizes and "synthetic" inputs stated; cached on the second run; isomorphic cells share it', () => {
  const arch = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
  const first = run('ntk', arch, ...TINY, '--variants', 'clean,robust,twice', '--json');
  assert.equal(first.code, 0, first.stderr);
  const r = JSON.parse(first.stdout);
  assert.deepEqual(Object.keys(r.variants), ['clean', 'robust', 'twice']);
  assert.equal(r.kernel, 'fixed-bn');
  assert.deepEqual(r.inputs, { source: 'synthetic', synthetic: true, count: 3 });
  // The fused multiply-add kernels: Node 20 takes them once their flag is set, Node 22 by default.
  assert.equal(r.backend, 'wasm-fma');
  // A single score uses every core (NtkPool's shared instance); results do not depend on the thread count.
  assert.equal(r.threads, availableParallelism());
  assert.equal(r.cached, false);
  const again = JSON.parse(run('ntk', arch, ...TINY, '--variants', 'twice,robust,clean', '--json').stdout);
  assert.equal(again.cached, true);
  assert.equal(again.variants.robust.frobenius, r.variants.robust.frobenius);
  // Two isomorphic cells (node 1's op feeds nothing) are one class: the second is served from the first's entry.
  const deadA = JSON.parse(
    run('ntk', '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|', ...TINY, '--json').stdout,
  );
  const deadB = JSON.parse(
    run('ntk', '|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|', ...TINY, '--json').stdout,
  );
  assert.equal(deadA.cached, false);
  assert.equal(deadB.cached, true);
  assert.equal(deadB.variants.clean.frobenius, deadA.variants.clean.frobenius);
  const text = run('ntk', arch, ...TINY, '--kernel', 'exact');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /kernel exact/);
  assert.match(text.stdout, /synthetic inputs/);
});

test('ntk rejects bad options with specific messages', () => {
  const bad = run('ntk', '333133', '--kernel', 'approx');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--kernel must be fixed-bn or exact/);
  assert.match(run('ntk', '333133', '--variants', 'clean,robus').stderr, /Unknown NTK variant 'robus'/);
  assert.match(run('ntk', '333133', '--inputs', 'cifar10').stderr, /needs the dataset folder/);
  const missing = run('ntk', '333133', ...TINY, '--inputs', `cifar10:${join(work, 'nope')}`);
  // A missing dataset folder is bad input: exit 2 (README).
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
});

test('ntk-sweep shards resume and merge; corr --ntk correlates NTK scores with accuracy', () => {
  const opts = [...TINY, '--sample', '4', '--variants', 'clean,robust', '--seed', '2'];
  const shard0 = join(work, 's0.jsonl');
  const shard1 = join(work, 's1.jsonl');
  const a = run('ntk-sweep', '--out', shard0, '--shard', '0/2', ...opts);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stderr, /2 classes in shard 0\/2, 0 already .* 2 to go/);
  assert.match(a.stderr, /ETA/);
  const resumed = run('ntk-sweep', '--out', shard0, '--shard', '0/2', ...opts);
  assert.match(resumed.stderr, /2 already in .* 0 to go/);
  assert.equal(run('ntk-sweep', '--out', shard1, '--shard', '1/2', ...opts).code, 0);
  const mismatch = run('ntk-sweep', '--out', shard0, '--shard', '0/2', ...opts, '--kernel', 'exact');
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /another sweep configuration: kernel: the file has "fixed-bn", this run "exact"/);
  const merged = join(work, 'merged.jsonl');
  const m = run('ntk-merge', '--out', merged, shard0, shard1, '--json');
  assert.equal(m.code, 0, m.stderr);
  assert.equal(JSON.parse(m.stdout).classes, 4);
  assert.equal(readFileSync(merged, 'utf8').trim().split('\n').length, 5);
  const corr = run('corr', '--dataset', 'cifar10', '--ntk', merged, '--ntk-vs-accuracy', '--json');
  assert.equal(corr.code, 0, corr.stderr);
  const c = JSON.parse(corr.stdout);
  assert.deepEqual(c.metrics, ['ntk:clean', 'ntk:robust']);
  assert.equal(c.columns.length, 6);
  assert.equal(c.n, 4);
  for (const row of c.matrix) for (const v of row) assert.ok(v >= -1 && v <= 1);
  assert.match(run('corr', '--dataset', 'cifar10', '--metrics', 'ntk:clean,pgd@8').stderr, /needs --ntk FILE/);
});
