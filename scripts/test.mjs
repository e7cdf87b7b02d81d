// The whole test suite, as README and .ci/run call it: build, typecheck, lint, then every test file under
// test/ with Node's built-in runner (CI reads its closing `# pass` / `# fail` lines).
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

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
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
}
const files = only.length ? only : testFiles(join(root, 'test'));
run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
