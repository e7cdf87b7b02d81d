import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADVERSARIAL_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { cellToOpCode } from '../../src/core/space/cell';
import { DATASET_IDS } from '../../src/core/space/cost';
import { computeHover } from '../../src/server/hover';
import { formatAccuracy } from '../../src/server/format';
import { Commands } from '../../src/shared/commands';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { doc, firstIndex, GOOD, scan, sharedBenchmark } from './serverTestKit';

const READY = { state: 'ready', message: 'loaded' } as const;

function hoverText(text: string, character: number, bench: Awaited<ReturnType<typeof sharedBenchmark>> | undefined, settings = DEFAULT_SETTINGS, status: { state: 'ready' | 'missing' | 'loading' | 'error'; message: string } = READY) {
  const d = doc(text);
  const h = computeHover(d, scan(d), { line: 0, character }, settings, { bench, status });
  return h === null ? null : { value: (h.contents as { value: string }).value, range: h.range };
}

test('hover card of a string: index, code, every metric with rank and percentile, equal to the benchmark', async () => {
  const bench = await sharedBenchmark();
  const arch = bench.resolve(GOOD);
  assert.ok(arch.ok);
  const index = arch.arch.index;
  const h = hoverText(`a = '${GOOD}'`, 20, bench);
  assert.ok(h);
  assert.deepEqual(h.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + GOOD.length } });
  assert.ok(h.value.includes(`#${index}`));
  assert.ok(h.value.includes(cellToOpCode(arch.arch.cell)));
  assert.ok(h.value.includes(`\`${GOOD}\``));
  const results = bench.results(arch.arch.representativeIndex);
  for (const dataset of DATASET_IDS) {
    for (const metric of ADVERSARIAL_METRIC_IDS) {
      const m = results.metrics[dataset][metric];
      assert.ok(m, `${dataset} ${metric}`);
      assert.ok(h.value.includes(`${formatAccuracy(m.value)} #${m.rank} / ${m.of} p${m.percentile.toFixed(1)}`), `${dataset} ${metric}`);
    }
  }
  // Configured dataset and metric in bold: the PGD@8 x CIFAR-10 cell.
  const pgd8 = bench.metric(index, 'cifar10', 'pgd@8')!;
  assert.ok(h.value.includes(`**${formatAccuracy(pgd8.value)} #${pgd8.rank} / ${pgd8.of} p${pgd8.percentile.toFixed(1)}**`));
  assert.ok(h.value.includes('**CIFAR-10**'));
  assert.ok(h.value.includes('Standard training (Jung et al. 2023)'));
  const stdClean = results.metrics.cifar10['std:clean'];
  assert.ok(stdClean && h.value.includes(formatAccuracy(stdClean.value)));
  for (const c of [Commands.showCellDiagram, Commands.addToComparison, Commands.copyAs]) assert.ok(h.value.includes(`command:${c}?`), c);
});

test('the configured dataset and metric move the emphasis', async () => {
  const bench = await sharedBenchmark();
  const h = hoverText(`'${GOOD}'`, 3, bench, coerceSettings({ dataset: 'cifar100', metric: 'autoattack' }));
  const r = bench.resolve(GOOD);
  assert.ok(r.ok && h);
  const m = bench.metric(r.arch.index, 'cifar100', 'autoattack')!;
  assert.ok(h.value.includes('**CIFAR-100**') && h.value.includes('| **AutoAttack@8** |'));
  assert.ok(h.value.includes(`**${formatAccuracy(m.value)} #${m.rank}`));
});

test('hover on an index and a NASLib tuple of a non-evaluated cell names the representative', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const arch = bench.archOfIndex(i);
  const byIndex = hoverText(`api.query_by_index(${i})`, 20, bench);
  assert.ok(byIndex && byIndex.value.includes(`#${i}`) && byIndex.value.includes(`Isomorphic to **#${arch.representativeIndex}**`));
  const tuple = `(${arch.naslib.join(', ')})`;
  const byTuple = hoverText(`op_indices = ${tuple}`, 15, bench);
  assert.ok(byTuple && byTuple.value.includes(`#${i}`) && byTuple.value.includes(arch.archString));
  const rep = bench.archOfIndex(arch.representativeIndex);
  const pgd = bench.metric(rep.index, 'cifar10', 'pgd@8')!;
  assert.ok(byTuple.value.includes(`${formatAccuracy(pgd.value)} #${pgd.rank}`));
});

test('without data the hover still describes the cell and says exactly how to provide the data', () => {
  const h = hoverText(`'${GOOD}'`, 3, undefined, DEFAULT_SETTINGS, { state: 'missing', message: 'ops.json does not exist.' });
  assert.ok(h);
  assert.ok(h.value.includes('ops.json does not exist.'));
  assert.ok(h.value.includes('`robustNas.dataPath`') && h.value.includes('`ROBUST_NAS_DATA`'));
  assert.ok(h.value.includes(`command:${Commands.locateData}`));
  assert.ok(h.value.includes('Params') && h.value.includes('NASLib'));
  const idx = hoverText('api.query_by_index(12)', 20, undefined, DEFAULT_SETTINGS, { state: 'loading', message: 'Loading…' });
  assert.ok(idx && idx.value.includes('loading'));
});

test('no hover on malformed strings, out-of-range indices, or plain text', async () => {
  const bench = await sharedBenchmark();
  assert.equal(hoverText(`'|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'`, 4, bench), null);
  assert.equal(hoverText('api.query_by_index(99999)', 21, bench), null);
  assert.equal(hoverText('hello world', 3, bench), null);
});
