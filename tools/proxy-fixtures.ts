// Regenerates test/fixtures/proxies/*.json: for each small problem (NAS-Bench-201's proxy size C=8, N=1; n=8),
// exports our engine's weights, inputs and labels, lets PyTorch (tools/proxy_reference.py, float64, NASLib's
// measures) compute every zero-cost proxy, and stores PyTorch's values. Our own computed numbers (synthetic
// inputs, seeded weights), not benchmark data.
//   npm run proxy:fixtures [-- NAME...]     (needs Debian python3-torch: tools/install-torch.sh)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_PROBLEMS } from './ntk-problems';
import { exportProxyProblem } from './proxy-export';
import { findTorchPython } from './torch-python';

const python = findTorchPython();
if (!python) {
  console.error('proxy:fixtures needs python3 with torch: run tools/install-torch.sh (Debian python3-torch).');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'proxy-fixtures-'));
mkdirSync('test/fixtures/proxies', { recursive: true });
const only = process.argv.slice(2);
for (const p of REFERENCE_PROBLEMS.filter((q) => only.length === 0 || only.includes(q.name))) {
  const problemFile = join(dir, `${p.name}.json`);
  writeFileSync(problemFile, JSON.stringify(exportProxyProblem(p.arch, p.dataset, 8, 1, 8, 1)));
  const r = spawnSync(
    python,
    ['tools/proxy_reference.py', problemFile, '--fixture', `test/fixtures/proxies/${p.name}.json`],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
