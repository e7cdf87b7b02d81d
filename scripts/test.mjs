// The whole test suite, as README and .ci/run call it: build, typecheck, lint, then every test file under
// test/ with Node's built-in runner (CI reads its closing `# pass` / `# fail` lines), then the end-to-end suites
// in test/e2e (a real VS Code server and headless Chromium). The system packages those tests need (Chromium, ...:
// scripts/system-packages.ts) are installed once, before any test file runs: test files run concurrently and must
// never install anything themselves.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function run(label, cmd, args, extraEnv = {}) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) {
    console.error(`\n${label} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

/** End-to-end suites: run after the unit tests, one at a time (they share one VS Code server install). */
const e2eDir = join(root, 'test', 'e2e');

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    // test/e2e/integration/*.test.ts run inside VS Code's extension host, not under Node's runner.
    if (p === e2eDir) continue;
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
if (only.length === 0) {
  run('build', process.execPath, ['scripts/build.mjs']);
  run('typecheck', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('typecheck (core alone)', npx, ['tsc', '-p', 'src/core/tsconfig.json', '--noEmit']);
  run('lint', npx, ['eslint', '.']);
  run('format', npx, ['prettier', '--check', '.']);
}
const files = only.length ? only : testFiles(join(root, 'test'));
const e2eFiles = only.length
  ? []
  : readdirSync(e2eDir)
      .filter((n) => n.endsWith('.test.ts'))
      .sort()
      .map((n) => relative(root, join(e2eDir, n)));
run('system packages the tests need', process.execPath, [
  '--import',
  'tsx',
  'scripts/system-packages.ts',
  ...files,
  ...e2eFiles,
]);
run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
if (only.length === 0) {
  run(`end-to-end tests in VS Code (${e2eFiles.length} files)`, process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    ...e2eFiles,
  ]);
}
