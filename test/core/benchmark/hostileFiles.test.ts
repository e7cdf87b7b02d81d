// A data folder named by a repository's settings can hold anything in place of the three files: a symlink to
// /dev/zero (read whole, it grew the language server to 21 GB), a FIFO (opening it blocked an I/O thread for
// good), a 1 GB file (read whole before being rejected), a directory, a /proc file. Each must be refused after a
// `stat`, quickly, naming the file and what it is, with checksums on or off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BenchmarkDataError } from '../../../src/core/benchmark/errors';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { readRegularFile, readRegularFileSync, UnsafeFileError } from '../../../src/core/files/regularFile';
import { sharedDataDir } from './sharedData';

const ADV = 'NAS-RobBench-201_html.json';
const FILES = [ADV, 'acc.json', 'ops.json'];
const root = mkdtempSync(join(tmpdir(), 'rn-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A data folder with the published files, except `ADV`, which `plant` makes into something else. */
function folderWith(name: string, plant: (path: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const f of FILES) if (f !== ADV) copyFileSync(join(sharedDataDir(), f), join(dir, f));
  plant(join(dir, ADV));
  return dir;
}

const HOSTILE: readonly { name: string; plant: (path: string) => void; problem: RegExp; kind: string }[] = [
  {
    name: 'dev-zero',
    plant: (p) => symlinkSync('/dev/zero', p),
    problem: /is a character device, not a regular file/,
    kind: 'not-a-file',
  },
  {
    name: 'fifo',
    plant: (p) => execFileSync('mkfifo', [p]),
    problem: /is a FIFO \(named pipe\), not a regular file/,
    kind: 'not-a-file',
  },
  { name: 'directory', plant: (p) => mkdirSync(p), problem: /is a directory, not a regular file/, kind: 'not-a-file' },
  {
    name: 'huge',
    kind: 'checksum',
    problem: /has 1073741824 bytes, (expected 2580686|more than the 10322744)/,
    // Sparse: 1 GB of size, no disk blocks.
    plant: (p) => {
      writeFileSync(p, '');
      truncateSync(p, 2 ** 30);
    },
  },
  {
    name: 'proc',
    plant: (p) => symlinkSync('/proc/self/status', p),
    problem: /has \d+ bytes, expected 2580686|more than/,
    kind: 'checksum',
  },
];

for (const checksums of [true, false]) {
  for (const h of HOSTILE) {
    test(
      `data file that is ${h.name} (checksums ${checksums ? 'on' : 'off'}): refused fast with the file named`,
      { timeout: 10_000 },
      async () => {
        const dir = folderWith(`${h.name}-${checksums}`, h.plant);
        const rssBefore = process.memoryUsage().rss;
        const started = performance.now();
        await assert.rejects(loadBenchmark({ dataDir: dir, verifyChecksums: checksums }), (e: unknown) => {
          assert.ok(e instanceof BenchmarkDataError, String(e));
          assert.equal(e.file, join(dir, ADV));
          // The /proc file passes as "regular" with size 0 when checksums are off: it is read (it is small) and
          // then fails as not JSON; every other kind is refused before reading.
          if (!(h.name === 'proc' && !checksums)) {
            assert.equal(e.kind, h.kind);
            assert.match(e.message, h.problem);
          }
          return true;
        });
        const seconds = (performance.now() - started) / 1000;
        assert.ok(seconds < 2, `took ${seconds.toFixed(2)} s`);
        // Nothing of the 1 GB file or of /dev/zero was read into memory.
        assert.ok(
          process.memoryUsage().rss - rssBefore < 200e6,
          `memory grew by ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`,
        );
      },
    );
  }
}

test('readRegularFile: never reads past its bound, even from a file whose size said less', async () => {
  const file = join(root, 'small.txt');
  writeFileSync(file, 'x'.repeat(1000));
  assert.equal((await readRegularFile(file, { maxBytes: 1000 })).length, 1000);
  assert.equal(readRegularFileSync(file, { maxBytes: 1000 }).length, 1000);
  for (const read of [readRegularFile, readRegularFileSync]) {
    await assert.rejects(
      async () => read(file, { maxBytes: 999 }),
      (e: unknown) => e instanceof UnsafeFileError && /has 1000 bytes, more than the 999/.test(e.message),
    );
    await assert.rejects(async () => read(file, { maxBytes: 5000, exactBytes: 1001 }), /has 1000 bytes, expected 1001/);
    // /proc files report size 0 and hold more: read up to the bound, then refused.
    await assert.rejects(
      async () => read('/proc/self/status', { maxBytes: 10 }),
      /holds more than the 10 bytes it may have/,
    );
    await assert.rejects(async () => read('/dev/zero', { maxBytes: 10 }), /is a character device/);
    await assert.rejects(
      async () => read(join(root, 'nope'), { maxBytes: 10 }),
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
    );
  }
});
