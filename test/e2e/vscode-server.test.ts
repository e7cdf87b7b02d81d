// Self-tests of the VS Code server harness the other end-to-end suites and `npm start` stand on: the cached
// install, a loopback-only server with its own home, a workbench that loads, and a stop that leaves nothing behind.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchChromium, openWorkbench } from '../../scripts/vscode-server/browser';
import {
  CODE_SERVER_VERSION,
  ensureCodeServer,
  installDir,
  isCodeServerInstalled,
  VSCODE_VERSION,
} from '../../scripts/vscode-server/install';
import { pollUntil } from '../../scripts/vscode-server/poll';
import { groupAlive, startCodeServer } from '../../scripts/vscode-server/server';

/** Process ids in group `pgid`, read from /proc (Linux). */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

test('code-server is installed once and then reused from .vscode-test', { timeout: 300_000 }, () => {
  const entry = ensureCodeServer();
  assert.ok(isCodeServerInstalled());
  assert.ok(entry.startsWith(installDir));
  const manifest = JSON.parse(
    readFileSync(join(installDir, 'node_modules', 'code-server', 'package.json'), 'utf8'),
  ) as { version: string };
  assert.equal(manifest.version, CODE_SERVER_VERSION);
  const vscodeManifest = JSON.parse(
    readFileSync(join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8'),
  ) as { version: string };
  assert.equal(vscodeManifest.version, VSCODE_VERSION);
  assert.equal(ensureCodeServer(), entry);
});

test(
  'the server serves the workbench on 127.0.0.1 and stop() ends its whole process group',
  { timeout: 120_000 },
  async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'robust-nas-empty-ws-'));
    const server = await startCodeServer();
    try {
      assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.baseDir.startsWith(tmpdir()) && !server.baseDir.startsWith(homedir()));
      const page = await fetch(server.origin);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);

      // A connected workbench makes the server start an extension host in the same process group.
      const browser = await launchChromium(server.baseDir);
      try {
        await openWorkbench(browser, server.workbenchUrl({ folder: workspace }));
        await pollUntil(() => groupMembers(server.pid).length >= 2, {
          timeoutMs: 30_000,
          message: 'no extension host was started',
        });
      } finally {
        await browser.close();
      }
      // Everything the server writes stays in its temporary folder: settings and logs are there.
      assert.ok(existsSync(join(server.userDataDir, 'User', 'settings.json')));
      assert.ok(server.logs().length > 0, 'the server wrote no logs into its own user-data folder');
    } finally {
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
    assert.equal(
      groupAlive(server.pid),
      false,
      `processes left in group ${server.pid}: ${groupMembers(server.pid).join(', ')}`,
    );
    assert.equal(existsSync(server.baseDir), false, "the server's temporary folder was not removed");
  },
);
