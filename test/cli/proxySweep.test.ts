// `robust-nas proxy-sweep` and `robust-nas corr SWEEP_FILE` as users run them (dist/cli.js with its worker), at a
// tiny network size so the file takes seconds.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sharedDataDir } from '../core/benchmark/sharedData';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'proxy-sweep-cli-'));
const TINY = ['--channels', '2', '--cells', '1', '--n', '3', '--attack', 'fgsm'];
const env = { ...process.env, ROBUST_NAS_DATA: '', ROBUST_NAS_NTK_CACHE: join(work, 'cache') };

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rowsIn = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as { index: number; result: { variants: object; naswot?: number } });

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test('proxy-sweep computes the selected proxies per class, resumes, refuses another selection naming it, and lists valid ids', () => {
  const out = join(work, 'p.jsonl');
  const opts = [...TINY, '--sample', '12', '--proxies', 'ntk:clean,ntk:naswot'];
  const first = run('proxy-sweep', '--out', out, ...opts);
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stderr,
    /proxy-sweep: 12 classes, 0 already .* 12 to go \(3 proxies, fixed-bn NTK, synthetic inputs\)/,
  );
  assert.match(first.stderr, /ETA/);
  const rows = rowsIn(out);
  assert.equal(rows.length, 12);
  for (const r of rows) {
    assert.deepEqual(Object.keys(r.result.variants), ['clean']);
    assert.equal(typeof r.result.naswot, 'number');
  }
  assert.match(run('proxy-sweep', '--out', out, ...opts).stderr, /12 already in .* 0 to go/);
  const other = run('proxy-sweep', '--out', out, ...TINY, '--sample', '12', '--proxies', 'ntk:clean,ntk:robust');
  assert.equal(other.code, 1);
  assert.match(
    other.stderr,
    /another sweep configuration: variants: the file has \["clean"\], this run \["clean","robust"\]; baselines: the file has true, this run false/,
  );
  const unknown = run('proxy-sweep', '--out', join(work, 'x.jsonl'), ...TINY, '--proxies', 'ntk:clean,zc:nope');
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /unknown proxy 'zc:nope'; valid ids: ntk:clean, ntk:robust, .*ntk:naswot.*, params, flops/,
  );
  assert.equal(existsSync(join(work, 'x.jsonl')), false, 'nothing is written for a bad list');
  assert.match(run('proxy-sweep', '--out', out, ...TINY, '--variants', 'clean').stderr, /variants/);
});

test('a cancelled proxy-sweep keeps every finished row, and the same command resumes after them', async () => {
  const out = join(work, 'cancel.jsonl');
  const args = [
    cli,
    '--data',
    sharedDataDir(),
    'proxy-sweep',
    '--out',
    out,
    ...TINY,
    '--sample',
    '400',
    '--proxies',
    'ntk:clean',
  ];
  const child = spawn(process.execPath, args, { env });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/\b10\/400 done/.test(stderr)) resolve();
    });
    child.on('exit', () => resolve());
  });
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  const saved = rowsIn(out);
  assert.ok(saved.length >= 10 && saved.length < 400, `${saved.length} rows`);
  assert.match(stderr, new RegExp(`cancelled; ${saved.length} classes saved to`));
  const resumed = run(
    'proxy-sweep',
    '--out',
    out,
    ...TINY,
    '--sample',
    '400',
    '--proxies',
    'ntk:clean',
    '--limit-seconds',
    '1',
  );
  assert.match(resumed.stderr, new RegExp(`400 classes, ${saved.length} already in`));
});

test('corr SWEEP_FILE prints the leaderboard: every proxy with params and FLOPs against every metric, best first, with intervals', () => {
  const out = join(work, 'p.jsonl');
  const text = run('corr', out, '--bootstrap', '100', '--metrics', 'clean,pgd@8,std:clean');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Proxy leaderboard on CIFAR-10: 12 classes scored by/);
  assert.match(text.stdout, /95% percentile bootstrap intervals of Spearman's rho: 100 resamples/);
  assert.match(text.stdout, /PGD@8 \(adversarial training; n = 12\)/);
  assert.match(text.stdout, /Std clean \(standard training, Jung et al.; n = 12\)/);
  assert.match(text.stdout, /ntk:clean\.condition +- /);
  const json = run('corr', out, '--bootstrap', '50', '--json');
  assert.equal(json.code, 0, json.stderr);
  const board = JSON.parse(json.stdout);
  assert.equal(board.classes, 12);
  assert.deepEqual(
    board.metrics.map((m: { metric: string }) => m.metric),
    [
      'clean',
      'fgsm@3',
      'pgd@3',
      'fgsm@8',
      'pgd@8',
      'autoattack',
      'std:clean',
      'std:apgd-ce',
      'std:square',
      'std:fgsm',
      'std:pgd',
      'std:corruption',
    ],
  );
  const clean = board.metrics[0];
  const ids = clean.entries.map((e: { proxy: string }) => e.proxy);
  for (const id of [
    'ntk:clean',
    'ntk:clean.trace',
    'ntk:clean.min-eig',
    'ntk:clean.max-eig',
    'ntk:clean.condition',
    'ntk:knas',
    'ntk:naswot',
    'params',
    'flops',
    'ensemble:rank-sum',
  ]) {
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  }
  const scores = clean.entries.map((e: { score: number }) => e.score);
  assert.deepEqual(
    scores,
    [...scores].sort((a: number, b: number) => b - a),
  );
  assert.equal(clean.vote.members.length, 3);
  assert.match(run('corr', out, '--method', 'pearson').stderr, /does not take --method/);
  assert.match(
    run('corr', '--dataset', 'cifar10', '--bootstrap', '10').stderr,
    /--bootstrap apply to the proxy leaderboard: pass the sweep file/,
  );
  assert.match(run('corr', join(work, 'missing.jsonl')).stderr, /does not exist/);
  assert.match(run('corr', out, '--metrics', 'ntk:clean').stderr, /'ntk:clean' in --metrics is not an accuracy metric/);
  assert.match(run('corr', out, '--metrics', 'params').stderr, /'params' in --metrics is not an accuracy metric/);
});

test('proxy-sweep computes zero-cost proxies per class with the registry (the same values robust-nas proxies gives)', () => {
  const out = join(work, 'zc.jsonl');
  const first = run(
    'proxy-sweep',
    '--out',
    out,
    ...TINY,
    '--sample',
    '6',
    '--seed',
    '2',
    '--proxies',
    'zc:snip,zc:synflow,ntk:clean',
  );
  assert.equal(first.code, 0, first.stderr);
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as { result: { arch: string; proxies?: Record<string, number> } });
  assert.equal(rows.length, 6);
  for (const r of rows) assert.deepEqual(Object.keys(r.result.proxies ?? {}), ['zc:snip', 'zc:synflow']);
  // One class's values again through `robust-nas proxies` with the same network, inputs and seed.
  const one = run(
    'proxies',
    rows[0].result.arch,
    '--channels',
    '2',
    '--cells',
    '1',
    '--n',
    '3',
    '--seed',
    '2',
    '--proxies',
    'zc:snip,zc:synflow',
    '--json',
  );
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(JSON.parse(one.stdout).values, rows[0].result.proxies);
});

test('corr with several sweep files ranks their proxies side by side; a proxy in two files is refused', () => {
  const out = join(work, 'p.jsonl');
  const robust = join(work, 'robust.jsonl');
  assert.equal(run('proxy-sweep', '--out', robust, ...TINY, '--sample', '12', '--proxies', 'ntk:robust').code, 0);
  const both = run('corr', out, robust, '--bootstrap', '20', '--metrics', 'pgd@8', '--json');
  assert.equal(both.code, 0, both.stderr);
  const board = JSON.parse(both.stdout);
  assert.deepEqual(
    board.files.map((f: { path: string; classes: number }) => [f.path, f.classes]),
    [
      [out, 12],
      [robust, 12],
    ],
  );
  const ids = board.metrics[0].entries.map((e: { proxy: string }) => e.proxy);
  for (const id of ['ntk:clean', 'ntk:robust', 'ntk:robust.condition', 'ntk:naswot', 'params'])
    assert.ok(ids.includes(id), id);
  assert.match(
    run('corr', out, out).stderr,
    /ntk:clean is in both .*p\.jsonl and .*p\.jsonl; pass sweep files that hold different proxies/,
  );
});
