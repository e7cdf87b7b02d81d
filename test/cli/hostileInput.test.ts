// The CLI fed broken and hostile input, as a user or an attacker would: every case ends quickly with a clear
// message and the exit code README promises (2 bad usage or input, 3 data missing or invalid, 1 anything else),
// never "unexpected error" with a stack trace.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sharedDataDir } from '../core/benchmark/sharedData';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'cli-hostile-'));
const TINY = ['--channels', '2', '--cells', '1', '--n', '3'];

function run(args: readonly string[], env: Record<string, string> = {}, timeout = 60_000) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(work, 'cache'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}
const withData = (...args: string[]) => run(['--data', sharedDataDir(), ...args]);

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test('ntk 2050 --variants clean,robust: a cell whose output ignores the input scores, robust equal to clean', () => {
  const r = withData('ntk', '2050', ...TINY, '--variants', 'clean,robust', '--json', '--no-cache');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.variants.robust, result.variants.clean);
});

function assertNoStackTrace(r: { stderr: string }): void {
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, r.stderr);
}

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

test('damaged or planted NTK cache entries are never shown: recomputed with a warning and replaced', () => {
  const cache = join(work, 'planted-cache');
  const env = { ROBUST_NAS_NTK_CACHE: cache };
  const first = run(['ntk', ARCH, ...TINY, '--json'], env);
  assert.equal(first.code, 0, first.stderr);
  const good = JSON.parse(first.stdout);
  const [entryName] = readdirSync(cache);
  const entryFile = join(cache, entryName);
  const entry = JSON.parse(readFileSync(entryFile, 'utf8'));
  const plants: [string, (r: Record<string, unknown>) => unknown][] = [
    [
      'a NaN score',
      (r) => ({
        ...r,
        variants: {
          ...(r.variants as object),
          clean: { ...(r.variants as Record<string, object>).clean, frobenius: 'NaN' },
        },
      }),
    ],
    [
      'a negative norm',
      (r) => ({
        ...r,
        variants: {
          ...(r.variants as object),
          robust: { ...(r.variants as Record<string, object>).robust, frobenius: -3 },
        },
      }),
    ],
    [
      'a string score',
      (r) => ({
        ...r,
        variants: {
          ...(r.variants as object),
          clean: { ...(r.variants as Record<string, object>).clean, trace: '12' },
        },
      }),
    ],
    ['another architecture', (r) => ({ ...r, arch: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' })],
    ['an empty result', () => ({})],
  ];
  for (const [what, plant] of plants) {
    for (const json of [true, false]) {
      writeFileSync(entryFile, JSON.stringify({ key: entry.key, result: plant(entry.result) }));
      const r = run(['ntk', ARCH, ...TINY, ...(json ? ['--json'] : [])], env);
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assertNoStackTrace(r);
      assert.match(
        r.stderr,
        new RegExp(
          `warning: the cached result ${entryFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds a result that .*; recomputing it and replacing the entry`,
        ),
        what,
      );
      if (json) assert.deepEqual(JSON.parse(r.stdout).variants, good.variants, what);
      else assert.match(r.stdout, new RegExp(`clean +${good.variants.clean.frobenius.toPrecision(6)}`), what);
      // Replaced: the next run is served from the cache again, silently.
      const again = run(['ntk', ARCH, ...TINY, '--json'], env);
      assert.equal(JSON.parse(again.stdout).cached, true, what);
      assert.equal(again.stderr, '', what);
    }
  }
});

test('a cache that cannot be written (ROBUST_NAS_NTK_CACHE=/proc/x hung mkdir; /sys refuses) keeps the result: printed, with a warning', () => {
  for (const dir of ['/proc/x', '/sys/robust-nas-cache']) {
    const r = run(['ntk', ARCH, ...TINY, '--json'], { ROBUST_NAS_NTK_CACHE: dir }, 20_000);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.seconds < 15, `${dir}: ${r.seconds.toFixed(1)} s`);
    assert.match(
      r.stderr,
      new RegExp(
        `warning: the NTK cache could not store the result \\(${dir.replace(/\//g, '\\/')} cannot be created .*set ROBUST_NAS_NTK_CACHE to a writable folder`,
      ),
    );
    assert.ok(JSON.parse(r.stdout).variants.robust.frobenius > 0);
  }
});

test('ntk-merge --out into a missing folder says so (it printed "unexpected error" and a stack trace)', () => {
  const shard = join(work, 'shard.jsonl');
  const made = withData('ntk-sweep', '--out', shard, '--sample', '2', ...TINY, '--variants', 'clean');
  assert.equal(made.code, 0, made.stderr);
  const r = withData('ntk-merge', '--out', join(work, 'missing', 'merged.jsonl'), shard);
  assert.equal(r.code, 2);
  assertNoStackTrace(r);
  assert.match(r.stderr, /cannot write .*merged\.jsonl: the folder .*missing does not exist/);
});

test('dataset inputs that are a FIFO or not a pickle: exit 2 at once, the file named', () => {
  const fifoDir = join(work, 'fifo-inputs');
  mkdirSync(fifoDir);
  execFileSync('mkfifo', [join(fifoDir, 'data_batch_1')]);
  const r = run(['ntk', ARCH, ...TINY, '--inputs', `cifar10:${fifoDir}`, '--no-cache'], {}, 20_000);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.seconds < 15, `${r.seconds.toFixed(1)} s`);
  assert.match(r.stderr, new RegExp(`${join(fifoDir, 'data_batch_1')} is a FIFO \\(named pipe\\), not a regular file`));
  assertNoStackTrace(r);
  const textDir = join(work, 'text-inputs');
  mkdirSync(textDir);
  writeFileSync(join(textDir, 'data_batch_1'), 'not a pickle');
  const sweep = withData(
    'ntk-sweep',
    '--out',
    join(work, 'text.jsonl'),
    '--sample',
    '2',
    ...TINY,
    '--inputs',
    `cifar10:${textDir}`,
  );
  assert.equal(sweep.code, 2, sweep.stderr);
  assert.match(sweep.stderr, /data_batch_1: not a Python pickle/);
});
