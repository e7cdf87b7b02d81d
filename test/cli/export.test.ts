// `robust-nas export` as users run it (dist/cli.js): the files it writes, the header's numbers against the published
// file, the caret error for a malformed architecture, unknown datasets, and existing files kept unless --force.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawAdversarial, rawOps, sharedDataDir } from '../core/benchmark/sharedData';
import { formatArchString, networkCost, parseCellEncoding } from '../../src/core/space';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
let work: string;

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  work = mkdtempSync(join(tmpdir(), 'robust-nas-cli-export-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

test('export of a non-evaluated cell: both files, the header names the evaluated member and shows its published accuracies', () => {
  const ops = rawOps();
  const adv = rawAdversarial();
  const index = 3599; // isomorphic to index 0 (the published file points it there)
  const evaluated = String(adv[String(index)]);
  const out = join(work, 'iso');
  const r = run('export', String(index), '--dataset', 'cifar100', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const model = readFileSync(join(out, 'model.py'), 'utf8');
  const train = readFileSync(join(out, 'train.py'), 'utf8');
  const parsed = parseCellEncoding(ops[index]);
  assert.ok(parsed.ok && parsed.kind !== 'index');
  for (const text of [model, train]) {
    assert.match(text, new RegExp(`# Index +NAS-Bench-201 #${index} · op code ${ops[index]}`));
    assert.match(text, new RegExp(`isomorphic to #${evaluated}, the member NAS-RobBench-201 trained and evaluated`));
    // CIFAR-100 columns of the published row (header order cifar10 x6, cifar100 x6, imagenet x6): clean first.
    const row = adv[evaluated] as number[];
    assert.ok(text.includes(`Clean ${(100 * row[6]).toFixed(2)}%`), 'clean accuracy on CIFAR-100');
    assert.ok(text.includes(`${networkCost(parsed.cell, 'cifar100').params.toLocaleString('en-US')} parameters`));
  }
  // The exported network is the cell as written, not the evaluated member.
  assert.ok(model.includes(`ARCH_STRING = "${formatArchString(parsed.cell)}"`), 'the cell as written');
  assert.match(r.stdout, /results shown are those of the evaluated member #0/);
});

test('export never overwrites without --force; --force rewrites both files', () => {
  const out = join(work, 'keep');
  assert.equal(run('export', '333333', '--out', out).code, 0);
  writeFileSync(join(out, 'model.py'), '# my edits\n');
  const again = run('export', '333333', '--out', out);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /model\.py and .*train\.py exist: nothing written\. Pass --force to overwrite/);
  assert.equal(readFileSync(join(out, 'model.py'), 'utf8'), '# my edits\n', "the user's file is untouched");
  const forced = run('export', '333333', '--out', out, '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(join(out, 'model.py'), 'utf8'), /^# model\.py - NAS-Bench-201 network/);
});

test('export: a malformed architecture gets the caret display, an unknown dataset a suggestion; nothing is written', () => {
  const out = join(work, 'bad');
  const bad = run('export', '|nor_conv_3x5~0|+|none~0|none~1|+|none~0|none~1|none~2|', '--out', out);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /Cannot read the architecture:\n {2}\|nor_conv_3x5~0\|.*\n {3}\^~+\n {2}Unknown operation 'nor_conv_3x5'/,
  );
  const ds = run('export', '333333', '--dataset', 'cifar1000', '--out', out);
  assert.equal(ds.code, 2);
  assert.match(ds.stderr, /Unknown dataset 'cifar1000': did you mean 'cifar100'\?/);
  assert.equal(existsSync(out), false);
});

test("export --channels/--cells: the header says the size is not the benchmark's", () => {
  const out = join(work, 'small');
  const r = run(
    'export',
    '333333',
    '--channels',
    '8',
    '--cells',
    '1',
    '--dataset',
    'imagenet16-120',
    '--out',
    out,
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.channels, 8);
  const model = readFileSync(join(out, 'model.py'), 'utf8');
  assert.match(model, /^CHANNELS = 8$/m);
  assert.match(model, /^CELLS_PER_STAGE = 1$/m);
  assert.match(model, /^DATASET = "imagenet16-120"$/m);
  assert.match(model, /NOT the benchmark's size: NAS-RobBench-201 trained C=16, N=5/);
  assert.match(model, /accuracy on ImageNet16-120 after adversarial training/);
});
