// Words that name Object.prototype members, typed wherever the CLI looks user text up in a table (dataset and metric
// ids, op aliases in --where, network sizes, algorithms, formats, command names). Before the tables were
// prototype-free, `top --dataset constructor` crashed with a stack trace and `--where 'has constructor'` printed
// `function Object() { [native code] }` as if it were an op.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../core/benchmark/sharedData';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

before(() => {
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data', sharedDataDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ROBUST_NAS_DATA: '' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Each entry point, and what the user must be told about the word in it. */
const ENTRY_POINTS: [string, (key: string) => string[], (key: string) => RegExp][] = [
  ['top --dataset', (k) => ['top', '--dataset', k, '--metric', 'clean'], (k) => new RegExp(`Unknown dataset '${k}'`)],
  ['top --metric', (k) => ['top', '--dataset', 'cifar10', '--metric', k], (k) => new RegExp(`Unknown metric '${k}'`)],
  [
    'top --where has',
    (k) => ['top', '--dataset', 'cifar10', '--metric', 'clean', '--where', `has ${k}`],
    (k) => new RegExp(`Unknown operation '${k}'`),
  ],
  [
    'top --where edge',
    (k) => ['top', '--dataset', 'cifar10', '--metric', 'clean', '--where', `edge 1->2 = ${k}`],
    (k) => new RegExp(`Unknown operation '${k}'`),
  ],
  [
    'pareto --y',
    (k) => ['pareto', '--dataset', 'cifar10', '--x', 'clean', '--y', k],
    (k) => new RegExp(`Unknown metric '${k}'`),
  ],
  ['corr --dataset', (k) => ['corr', '--dataset', k], (k) => new RegExp(`Unknown dataset '${k}'`)],
  [
    'search --algo',
    (k) => ['search', '--algo', k, '--dataset', 'cifar10', '--objective', 'clean'],
    (k) => new RegExp(`--algo must be one of rs, re, ls, got '${k}'`),
  ],
  [
    'search --objective',
    (k) => ['search', '--algo', 'rs', '--dataset', 'cifar10', '--objective', `0.5*${k}`],
    (k) => new RegExp(`Unknown metric '${k}'`),
  ],
  ['ntk --size', (k) => ['ntk', '0', '--size', k], (k) => new RegExp(`--size must be full or proxy, got '${k}'`)],
  ['ntk --dataset', (k) => ['ntk', '0', '--dataset', k], (k) => new RegExp(`Unknown dataset '${k}'`)],
  [
    'ntk --inputs',
    (k) => ['ntk', '0', '--inputs', `${k}:/tmp`],
    () => /--inputs must be "synthetic" or <dataset>:<folder>/,
  ],
  [
    'convert --to',
    (k) => ['convert', '0', '--to', k],
    (k) => new RegExp(`--to must be one of string, code, index, naslib, got '${k}'`),
  ],
  ['query (architecture)', (k) => ['query', k], (k) => new RegExp(`'${k}' is not a NAS-Bench-201 architecture`)],
  ['command name', (k) => [k], (k) => new RegExp(`unknown command '${k}'`)],
];

for (const [entry, args, message] of ENTRY_POINTS) {
  test(`CLI ${entry}: constructor, __proto__, toString and hasOwnProperty are unknown words, exit 2 with a clear message`, () => {
    for (const key of KEYS) {
      const r = run(args(key));
      assert.equal(r.code, 2, `${args(key).join(' ')}\n${r.out}`);
      assert.match(r.out, message(key), r.out);
      assert.doesNotMatch(r.out, /native code|function Object|unexpected error|TypeError|at Object\./, r.out);
    }
  });
}
