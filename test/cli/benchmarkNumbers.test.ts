// The numbers users compare with NAS-Bench-201 and the paper, as the CLI prints them: cost in NAS-Bench-201's units
// and counter. Spawns the bundled dist/cli.js (rebuilt by `npm test`; run scripts/build.mjs after changing src/).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../core/benchmark/sharedData';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

test("query prints params and FLOPs in NAS-Bench-201's units with its figures for index 0", () => {
  const out = run('query', '0');
  // api.get_cost_info(0, dataset) of NAS-Bench-201: flops 15.64737 / 15.65322 / 3.91948 M, params 0.129306 MB on CIFAR-10.
  assert.match(out, /^CIFAR-10 +params 0\.129306 MB \(129,306\), FLOPs 15\.64737 M \(15,647,370\)$/m);
  assert.match(out, /^CIFAR-100 +params 0\.135156 MB \(135,156\), FLOPs 15\.65322 M \(15,653,220\)$/m);
  assert.match(out, /^ImageNet16-120 +params 0\.136456 MB \(136,456\), FLOPs 3\.91948 M \(3,919,480\)$/m);
});

test('search draws random architectures uniformly over the evaluated classes unless --sampling cell, and says which', () => {
  const byClass = run('search', '--algo', 'rs', '--objective', 'clean', '--dataset', 'cifar10', '--runs', '20');
  assert.match(byClass, /^random architectures: uniform over the evaluated isomorphism classes \(6,466\)$/m);
  const byCell = run(
    'search',
    '--algo',
    'rs',
    '--objective',
    'clean',
    '--dataset',
    'cifar10',
    '--runs',
    '20',
    '--sampling',
    'cell',
  );
  assert.match(byCell, /^random architectures: uniform over the 15,625 cells \(NAS-Bench-201's sampler\)$/m);
  assert.notEqual(byClass, byCell);
  const j = JSON.parse(
    run('search', '--algo', 're', '--objective', 'pgd@8', '--dataset', 'cifar10', '--runs', '3', '--json'),
  );
  assert.equal(j.sampling, 'class');
  const bad = spawnSync(
    process.execPath,
    [
      cli,
      '--data',
      sharedDataDir(),
      'search',
      '--algo',
      'rs',
      '--objective',
      'clean',
      '--dataset',
      'cifar10',
      '--sampling',
      'edges',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--sampling must be one of class, cell, got 'edges'/);
});

test('query, top and corr label the attacked columns with their eps and say which values are single evaluations', () => {
  const q = run('query', '13433');
  // Jung et al.'s README: PGD accuracy of #13433 on CIFAR-10 at eps = 1.0/255 is 0.336.
  assert.match(q, /^Std PGD@1 +33\.6% /m);
  for (const label of ['Std FGSM@1', 'Std APGD-CE@1', 'Std Square@1', 'AutoAttack@8', 'FGSM@3', 'PGD@8'])
    assert.match(q, new RegExp(`^${label} +\\d`, 'm'), label);
  assert.doesNotMatch(q, /^(AutoAttack|Std PGD|Std FGSM) +\d/m);
  assert.match(
    q,
    /^@k = attack eps k\/255\. Adversarial training: AutoAttack@8 a single evaluation, the other rows means of three seeds; standard training: rounded to 3 decimals\. Params and FLOPs: this cell's own, as NAS-Bench-201 counts them, ranked lowest first\.$/m,
  );
  // The cost rows in NAS-Bench-201's units, ranked lowest first among the 6,466 (index 13433: 157,306 parameters).
  assert.match(q, /^Params +0\.157306 MB +#852 +82\.8 /m);
  assert.match(q, /^FLOPs +19\.57953 M +#852 /m);
  assert.match(
    run('top', '--dataset', 'cifar10', '--metric', 'std:pgd', '-k', '1'),
    /^Top 1 by Std PGD@1 on CIFAR-10:$/m,
  );
  const corr = run('corr', '--dataset', 'cifar10', '--adv-vs-std');
  assert.match(corr, /Std FGSM@1 +Std PGD@1/);
  assert.match(corr, /^AutoAttack@8 /m);
  // The JSON keeps the ids that --metrics takes.
  assert.ok(JSON.parse(run('corr', '--dataset', 'cifar10', '--adv-vs-std', '--json')).columns.includes('std:pgd'));
});
