// The bundled CLI as users run it: spawn dist/cli.js (built by `npm test` before the tests), check each
// subcommand's JSON contract against values read straight from the published files, exit codes and error output.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rawAdversarial, rawOps, rawStandard, sharedDataDir } from '../core/benchmark/sharedData';
import { expectedColumns } from '../../src/core/benchmark/publishedFiles';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function json(...args: string[]) {
  const r = run(...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

let adv: Record<string, number[] | string>;
before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  adv = rawAdversarial();
});

test('query --json: index, code, string, representative, cost and every metric with rank and percentile', () => {
  const ops = rawOps();
  const std = rawStandard();
  const i = 3599; // isomorphic to index 0
  const q = json('query', ops[i]);
  assert.equal(q.index, i);
  assert.equal(q.code, ops[i]);
  assert.match(q.string, /^\|.*\|$/);
  assert.equal(q.representativeIndex, Number(adv[String(i)]));
  assert.equal(q.isRepresentative, false);
  for (const d of ['cifar10', 'cifar100', 'imagenet16-120']) assert.ok(q.cost[d].params > 0 && q.cost[d].flops > 0);
  const rep = String(q.representativeIndex);
  expectedColumns('adversarial').forEach((c, j) => {
    const m = q.metrics[c.dataset][c.metric];
    assert.equal(m.value, (adv[rep] as number[])[j]);
    assert.ok(m.rank >= 1 && m.rank <= 6466 && m.of === 6466 && m.percentile >= 0 && m.percentile <= 100);
  });
  expectedColumns('standard').forEach((c, j) =>
    assert.equal(q.metrics[c.dataset][c.metric].value, (std[rep] as number[])[j]),
  );
  assert.equal(q.metrics['imagenet16-120']['std:corruption'], undefined);
});

test('query accepts an index, a string and a NASLib tuple for the same cell', () => {
  const byIndex = json('query', '1');
  assert.equal(json('query', byIndex.string).index, 1);
  assert.equal(json('query', `(${byIndex.naslib.join(', ')})`).index, 1);
});

test('human query output is an aligned table with percentages to one decimal', () => {
  const r = run('query', '1');
  assert.equal(r.code, 0);
  const pct = ((adv['1'] as number[])[4] * 100).toFixed(1);
  const line = r.stdout.split('\n').find((l) => l.startsWith('PGD@8'))!;
  assert.ok(line.includes(`${pct}%`), line);
});

test('a bad architecture is echoed with a caret under the problem and the parser message, exit 2', () => {
  const bad = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pol_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
  const r = run('query', bad);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  const echo = lines.findIndex((l) => l.trim() === bad);
  assert.ok(echo >= 0, r.stderr);
  const caretLine = lines[echo + 1];
  const col = lines[echo].indexOf(bad) + bad.indexOf('avg_pol_3x3');
  assert.equal(caretLine.indexOf('^'), col);
  assert.equal(caretLine.trim(), '^' + '~'.repeat('avg_pol_3x3'.length - 1));
  assert.match(lines[echo + 2], /Unknown operation 'avg_pol_3x3': did you mean 'avg_pool_3x3'\?/);
});

test('convert to each encoding', () => {
  const all = json('convert', '1');
  assert.deepEqual(Object.keys(all).sort(), ['code', 'index', 'naslib', 'string']);
  assert.equal(run('convert', all.code, '--to', 'index').stdout.trim(), '1');
  assert.equal(run('convert', all.string, '--to', 'code').stdout.trim(), all.code);
  assert.equal(run('convert', '1', '--to', 'naslib').stdout.trim(), `(${all.naslib.join(', ')})`);
  assert.equal(run('convert', '1', '--to', 'hex').code, 2);
});

test('iso --all --json: every index with the representative from the structure, equal to the published references', () => {
  const r = json('iso', '--all');
  assert.equal(r.representative.length, 15625);
  assert.equal(r.classes, 6466);
  for (let i = 0; i < 15625; i++) {
    const v = adv[String(i)];
    assert.equal(r.representative[i], Array.isArray(v) ? i : Number(v));
  }
});

test('iso <arch> lists the class members', () => {
  const r = json('iso', '0');
  assert.equal(r.representativeIndex, 0);
  const expected = Object.keys(adv)
    .filter((k) => k !== '' && (k === '0' || adv[k] === '0'))
    .map(Number)
    .sort((a, b) => a - b);
  assert.deepEqual(
    r.members.map((m: { index: number }) => m.index),
    expected,
  );
});

test('top --json with --where', () => {
  const r = json(
    'top',
    '--dataset',
    'cifar10',
    '--metric',
    'pgd@8',
    '-k',
    '5',
    '--where',
    'no avg_pool, edge 2->3 != none',
  );
  assert.equal(r.results.length, 5);
  assert.deepEqual(r.where, ['no avg_pool_3x3', 'edge 2->3 != none']);
  for (let j = 1; j < 5; j++) assert.ok(r.results[j].value <= r.results[j - 1].value);
  for (const x of r.results) {
    assert.ok(!x.string.includes('avg_pool_3x3'));
    assert.equal(x.value, (adv[String(x.representativeIndex)] as number[])[4]);
  }
  const best = Math.max(
    ...Object.keys(adv)
      .filter((k) => k !== '' && Array.isArray(adv[k]))
      .map((k) => (adv[k] as number[])[4]),
  );
  assert.equal(json('top', '--dataset', 'cifar10', '--metric', 'pgd@8', '-k', '1').results[0].value, best);
});

test('a bad --where is echoed with a caret', () => {
  const r = run('top', '--dataset', 'cifar10', '--metric', 'clean', '--where', 'edge 0->3 = skp');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /edge 0->3 = skp\n\s+\^~~\n/);
});

test('pareto --json: points sorted by x, none dominated', () => {
  const r = json('pareto', '--dataset', 'cifar100', '--x', 'std:clean', '--y', 'autoattack');
  assert.ok(r.points.length >= 1);
  for (let j = 1; j < r.points.length; j++)
    assert.ok(r.points[j].x >= r.points[j - 1].x && r.points[j].y <= r.points[j - 1].y);
});

test('params and FLOPs are metrics: top lists the cheapest first, pareto takes positionals and minimises the cost', () => {
  // NAS-Bench-201's get_cost_info units: index 0 has 0.129306 "MB" (129,306 parameters) on CIFAR-10.
  const q = json('query', '0');
  assert.equal(q.metrics.cifar10.params.value, 0.129306);
  assert.equal(q.metrics.cifar10.flops.value, 15.64737);
  assert.equal(q.metrics.cifar10.params.value * 1e6, q.cost.cifar10.params);
  const top = json('top', '--dataset', 'cifar10', '--metric', 'params', '-k', '200');
  for (let j = 1; j < top.results.length; j++) {
    assert.ok(top.results[j].value >= top.results[j - 1].value);
    assert.ok(top.results[j].rank >= top.results[j - 1].rank);
  }
  assert.equal(top.results[0].rank, 1);
  const positional = json('pareto', 'pgd@8', 'params', '--dataset', 'cifar10');
  assert.deepEqual(json('pareto', '--dataset', 'cifar10', '--x', 'pgd@8', '--y', 'params'), positional);
  // Sorted by accuracy ascending, the cost rises along the front: each extra point of accuracy costs parameters.
  for (let j = 1; j < positional.points.length; j++) {
    assert.ok(
      positional.points[j].x > positional.points[j - 1].x && positional.points[j].y > positional.points[j - 1].y,
    );
  }
  const text = run('pareto', 'pgd@8', 'params', '--dataset', 'cifar10').stdout;
  assert.match(text, /^ +\d+ +\d+\.\d% +0\.073306 MB /m);
  const mixed = run('pareto', 'pgd@8', 'params', '--dataset', 'cifar10', '--x', 'clean');
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /either as positionals .* or as --x and --y, not both/);
  const costObjective = run('search', '--algo', 'rs', '--objective', '0.5*clean+0.5*flops', '--dataset', 'cifar10');
  assert.equal(costObjective.code, 2);
  assert.match(costObjective.stderr, /'flops' is a cost .*pareto pgd@8 flops/);
  const typo = run('top', '--dataset', 'cifar10', '--metric', 'param');
  assert.match(typo.stderr, /Unknown metric 'param': did you mean 'params'\? Valid: .*, params, flops\./);
});

test('corr --json: metrics and a symmetric matrix; across datasets; adversarial vs standard', () => {
  const r = json('corr', '--dataset', 'cifar10', '--metrics', 'clean,pgd@8,autoattack', '--method', 'kendall');
  assert.deepEqual(r.metrics, ['clean', 'pgd@8', 'autoattack']);
  assert.equal(r.matrix.length, 3);
  for (let a = 0; a < 3; a++) {
    assert.equal(r.matrix[a][a], 1);
    for (let b = 0; b < 3; b++) assert.equal(r.matrix[a][b], r.matrix[b][a]);
  }
  const across = json('corr', '--across-datasets', 'autoattack');
  assert.deepEqual(across.metrics, ['cifar10:autoattack', 'cifar100:autoattack', 'imagenet16-120:autoattack']);
  const avs = json('corr', '--dataset', 'imagenet16-120', '--adv-vs-std');
  assert.equal(avs.matrix.length, 6);
  assert.equal(avs.columns.length, 5);
  assert.equal(run('corr', '--dataset', 'cifar10', '--method', 'cosine').code, 2);
});

test('search --json: mean and std of every metric, and the optimum', () => {
  const r = json(
    'search',
    '--algo',
    'rs',
    '--objective',
    'pgd@8',
    '--dataset',
    'cifar10',
    '--budget',
    '30',
    '--runs',
    '5',
    '--seed',
    '7',
  );
  assert.equal(r.runs, 5);
  assert.equal(r.queries.mean, 30);
  const best = Math.max(
    ...Object.keys(adv)
      .filter((k) => k !== '' && Array.isArray(adv[k]))
      .map((k) => (adv[k] as number[])[4]),
  );
  assert.equal(r.optimum.value, best);
  assert.ok(r.metrics.cifar10['pgd@8'].mean <= best && r.metrics.cifar10['pgd@8'].std >= 0);
  assert.ok(r.metrics.cifar100.autoattack.mean > 0);
  assert.deepEqual(
    json(
      'search',
      '--algo',
      'rs',
      '--objective',
      'pgd@8',
      '--dataset',
      'cifar10',
      '--budget',
      '30',
      '--runs',
      '5',
      '--seed',
      '7',
    ),
    r,
  );
});

test('usage errors exit 2 with a message on stderr; missing data exits 3; --help exits 0', () => {
  assert.equal(run('frobnicate').code, 2);
  const unknownMetric = run('top', '--dataset', 'cifar10', '--metric', 'pgd8');
  assert.equal(unknownMetric.code, 2);
  assert.match(unknownMetric.stderr, /Unknown metric 'pgd8': did you mean 'pgd@8'\?/);
  assert.equal(run('top', '--dataset', 'cifar10', '--metric', 'clean', '--bogus').code, 2);
  const missing = spawnSync(process.execPath, [cli, 'query', '1', '--data', join(root, 'no-such-folder')], {
    encoding: 'utf8',
  });
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /no-such-folder.*NAS-RobBench-201_html\.json: does not exist/);
  for (const c of ['query', 'convert', 'iso', 'top', 'pareto', 'corr', 'search']) {
    const h = run(c, '--help');
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^usage: robust-nas ${c}`));
  }
});
