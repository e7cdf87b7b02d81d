import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/vscode-server/install';

/**
 * Packages the extension exactly as `npm run package` does (vsce runs the production build through
 * `vscode:prepublish`), into `outDir`, and returns the .vsix path: the suites test what ships.
 */
export function packageVsix(outDir: string): string {
  const out = join(outDir, 'robust-nas.vsix');
  const vsce = join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return out;
}
