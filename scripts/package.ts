// `npm run package`: the VSIX, built with @vscode/vsce from a clean production build. The end-to-end tests package
// through this same function, so the VSIX they install is the one that ships.
//
// vsce lists a project by globbing every file under it (only the top node_modules/ is skipped) and then matching
// each against .vscodeignore, which takes about ten seconds beside the code-server install in .vscode-test/. So the
// files the VSIX holds (the .vscodeignore whitelist: bundles, media, manifest, README, LICENSE, CHANGELOG) are copied
// into a temporary folder and packaged from there. Dependencies are all bundled by esbuild: `--no-dependencies`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(__dirname, '..');

/** What the VSIX holds besides package.json (mirrors .vscodeignore). */
const PACKAGED = ['dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore'];

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0)
    throw new Error(`${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Builds for production (from an empty dist/, so no stale bundle or source map ships) and packages to `out`.
 * Returns vsce's report (the list of packaged files).
 */
export function packageVsix(out: string): string {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], root);
  const staging = mkdtempSync(join(tmpdir(), 'robust-nas-vsix-'));
  try {
    for (const name of PACKAGED) {
      if (existsSync(join(root, name))) cpSync(join(root, name), join(staging, name), { recursive: true });
    }
    // The bundles are built above; vsce must not run `vscode:prepublish` in the staging folder (no sources there).
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    if (manifest.scripts) delete manifest.scripts['vscode:prepublish'];
    writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    // The README's pictures are relative paths into media/screenshots/, which the VSIX holds: VS Code's extension page
    // resolves them against the installed extension, so vsce must leave them as they are (it would otherwise need a
    // public repository URL to make them absolute).
    return run(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
      staging,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const out = resolve(values.out ?? join(root, `${manifest.name}-${manifest.version}.vsix`));
  try {
    console.log(packageVsix(out).trim());
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
