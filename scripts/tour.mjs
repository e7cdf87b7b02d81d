// A short tour of the `robust-nas` CLI on the real NAS-RobBench-201 data (`npm run tour`): each step prints the
// command it runs, then its output. Expects dist/cli.js (the npm script builds it first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('tour: dist/cli.js is missing; run `npm run build` first.');
  process.exit(1);
}

const steps = [
  [
    'Look up one architecture (any encoding works: string, 6-digit code, index, NASLib tuple):',
    ['query', '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'],
  ],
  ['Convert between encodings:', ['convert', '334131']],
  [
    'A typo is shown where it is:',
    ['query', '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pol_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'],
  ],
  ['Cells that compute the same function share one evaluated representative:', ['iso', '421211']],
  [
    'The most robust cells under PGD (eps 8/255) on CIFAR-10, with and without a constraint:',
    ['top', '--dataset', 'cifar10', '--metric', 'pgd@8', '-k', '5'],
  ],
  ['', ['top', '--dataset', 'cifar10', '--metric', 'pgd@8', '-k', '5', '--where', 'no conv3x3']],
  [
    'Clean accuracy vs AutoAttack after standard training vs adversarial training:',
    ['pareto', '--dataset', 'cifar100', '--x', 'std:clean', '--y', 'autoattack'],
  ],
  ['How do robustness rankings transfer across datasets?', ['corr', '--across-datasets', 'autoattack']],
  [
    'Does standard-training robustness predict adversarial-training robustness?',
    ['corr', '--dataset', 'cifar10', '--adv-vs-std'],
  ],
  [
    'Regularized evolution with 100 queries, 20 runs:',
    [
      'search',
      '--algo',
      're',
      '--objective',
      'pgd@8',
      '--dataset',
      'cifar10',
      '--budget',
      '100',
      '--runs',
      '20',
      '--seed',
      '0',
    ],
  ],
];

let failed = 0;
for (const [title, args] of steps) {
  if (title) console.log(`\n## ${title}`);
  console.log(`$ robust-nas ${args.map((a) => (/[^\w@.,:=/-]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  // The typo step is expected to fail with exit code 2; anything else failing is a real problem.
  if (r.status !== 0 && !(args[0] === 'query' && r.status === 2)) failed++;
}
process.exit(failed ? 1 : 0);
