import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { NtkResultIndex } from '../../src/core/ntk/resultLookup';
import { readSweepFile } from '../../src/core/ntk/sweepFile';
import { computeHover } from '../../src/server/hover';
import { renderCellDetails } from '../../src/server/hoverCard';
import { classProxyScores } from '../../src/server/proxyHoverSection';
import { formatKernelNumber } from '../../src/shared/ntkFormat';
import { coerceSettings } from '../../src/shared/settings';
import { renderMarkdown } from '../helpers/renderedMarkdown';
import { writeSweepFixture } from '../helpers/ntkSweepFixture';
import { doc, scan, sharedBenchmark } from './serverTestKit';

const READY = { state: 'ready', message: 'loaded' } as const;
const settings = coerceSettings({});

/**
 * The class's training-free scores in a sweep loaded into the Correlation Charts: ranked among the file's classes on
 * the card (evaluated cells) and in the details report. The sweep is a real one computed by the core (tiny networks),
 * with zero-cost proxy values added to its rows as a proxy sweep writes them.
 */
describe('proxy ranks in the hover card and the cell details report', () => {
  let bench: BenchmarkApi;
  let dir: string;
  let file: string;
  let indices: number[];
  before(async () => {
    bench = await sharedBenchmark();
    dir = mkdtempSync(join(tmpdir(), 'proxy-hover-'));
    file = join(dir, 'proxies.jsonl');
    ({ indices } = writeSweepFixture(file, bench, { classes: 8, dataset: 'cifar10' }));
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
    const withZc = rows.map((line, k) => {
      const row = JSON.parse(line);
      row.result.proxies = { 'zc:snip': k, 'zc:snip@pgd8': 10 - k };
      return JSON.stringify(row);
    });
    writeFileSync(file, [header, ...withZc].join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("ranks: 1 = best in the proxy's direction among the file's classes; clean and robust variants paired", () => {
    const rows = readSweepFile(file).rows;
    const target = indices[2];
    const scores = classProxyScores(rows.get(target)!, rows);
    assert.deepEqual(
      scores.map((s) => s.label),
      ['NTK Θ, Frobenius norm', 'snip'],
    );
    // snip clean = k (the row's position): the third row has two rows above it; robust = 10 - k: five above it.
    assert.deepEqual(scores[1].clean, { value: 2, rank: 6, of: 8 });
    assert.deepEqual(scores[1].robust, { value: 8, rank: 3, of: 8 });
    const robustFrob = [...rows.values()].map((r) => r.result.variants.robust!.frobenius);
    const mine = rows.get(target)!.result.variants.robust!.frobenius;
    assert.equal(scores[0].robust!.rank, 1 + robustFrob.filter((v) => v > mine).length);
  });

  test('the card of an evaluated class shows one line of ranks; the report a table per sweep; unknown sweeps nothing', () => {
    const store = new NtkResultIndex(join(dir, 'cache'));
    const target = indices[2];
    const arch = bench.archOfIndex(target);
    const d = doc(`a = '${arch.archString}'`);
    const hover = (s: NtkResultIndex) =>
      (
        computeHover(d, scan(d), { line: 0, character: 10 }, settings, {
          bench,
          status: READY,
          ntk: s,
          proxies: s,
        }) as Hover
      ).contents as { value: string };
    assert.doesNotMatch(hover(store).value, /Proxy ranks/);
    store.configure(join(dir, 'cache'), [], [file]);
    const card = renderMarkdown(hover(store).value).text;
    const rows = readSweepFile(file).rows;
    const scores = classProxyScores(rows.get(target)!, rows);
    assert.ok(
      card.includes(
        `Proxy ranks in proxies.jsonl (of 8, clean / robust): NTK Θ #${scores[0].clean!.rank} / #${scores[0].robust!.rank} · snip #6 / #3`,
      ),
      card,
    );
    const details = renderCellDetails(arch.cell, bench, settings, { ntk: store, proxies: store }).markdown;
    assert.match(details, /## Training-free proxies in loaded sweeps/);
    assert.ok(
      details.includes(`| snip | ${formatKernelNumber(2)} | #6 of 8 | ${formatKernelNumber(8)} | #3 of 8 |`),
      details,
    );
    assert.ok(details.includes(formatKernelNumber(rows.get(target)!.result.variants.clean!.frobenius)), details);
    // A class the sweep did not score: no line.
    const other = bench.archOfIndex(bench.evaluatedIndices.find((i) => !indices.includes(i))!);
    const od = doc(`a = '${other.archString}'`);
    const otherCard = (
      computeHover(od, scan(od), { line: 0, character: 10 }, settings, {
        bench,
        status: READY,
        ntk: store,
        proxies: store,
      }) as Hover
    ).contents as { value: string };
    assert.doesNotMatch(otherCard.value, /Proxy ranks/);
  });
});
