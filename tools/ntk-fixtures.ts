// Regenerates test/fixtures/ntk/*.json: for each small problem (C=4, N=1, n=4), exports our engine's weights and
// inputs, lets PyTorch (tools/ntk_reference.py, float64) recompute logits and both kernels, and stores PyTorch's
// numbers. These are our own computed numbers (synthetic inputs, seeded weights), not benchmark data.
//   npm run ntk:fixtures     (needs Debian python3-torch: tools/install-torch.sh)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportProblem } from './ntk-export';
import { REFERENCE_PROBLEMS } from './ntk-problems';
import { findTorchPython } from './torch-python';

const python = findTorchPython();
if (!python) {
  console.error(
    'ntk:fixtures needs python3 with torch and functorch: run tools/install-torch.sh (Debian python3-torch).',
  );
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'ntk-fixtures-'));
// `npm run ntk:fixtures -- NAME...` regenerates only the named fixtures.
const only = process.argv.slice(2);
for (const p of REFERENCE_PROBLEMS.filter((q) => only.length === 0 || only.includes(q.name))) {
  const problemFile = join(dir, `${p.name}.json`);
  writeFileSync(problemFile, JSON.stringify(exportProblem(p.arch, p.dataset, 4, 1, 4, 1)));
  const r = spawnSync(
    python,
    ['tools/ntk_reference.py', problemFile, '--fixture', `test/fixtures/ntk/${p.name}.json`],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
