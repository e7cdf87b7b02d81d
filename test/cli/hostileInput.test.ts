// The CLI fed broken and hostile input, as a user or an attacker would: every case ends quickly with a clear
// message and the exit code README promises (2 bad usage or input, 3 data missing or invalid, 1 anything else),
// never "unexpected error" with a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
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
    encoding: 'utf8', timeout, env: { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(work, 'cache'), ...env },
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
