// Regenerates test/fixtures/ntk/*.json: for each small problem (C=4, N=1, n=4), exports our engine's weights and
// inputs, lets PyTorch (tools/ntk_reference.py, float64) recompute logits and both kernels, and stores PyTorch's
// numbers. These are our own computed numbers (synthetic inputs, seeded weights), not benchmark data.
//   npm run ntk:fixtures     (needs Debian python3-torch: tools/install-torch.sh)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportProblem } from './ntk-export';
import { findTorchPython } from './torch-python';

export const REFERENCE_PROBLEMS = [
  { name: 'mixed-cifar10', arch: '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|', dataset: 'cifar10' },
  { name: 'conv3x3-cifar100', arch: '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', dataset: 'cifar100' },
  { name: 'pool-skip-imagenet16', arch: '|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|', dataset: 'imagenet16-120' },
  // Index 12's cell: the output is reached only through `none` edges (a conv of a zero node adds BN's shift), so
  // the input gradient is zero and the kernel does not depend on the inputs.
  { name: 'input-independent-cifar10', arch: '|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|', dataset: 'cifar10' },
] as const;

const python = findTorchPython();
if (!python) {
  console.error('ntk:fixtures needs python3 with torch and functorch: run tools/install-torch.sh (Debian python3-torch).');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'ntk-fixtures-'));
// `npm run ntk:fixtures -- NAME...` regenerates only the named fixtures.
const only = process.argv.slice(2);
for (const p of REFERENCE_PROBLEMS.filter((q) => only.length === 0 || only.includes(q.name))) {
  const problemFile = join(dir, `${p.name}.json`);
  writeFileSync(problemFile, JSON.stringify(exportProblem(p.arch, p.dataset, 4, 1, 4, 1)));
  const r = spawnSync(python, ['tools/ntk_reference.py', problemFile, '--fixture', `test/fixtures/ntk/${p.name}.json`], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
