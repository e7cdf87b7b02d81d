import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import { NtkResultCache, ntkCacheKey } from '../../src/core/ntk/cache';
import { canonicalCell } from '../../src/core/ntk/canonical';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { loadInputs } from '../../src/core/ntk/inputs/load';
import { ntkJobOptions } from '../../src/core/ntk/jobOptions';
import type { NtkJobOptions } from '../../src/core/ntk/pool';
import { NtkResultIndex } from '../../src/core/ntk/resultLookup';
import { computeNtkScoresSync, type NtkResult } from '../../src/core/ntk/scores';
import { SweepWriter } from '../../src/core/ntk/sweepFile';
import { sweepHeader } from '../../src/core/ntk/sweepScope';
import type { Cell } from '../../src/core/space/cell';
import { computeHover } from '../../src/server/hover';
import { Commands } from '../../src/shared/commands';
import { formatKernelNumber } from '../../src/shared/ntkFormat';
import { renderCellDetails } from '../../src/server/hoverCard';
import { CellDetailsRequest, NtkResultsChangedNotification } from '../../src/shared/protocol';
import { coerceSettings, ntkConfigOf } from '../../src/shared/settings';
import { TestLspClient } from './lspClient';
import { doc, firstIndex, scan, sharedBenchmark } from './serverTestKit';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { commandLinks as renderedLinks, renderMarkdown } from '../helpers/renderedMarkdown';

// A tiny NTK configuration (C=2, N=1, 3 synthetic inputs, FGSM) so real scores are computed here in milliseconds.
const rawSettings = {
  ntk: { channels: 2, cellsPerStage: 1, n: 3, attack: 'fgsm', seed: 5, variants: ['clean', 'robust'] },
};
const settings = coerceSettings(rawSettings);
const options: NtkJobOptions = ntkJobOptions(ntkConfigOf(settings));
const READY = { state: 'ready', message: 'loaded' } as const;

function score(cell: Cell): NtkResult {
  const { inputs, ...rest } = options;
  return computeNtkScoresSync(canonicalCell(cell), { options: rest, inputs: loadInputs(inputs), backend: jsBackend() });
}

/** The command links of a hover, decoded: `[command, args]`. */
function commandLinks(markdown: string): [string, unknown[]][] {
  return renderedLinks(markdown).map((l) => [l.command, l.args]);
}

describe('NTK scores in the hover card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-hover-'));
  const cacheDir = join(dir, 'cache');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a cached class shows its scores with what they were computed with; another class offers to compute them', async () => {
    const bench = await sharedBenchmark();
    // A class with more than one member: a member not evaluated by the benchmark, and its representative.
    const member = bench.archOfIndex(firstIndex(bench, false));
    const representative = bench.archOfIndex(member.representativeIndex);
    // As the worker stores it: with the back end that ran, which the details name.
    const result = { ...score(representative.cell), backend: 'wasm-fma' as const, threads: 2 };
    new NtkResultCache(cacheDir).put(ntkCacheKey(representative.cell, options), result);
    const store = new NtkResultIndex(cacheDir);
    const text = `a = '${representative.archString}'`;
    const d = doc(text);
    const h = computeHover(d, scan(d), { line: 0, character: 10 }, settings, { bench, status: READY, ntk: store });
    const card = (h!.contents as { value: string }).value;
    // The card says the scores are stored (one click away); the details report shows them.
    const cardLink = commandLinks(card).find(([c]) => c === Commands.computeNtkScores);
    assert.ok(cardLink && card.includes('[NTK scores]('), card);
    const value = renderCellDetails(representative.cell, bench, settings, { ntk: store }).markdown;
    assert.match(
      renderMarkdown(value).text,
      /NTK at initialisation · fixed-bn kernel · C=2 N=1 · 3 synthetic inputs \(CIFAR-10 shape\) · FGSM 8\/255 · seed 5 · wasm-fma engine · from the NTK cache/,
    );
    for (const variant of ['clean', 'robust'] as const) {
      const s = result.variants[variant]!;
      assert.ok(
        value.includes(
          `| ${variant} | ${formatKernelNumber(s.frobenius)} | ${formatKernelNumber(s.trace)} | ${formatKernelNumber(s.conditionNumber)} |`,
        ),
        `${variant} row in:\n${value}`,
      );
    }

    // Another member of the same isomorphism class shares the entry.
    const vm = renderCellDetails(member.cell, bench, settings, { ntk: store }).markdown;
    assert.ok(vm.includes(`| clean | ${formatKernelNumber(result.variants.clean!.frobenius)} |`), vm);

    // Another class offers to compute its scores with exactly this configuration.
    const other = bench.archOfIndex(bench.evaluatedIndices[100]);
    const d2 = doc(`b = '${other.archString}'`);
    const h2 = computeHover(d2, scan(d2), { line: 0, character: 10 }, settings, { bench, status: READY, ntk: store });
    const v2 = (h2!.contents as { value: string }).value;
    assert.ok(v2.includes('[Compute NTK scores]('), v2);
    assert.match(
      renderCellDetails(other.cell, bench, settings, { ntk: store }).markdown,
      /\*\*NTK\*\* not computed yet for this class with the configured settings \(fixed-bn kernel, C=2 N=1 network, 3 synthetic inputs, seed 5\)/,
    );
    const link = commandLinks(v2).find(([c]) => c === Commands.computeNtkScores);
    assert.ok(link, 'a Compute NTK scores link');
    assert.deepEqual(link[1], [other.archString, { config: JSON.parse(JSON.stringify(ntkConfigOf(settings))) }]);
    // The link's configuration gives the same cache key the hover looked up.
    assert.equal(
      ntkCacheKey(other.cell, ntkJobOptions((link[1][1] as { config: Parameters<typeof ntkJobOptions>[0] }).config)),
      ntkCacheKey(other.cell, options),
    );

    // Other NTK settings: the cached scores are not theirs.
    const exact = coerceSettings({ ntk: { ...rawSettings.ntk, kernel: 'exact' } });
    const h3 = computeHover(d, scan(d), { line: 0, character: 10 }, exact, { bench, status: READY, ntk: store });
    assert.ok((h3!.contents as { value: string }).value.includes('[Compute NTK scores]('));
    assert.match(
      renderCellDetails(representative.cell, bench, exact, { ntk: store }).markdown,
      /\*\*NTK\*\* not computed yet .*exact kernel/,
    );
  });

  test("sweep rows show with the class's rank among the sweep; bad input settings are explained", async () => {
    const bench = await sharedBenchmark();
    const indices = [...bench.evaluatedIndices].slice(200, 203);
    const file = join(dir, 'sweep.jsonl');
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'sample', k: 3 }));
    const results = indices.map((i) => score(bench.archOfIndex(i).cell));
    indices.forEach((index, k) => writer.append({ type: 'result', index, result: results[k] }));
    writer.close();
    const store = new NtkResultIndex(join(dir, 'empty-cache'), [file]);
    const robust = results.map((r) => r.variants.robust!.frobenius);
    for (let k = 0; k < 3; k++) {
      const value = renderCellDetails(bench.archOfIndex(indices[k]).cell, bench, settings, { ntk: store }).markdown;
      assert.ok(value.includes('from the sweep `sweep.jsonl`'), value);
      const rank = 1 + robust.filter((v) => v > robust[k]).length;
      assert.ok(
        value.includes(`| robust | ${formatKernelNumber(robust[k])} |`) && value.includes(`#${rank} / 3 |`),
        value,
      );
    }
    const bad = coerceSettings({ ntk: { ...rawSettings.ntk, inputs: 'mnist:/data' } });
    const value = renderCellDetails(bench.archOfIndex(indices[0]).cell, bench, bad, { ntk: store }).markdown;
    assert.match(
      renderMarkdown(value).text,
      /the setting robustNas\.ntk\.inputs cannot be used: .*"synthetic" or <dataset>:<folder>/,
    );
  });
});

describe('stored results the hover cannot show', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-bad-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a cache entry whose network size is not numbers is skipped, logged once, and the class offers to compute', async () => {
    const bench = await sharedBenchmark();
    const arch = bench.archOfIndex(bench.evaluatedIndices[7]);
    const good = score(arch.cell);
    const bad = {
      ...good,
      size: { ...good.size, channels: '[Click](command:robustNas.ntkSweep)' },
    } as unknown as NtkResult;
    new NtkResultCache(join(dir, 'cache')).put(ntkCacheKey(arch.cell, options), bad);
    const store = new NtkResultIndex(join(dir, 'cache'));
    const logs: string[] = [];
    const d = doc(`a = '${arch.archString}'`);
    for (let k = 0; k < 3; k++) {
      const h = computeHover(d, scan(d), { line: 0, character: 10 }, settings, {
        bench,
        status: READY,
        ntk: store,
        log: (m) => logs.push(m),
      });
      assert.ok((h!.contents as { value: string }).value.includes('[Compute NTK scores]('));
    }
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0], /NTK result skipped: the result of class #\d+ in the NTK cache .* has no network size/);
    const details = renderCellDetails(arch.cell, bench, settings, { ntk: store }).markdown;
    assert.match(details, /\*\*NTK\*\* not computed yet/);
    assert.ok(!details.includes('command:'));
  });
});

describe('the language server reads NTK results where the extension says they are', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-lsp-'));
  // An empty default cache, so nothing from the machine's own cache shows up.
  const client = new TestLspClient(
    { dataPath: SHARED_DATA_DIR, ...rawSettings },
    { ROBUST_NAS_NTK_CACHE: join(dir, 'default-cache') },
  );
  const uri = 'file:///ntk/hover.py';
  before(async () => {
    await client.initialize({ ntk: { cacheDir: join(dir, 'cache'), sweepFiles: [] } });
    await client.waitForData('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('initializationOptions name the cache; robustNas/ntkResultsChanged adds sweep files; the next hover shows them', async () => {
    const bench = await sharedBenchmark();
    const cached = bench.archOfIndex(bench.evaluatedIndices[300]);
    const swept = bench.archOfIndex(bench.evaluatedIndices[301]);
    const text = `A = '${cached.archString}'\nB = '${swept.archString}'\n`;
    await client.open(uri, 'python', text);
    const details = async (arch: string) => {
      const r = await client.connection.sendRequest(CellDetailsRequest.type, { text: arch, textDocument: { uri } });
      assert.ok(r.ok);
      return r.markdown;
    };
    const hover = async (line: number) =>
      (
        (await client.connection.sendRequest<Hover | null>('textDocument/hover', {
          textDocument: { uri },
          position: { line, character: 10 },
        }))!.contents as { value: string }
      ).value;

    assert.ok((await hover(0)).includes('[Compute NTK scores]('));
    assert.match(await details(cached.archString), /NTK\*\* not computed yet/);
    const a = score(cached.cell);
    new NtkResultCache(join(dir, 'cache')).put(ntkCacheKey(cached.cell, options), a);
    assert.ok((await hover(0)).includes('[NTK scores]('));
    assert.ok(
      (await details(cached.archString)).includes(`| clean | ${formatKernelNumber(a.variants.clean!.frobenius)} |`),
    );

    assert.match(await details(swept.archString), /NTK\*\* not computed yet/);
    const file = join(dir, 'sweep.jsonl');
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'all' }));
    const b = score(swept.cell);
    writer.append({ type: 'result', index: swept.index, result: b });
    writer.close();
    // The server handles messages in order: the request after the notification sees the new file.
    await client.connection.sendNotification(NtkResultsChangedNotification.method, {
      cacheDir: join(dir, 'cache'),
      sweepFiles: [file],
    });
    assert.ok((await hover(1)).includes('[NTK scores]('));
    const value = await details(swept.archString);
    assert.ok(
      value.includes('from the sweep `sweep.jsonl`') &&
        value.includes(`| robust | ${formatKernelNumber(b.variants.robust!.frobenius)} |`),
      value,
    );
  });
});
