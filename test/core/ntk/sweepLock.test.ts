// Two sweeps on one output file: before the lock, both computed every class and wrote duplicate rows, and two
// creating the file at once lost one's rows (its appends went to the file the other's rename replaced). Now the
// second is refused, naming the first; a lock left by a dead process is taken over. Tested with real processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readSweepFile, sweepLockPath, SweepWriter, type SweepHeader } from '../../../src/core/ntk/sweepFile';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

const root = join(import.meta.dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ntk-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

const TINY = [
  '--channels',
  '2',
  '--cells',
  '1',
  '--n',
  '3',
  '--attack',
  'fgsm',
  '--variants',
  'clean',
  '--workers',
  '1',
];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sweep(out: string, sample: number): { done: Promise<Outcome>; pid: number } {
  const child = spawn(
    process.execPath,
    [cli, '--data', SHARED_DATA_DIR, 'ntk-sweep', '--out', out, '--sample', String(sample), ...TINY, '--json'],
    {
      env: { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(dir, 'cache') },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return {
    pid: child.pid!,
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

/** Every row line of the file, as indices (duplicates kept). */
function rowIndices(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { index: number }).index);
}

async function until(condition: () => boolean, what: string, seconds = 60): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a second sweep on a file another sweep is writing is refused, naming the first; no duplicate rows', async () => {
  const out = join(dir, 'running.jsonl');
  const first = sweep(out, 150);
  // The lock is taken before the file is created: wait for both.
  await until(
    () => existsSync(sweepLockPath(out)) && existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 2,
    'the first sweep to write rows',
  );
  const second = await sweep(out, 150).done;
  assert.equal(second.code, 1, second.stderr);
  assert.match(
    second.stderr,
    new RegExp(
      `another sweep \\(pid ${first.pid}\\) is writing ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; wait for it or choose another --out`,
    ),
  );
  assert.doesNotMatch(second.stderr, /unexpected error|\n\s+at /);
  const done = await first.done;
  assert.equal(done.code, 0, done.stderr);
  const indices = rowIndices(out);
  assert.equal(indices.length, 150);
  assert.equal(new Set(indices).size, 150);
  assert.equal(existsSync(sweepLockPath(out)), false, 'the lock is released at the end');
});

test('two sweeps creating the same file at once: one writes, the other is refused or finds nothing left; no row lost or doubled', async () => {
  const out = join(dir, 'created.jsonl');
  const results = await Promise.all([sweep(out, 30).done, sweep(out, 30).done]);
  const ok = results.filter((r) => r.code === 0);
  assert.ok(ok.length >= 1, results.map((r) => r.stderr).join('\n'));
  for (const r of results.filter((x) => x.code !== 0)) assert.match(r.stderr, /another sweep \(pid \d+\) is writing/);
  const computed = ok.reduce((sum, r) => sum + (JSON.parse(r.stdout) as { computed: number }).computed, 0);
  const indices = rowIndices(out);
  assert.equal(computed, 30, 'each class computed once in all');
  assert.equal(indices.length, 30);
  assert.equal(new Set(indices).size, 30);
});

const header: SweepHeader = { type: 'ntk-sweep', version: 1, config: { kernel: 'fixed-bn', n: 3 } };

test('a lock left by a process that is gone is taken over; one held by a live process or another host is refused', async () => {
  const file = join(dir, 'locks.jsonl');
  const lock = sweepLockPath(file);
  // A pid that existed and has exited.
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), started: '2026-01-01T00:00:00Z' }));
  const { writer } = SweepWriter.open(file, header);
  assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, process.pid);
  writer.close();
  assert.equal(existsSync(lock), false);

  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, host: hostname(), started: '2026-01-01T00:00:00Z' }));
    assert.throws(
      () => SweepWriter.open(file, header),
      new RegExp(`another sweep \\(pid ${sleeper.pid}\\) is writing`),
    );
    assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, sleeper.pid, 'a live lock is left alone');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere.example', started: '2026-01-01T00:00:00Z' }));
    assert.throws(
      () => SweepWriter.open(file, header),
      /another sweep \(pid 1 on elsewhere\.example, since 2026-01-01T00:00:00Z\) is writing .*delete .*\.lock/,
    );
  } finally {
    sleeper.kill();
    rmSync(lock, { force: true });
  }
  assert.equal(readSweepFile(file).rows.size, 0);
});

test('--out in a missing or read-only folder says so, without a stack trace', () => {
  const run = (out: string) =>
    spawnSync(process.execPath, [cli, '--data', SHARED_DATA_DIR, 'ntk-sweep', '--out', out, '--sample', '2', ...TINY], {
      encoding: 'utf8',
      env: { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(dir, 'cache') },
    });
  const missing = run(join(dir, 'no-such-folder', 'out.jsonl'));
  assert.equal(missing.status, 1);
  assert.match(
    missing.stderr,
    /cannot write .*out\.jsonl: the folder .*no-such-folder does not exist; create it or choose another --out file/,
  );
  assert.doesNotMatch(missing.stderr, /unexpected error|\n\s+at /);
  // Root writes into any mode-555 folder; sysfs refuses even root.
  const readOnly = process.getuid?.() === 0 ? '/sys' : join(dir, 'read-only');
  if (readOnly !== '/sys') spawnSync('mkdir', ['-m', '555', readOnly]);
  const denied = run(join(readOnly, 'out.jsonl'));
  assert.equal(denied.status, 1);
  assert.match(denied.stderr, /cannot write .*out\.jsonl: permission denied/);
});
