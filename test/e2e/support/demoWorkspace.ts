import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/vscode-server/install';

/** The demo workspace `npm start` opens (a Python NAS script, a YAML config and a Markdown note). */
export const demoWorkspaceSource = join(projectRoot, 'test', 'fixtures', 'demo');

/**
 * A fresh copy of the demo workspace in a temporary folder: the suites apply quick fixes and edit files, and the
 * checked-in fixture must stay as it is.
 */
export function copyDemoWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-demo-'));
  cpSync(demoWorkspaceSource, dir, { recursive: true });
  return dir;
}
