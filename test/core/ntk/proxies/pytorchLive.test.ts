// The zero-cost proxies against PyTorch + NASLib's measures live (Debian's python3-torch, installed by the test
// script's system-packages step): seeded random cells the committed fixtures do not cover, exported from our
// engine (tools/proxy-export.ts) and recomputed by tools/proxy_reference.py, which fails over the tolerances
// (relative 1e-4; SynFlow log10 1e-6). Also keeps the reference itself runnable for `npm run proxy:fixtures`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Rng } from '../../../../src/core/ntk/rng';
import { DATASET_IDS, formatArchString, makeCell, OP_NAMES } from '../../../../src/core/space';
import { exportProxyProblem } from '../../../../tools/proxy-export';
import { findTorchPython } from '../../../../tools/torch-python';

const root = join(import.meta.dirname, '..', '..', '..', '..');
let python: string;
let work: string;

before(() => {
  const found = findTorchPython();
  assert.ok(
    found,
    "this test needs PyTorch for python3: `npm test` installs Debian's python3-torch first (tools/install-torch.sh does it by hand)",
  );
  python = found;
  work = mkdtempSync(join(tmpdir(), 'robust-nas-proxies-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

test('every registered proxy matches PyTorch + NASLib on seeded random cells of every dataset (C=2, N=1, n=3)', () => {
  const rng = new Rng(12);
  DATASET_IDS.forEach((dataset, k) => {
    const cell = makeCell(Array.from({ length: 6 }, () => OP_NAMES[rng.int(OP_NAMES.length)]));
    const arch = formatArchString(cell);
    const file = join(work, `problem-${k}.json`);
    writeFileSync(file, JSON.stringify(exportProxyProblem(arch, dataset, 2, 1, 3, 7 + k)));
    const r = spawnSync(python, [join(root, 'tools', 'proxy_reference.py'), file], { encoding: 'utf8', cwd: root });
    assert.equal(
      r.status,
      0,
      `${arch} on ${dataset}: ${r.stderr
        .split('\n')
        .filter((l) => !/warn/i.test(l))
        .join('\n')}\n${r.stdout}`,
    );
    const report = JSON.parse(r.stdout) as { errors: Record<string, number> };
    // The reference computed every proxy we exported (none skipped).
    assert.ok(Object.keys(report.errors).length >= 6, r.stdout);
  });
});
