// The language server in an untrusted workspace: the configuration answers carry the repository's own
// robustNas.dataPath (a folder of the attacker's choice); the server must read the benchmark from the user's folder
// instead, until it is told the workspace is trusted. Drives the bundled server over stdio like a client would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { WorkspaceTrustNotification, type ServerInitializationOptions } from '../../src/shared/protocol';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { ROOT, SERVER_BUNDLE, TestLspClient } from './lspClient';

const GOOD = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
let hostile: string;
let client: TestLspClient;

before(() => {
  if (!existsSync(SERVER_BUNDLE))
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // The folder a hostile .vscode/settings.json names: empty, so loading from it fails visibly.
  hostile = mkdtempSync(join(tmpdir(), 'robust-nas-hostile-data-'));
});
after(async () => {
  await client?.stop();
  rmSync(hostile, { recursive: true, force: true });
});

test("untrusted: the workspace's dataPath in the configuration answers is ignored; trusted: it applies", async () => {
  // What a client passing the workspace's values through would answer.
  client = new TestLspClient({ dataPath: hostile, ntk: { inputs: `cifar10:${hostile}` } }, { ROBUST_NAS_DATA: '' });
  const init: ServerInitializationOptions = {
    settings: { dataPath: SHARED_DATA_DIR },
    workspaceTrust: { trusted: false, restrictedValues: { dataPath: SHARED_DATA_DIR, ntkInputs: 'synthetic' } },
  };
  await client.initialize(init);
  const ready = await client.waitForData('ready');
  assert.equal(ready.evaluated, 6466);
  assert.ok(
    client.statuses.every((s) => !s.message.includes(hostile)),
    client.statuses.map((s) => s.message).join('\n'),
  );

  // Hovers work in Restricted Mode, from the user's data.
  const uri = 'file:///restricted/nas.py';
  await client.open(uri, 'python', `arch = '${GOOD}'\n`);
  const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line: 0, character: 12 },
  });
  const text = JSON.stringify(hover?.contents ?? '');
  assert.match(text, /PGD@8/, text);

  // Trust granted: now the workspace's value is the one used (the data is not there, and the status says so).
  const before = client.statuses.length;
  await client.connection.sendNotification(WorkspaceTrustNotification.method, { trusted: true });
  const after = await client.waitFor('a data status naming the workspace folder', () =>
    client.statuses.slice(before).find((s) => s.state !== 'loading' && s.message.includes(hostile)),
  );
  assert.match(after.state, /missing|error/);
});
