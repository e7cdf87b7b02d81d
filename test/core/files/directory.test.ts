// Node's recursive mkdir never returns for a path under /proc (ROBUST_NAS_NTK_CACHE=/proc/x hung every NTK
// command); makeDirectory fails at once, saying which folder and why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DirectoryError, makeDirectory, makeDirectorySync } from '../../../src/core/files/directory';

const root = mkdtempSync(join(tmpdir(), 'rn-dirs-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('creates missing levels; an existing folder is fine', async () => {
  makeDirectorySync(join(root, 'a', 'b', 'c'));
  assert.ok(statSync(join(root, 'a', 'b', 'c')).isDirectory());
  makeDirectorySync(join(root, 'a', 'b', 'c'));
  await makeDirectory(join(root, 'x', 'y'));
  await makeDirectory(join(root, 'x', 'y'));
  assert.ok(statSync(join(root, 'x', 'y')).isDirectory());
});

test('/proc/x, /sys and a path through a file fail fast with the folder named', { timeout: 10_000 }, async () => {
  writeFileSync(join(root, 'file'), '');
  const cases: [string, RegExp][] = [
    ['/proc/x', /^\/proc\/x cannot be created \(the system does not allow a folder there\)/],
    [
      '/proc/x/y/z',
      /^\/proc\/x\/y\/z cannot be created \(making \/proc\/x: the system does not allow a folder there\)/,
    ],
    ['/sys/robust-nas-test', /^\/sys\/robust-nas-test cannot be created \(permission denied\)/],
    [join(root, 'file'), /file is not a folder$/],
    [join(root, 'file', 'sub'), /cannot be created: .*file is not a folder$/],
  ];
  for (const [dir, message] of cases) {
    const started = performance.now();
    assert.throws(
      () => makeDirectorySync(dir),
      (e: unknown) => e instanceof DirectoryError && message.test(e.message),
      dir,
    );
    await assert.rejects(
      makeDirectory(dir),
      (e: unknown) => e instanceof DirectoryError && message.test(e.message),
      dir,
    );
    assert.ok(performance.now() - started < 1000, `${dir} took ${(performance.now() - started).toFixed(0)} ms`);
  }
});
