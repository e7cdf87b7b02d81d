// What users are told when the benchmark cannot be loaded: missing, download failed and damaged told apart, each
// in one line, from the errors the real loader throws (not hand-made ones).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeDataProblem } from '../../../src/core/benchmark/dataProblem';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { findProjectRoot, sharedDataCandidates } from '../../../src/core/benchmark/projectRoot';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

async function failure(options: Parameters<typeof loadBenchmark>[0]): Promise<unknown> {
  return loadBenchmark(options).then(
    () => assert.fail('expected the load to fail'),
    (e: unknown) => e,
  );
}

test('a named folder without the files is "missing", in one line, with no talk of damage', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'robust-nas-nodata-'));
  try {
    const p = describeDataProblem(await failure({ dataDir: empty }));
    assert.equal(p.kind, 'missing');
    assert.equal(p.summary, `Benchmark data not found (NAS-RobBench-201_html.json is missing in ${empty})`);
    assert.doesNotMatch(p.detail, /damaged/);
    assert.doesNotMatch(p.summary, /\n/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('nothing found locally and a download that fails is "download failed", naming the HTTP problem', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'robust-nas-nodata-'));
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  try {
    const p = describeDataProblem(
      await failure({ cacheDir: cache, searchFrom: [cache], env: {}, baseUrl: `http://127.0.0.1:${port}/` }),
    );
    assert.equal(p.kind, 'download-failed');
    assert.equal(p.summary, 'No benchmark data: the download failed (HTTP 404 Not Found)');
    assert.doesNotMatch(p.detail, /damaged/);
  } finally {
    server.close();
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a truncated copy in a named folder is "damaged", and its remedy says how to replace it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-nodata-'));
  try {
    for (const name of ['NAS-RobBench-201_html.json', 'acc.json'])
      symlinkSync(join(SHARED_DATA_DIR, name), join(dir, name));
    writeFileSync(join(dir, 'ops.json'), '{"0": "0000');
    const p = describeDataProblem(await failure({ dataDir: dir }));
    assert.equal(p.kind, 'damaged');
    assert.ok(p.summary.startsWith(`Benchmark data damaged: ${join(dir, 'ops.json')} has `), p.summary);
    assert.match(p.summary, /has \d+ bytes, expected \d+/);
    assert.match(p.detail, /Replace it with the published file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an installed extension (no src/) never takes a shared/ folder above it for the development copy', () => {
  const base = mkdtempSync(join(tmpdir(), 'robust-nas-installed-'));
  try {
    const installed = join(base, 'extensions', 'robust-nas.robust-nas-0.1.0');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'robust-nas' }));
    mkdirSync(join(base, 'shared', 'data', 'nas-robbench-201'), { recursive: true });
    assert.equal(findProjectRoot(installed), installed);
    assert.deepEqual(sharedDataCandidates(installed), []);
    // A checkout beside the same shared/ folder does use it.
    mkdirSync(join(installed, 'src'));
    assert.ok(sharedDataCandidates(installed).includes(join(base, 'shared', 'data', 'nas-robbench-201')));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
