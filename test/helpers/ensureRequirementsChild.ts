// One caller of ensureRequirements in its own process, for the concurrency test in test/scripts/systemPackages.test.ts
// (the installer is synchronous, so two callers at once need two processes). Args: <fake apt dir> <lock path> <packages...>
import { join } from 'node:path';
import { ensureRequirements, fileRequirement } from '../../scripts/system-packages';

const [dir, lockPath, ...packages] = process.argv.slice(2);
const requirements = packages.map((p) =>
  fileRequirement(p, `test package ${p}`, ['test/'], [join(dir, p)], `install ${p}`),
);
ensureRequirements(requirements, {
  aptGet: [process.execPath, join(__dirname, 'fakeAptGet.mjs')],
  lockPath,
  lockTimeoutMs: 30_000,
  env: { ...process.env, FAKE_APT_DIR: dir },
});
