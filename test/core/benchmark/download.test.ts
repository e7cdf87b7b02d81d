// The download path against a local HTTP server on 127.0.0.1 serving the shared copy: good, corrupted, truncated,
// missing, slow and unreachable servers, cancellation, and that a good cached copy is never replaced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { downloadVerified } from '../../../src/core/benchmark/download';
import { PUBLISHED_FILES } from '../../../src/core/benchmark/dataSources';
import { BenchmarkDataError } from '../../../src/core/benchmark/errors';
import { sharedDataDir } from './sharedData';

type Mode = 'good' | 'corrupt' | 'truncated-close' | 'short' | 'missing' | 'hang';
let mode: Mode = 'good';
let server: Server;
let base: string;
let requests = 0;

before(async () => {
  server = createServer((req, res) => {
    requests++;
    const name = decodeURIComponent((req.url ?? '').replace(/^\/files\//, ''));
    let body: Buffer;
    try {
      body = readFileSync(join(sharedDataDir(), name));
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode === 'missing') return void res.writeHead(404).end('not found');
    if (mode === 'hang') return; // never answers
    if (mode === 'corrupt') {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 1;
    }
    if (mode === 'short') body = body.subarray(0, body.length - 10);
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/json' });
    if (mode === 'truncated-close') {
      // Announces the full length, sends half, then drops the connection.
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

// No project root above a temp folder, so the shared copy is not found and the loader must download.
const isolated = (cacheDir: string) => ({ cacheDir, env: {}, searchFrom: [tmpdir()], baseUrl: base, timeoutMs: 2000 });

test('downloads all three files into the cache, verified, then loads from the cache', async () => {
  mode = 'good';
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-dl-'));
  const phases: string[] = [];
  const b = await loadBenchmark({ ...isolated(cacheDir), onProgress: (p) => phases.push(`${p.role}:${p.phase}`) });
  assert.equal(b.origins.adversarial.via, 'download');
  assert.equal(b.origins.ops.path, join(cacheDir, 'ops.json'));
  assert.ok(phases.includes('standard:downloaded'));
  // The three files and the index built from them (indexCache.ts); nothing else, no temporary files left.
  assert.deepEqual(readdirSync(cacheDir).sort(), [
    'NAS-RobBench-201_html.json',
    'acc.json',
    'benchmark-index.bin',
    'ops.json',
  ]);
  const before = requests;
  const events: string[] = [];
  const again = await loadBenchmark({ ...isolated(cacheDir), onIndexCache: (e) => events.push(e.kind) });
  assert.equal(again.origins.standard.via, 'cache');
  assert.deepEqual(events, ['used']);
  assert.equal(requests, before);
});

async function failsWith(cacheDir: string, pattern: RegExp, kind = 'download', extra: object = {}) {
  await assert.rejects(loadBenchmark({ ...isolated(cacheDir), ...extra }), (e: unknown) => {
    assert.ok(e instanceof BenchmarkDataError, String(e));
    assert.equal(e.kind, kind);
    assert.match(e.message, pattern);
    if (kind === 'download') assert.match(e.message, /robustNas\.dataPath.*--data DIR.*ROBUST_NAS_DATA/);
    return true;
  });
  // Nothing half-written is left behind.
  assert.deepEqual(
    readdirSync(cacheDir).filter((f) => f.endsWith('.part')),
    [],
  );
}

test('a corrupted response is rejected by its sha256', async () => {
  mode = 'corrupt';
  await failsWith(
    mkdtempSync(join(tmpdir(), 'rn-dl-')),
    /has sha256 [0-9a-f]{64}, expected b3dc99b9.*corrupted download/,
  );
});

test('a response cut off mid-body is rejected', async () => {
  mode = 'truncated-close';
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /could not be downloaded|truncated/);
});

test('a complete but short response is rejected as truncated', async () => {
  mode = 'short';
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /sent 2580676 bytes, expected 2580686 \(truncated download\)/);
});

test('an HTTP error names the status', async () => {
  mode = 'missing';
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /HTTP 404/);
});

test('a server that does not answer times out', async () => {
  mode = 'hang';
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /no complete response within 300 ms/, 'download', {
    timeoutMs: 300,
  });
});

test('a server that is down gives a clear error', async () => {
  const down = createServer();
  await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
  const port = (down.address() as AddressInfo).port;
  await new Promise<void>((r) => down.close(() => r()));
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /ECONNREFUSED/, 'download', {
    baseUrl: `http://127.0.0.1:${port}/`,
  });
});

test('cancelling stops the download and leaves nothing behind', async () => {
  mode = 'hang';
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  await failsWith(mkdtempSync(join(tmpdir(), 'rn-dl-')), /cancelled/, 'cancelled', {
    signal: controller.signal,
    timeoutMs: 10_000,
  });
  await assert.rejects(
    loadBenchmark({ ...isolated(mkdtempSync(join(tmpdir(), 'rn-dl-'))), signal: AbortSignal.abort() }),
    /cancelled/,
  );
});

test('downloading off and nothing local: a missing-data error listing where it looked', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-dl-'));
  await failsWith(cacheDir, /was not found \(looked in .*\) and downloading is off/, 'missing', { download: false });
});

test('a failed download never replaces a good copy; a bad cached copy is replaced by a verified download', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rn-dl-'));
  const dest = join(dir, 'ops.json');
  const good = readFileSync(join(sharedDataDir(), 'ops.json'));
  writeFileSync(dest, good);
  mode = 'corrupt';
  await assert.rejects(
    downloadVerified(base + 'ops.json', dest, PUBLISHED_FILES.ops, { timeoutMs: 2000 }),
    /corrupted download/,
  );
  assert.ok(readFileSync(dest).equals(good));

  // A damaged cache copy is skipped (its checksum fails) and replaced once a good download is verified.
  const cacheDir = mkdtempSync(join(tmpdir(), 'rn-dl-'));
  writeFileSync(join(cacheDir, 'ops.json'), good.subarray(0, 1000));
  mode = 'good';
  const b = await loadBenchmark(isolated(cacheDir));
  assert.equal(b.origins.ops.via, 'download');
  assert.ok(readFileSync(join(cacheDir, 'ops.json')).equals(good));
  assert.deepEqual(
    readdirSync(cacheDir).filter((f) => f.startsWith('.')),
    [],
  );
});
