// robustNas.dataPath naming a folder whose data file is a FIFO hung the server's data load for good (each reload
// blocked another I/O thread until nothing loaded and `exit` was ignored); a symlink to /dev/zero grew it to
// 21 GB. Now the load fails at once with the file named, and the server keeps answering and exits when asked.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { ROOT, SERVER_BUNDLE, TestLspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'rn-server-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));
before(() => {
  if (!existsSync(SERVER_BUNDLE))
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
});

const ADV = 'NAS-RobBench-201_html.json';

for (const [name, plant, problem] of [
  ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), /is a FIFO \(named pipe\), not a regular file/],
  ['a symlink to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), /is a character device, not a regular file/],
] as const) {
  test(
    `a data file that is ${name}: the load fails at once naming it; hovers still answer`,
    { timeout: 60_000 },
    async () => {
      const dir = join(root, name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      for (const f of ['acc.json', 'ops.json']) copyFileSync(join(SHARED_DATA_DIR, f), join(dir, f));
      plant(join(dir, ADV));
      const client = new TestLspClient({ dataPath: dir }, { ROBUST_NAS_DATA: '' });
      try {
        const started = performance.now();
        await client.initialize();
        const status = await client.waitFor(
          'the data error',
          () => client.statuses.find((s) => s.state === 'error' || s.state === 'ready'),
          20_000,
        );
        assert.equal(status.state, 'error');
        assert.match(status.message, new RegExp(`${join(dir, ADV).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`));
        assert.match(status.message, problem);
        assert.ok(performance.now() - started < 15_000, `${((performance.now() - started) / 1000).toFixed(1)} s`);
        await client.open(
          'file:///hostile.py',
          'python',
          "A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'\n",
        );
        const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
          textDocument: { uri: 'file:///hostile.py' },
          position: { line: 0, character: 10 },
        });
        assert.ok(hover, 'the hover still answers (structure only)');
      } finally {
        await client.stop();
      }
    },
  );
}
