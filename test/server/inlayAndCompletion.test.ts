import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionItemKind } from 'vscode-languageserver';
import { METRIC_INFO } from '../../src/core/benchmark/metrics';
import { opCountSummary } from '../../src/core/space/opSummary';
import { computeCodeLenses, MAX_LENSED_ARCHITECTURES } from '../../src/server/codeLenses';
import { computeCompletions } from '../../src/server/completion';
import { formatAccuracy } from '../../src/server/format';
import { computeInlayHints } from '../../src/server/inlayHints';
import { Commands } from '../../src/shared/commands';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { doc, firstIndex, GOOD, scan, sharedBenchmark } from './serverTestKit';

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

test('an inlay hint after each architecture shows the configured metric, value and rank', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const rep = bench.archOfIndex(i).representativeIndex;
  const text = `a = '${GOOD}'\nb = api.query_by_index(${i})\nc = '|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'`;
  const d = doc(text);
  const hints = computeInlayHints(d, scan(d), WHOLE, DEFAULT_SETTINGS, bench);
  assert.equal(hints.length, 2);
  const r = bench.resolve(GOOD);
  assert.ok(r.ok);
  const m = bench.metric(r.arch.index, 'cifar10', 'pgd@8')!;
  assert.equal(hints[0].label, `PGD@8 ${formatAccuracy(m.value)} #${m.rank}`);
  // Two decimals, as the hover card, the palette, the sidebar and the reports write accuracies.
  assert.equal(hints[0].label, `PGD@8 ${(m.value * 100).toFixed(2)}% #${m.rank}`);
  assert.deepEqual(hints[0].position, { line: 0, character: 5 + GOOD.length + 1 }); // after the closing quote
  const mi = bench.metric(rep, 'cifar10', 'pgd@8')!;
  assert.equal(hints[1].label, `PGD@8 ${formatAccuracy(mi.value)} #${mi.rank}`);

  const c100 = computeInlayHints(d, scan(d), WHOLE, coerceSettings({ dataset: 'cifar100', metric: 'clean' }), bench);
  const mc = bench.metric(r.arch.index, 'cifar100', 'clean')!;
  assert.equal(c100[0].label, `${METRIC_INFO.clean.label} ${formatAccuracy(mc.value)} #${mc.rank}`);
  assert.deepEqual(computeInlayHints(d, scan(d), WHOLE, coerceSettings({ inlayHints: { enabled: false } }), bench), []);
  assert.deepEqual(computeInlayHints(d, scan(d), WHOLE, DEFAULT_SETTINGS, undefined), []);
});

function complete(text: string, bench?: Awaited<ReturnType<typeof sharedBenchmark>>, settings = DEFAULT_SETTINGS) {
  const cursor = text.indexOf('¦');
  const d = doc(text.replace('¦', ''));
  return computeCompletions(d, cursor, settings, bench);
}

test('completion offers ops after |, the one valid input after ~, nothing outside strings', () => {
  const ops = complete("a = '|nor_conv_3x3~0|+|¦'");
  assert.deepEqual(
    ops.map((c) => c.label),
    ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'],
  );
  assert.equal((ops[3].textEdit as { newText: string }).newText, 'nor_conv_3x3~0');
  const second = complete("a = '|nor_conv_3x3~0|+|none~0|nor_c¦'");
  assert.equal((second[0].textEdit as { newText: string }).newText, 'none~1');
  assert.deepEqual((second[0].textEdit as { range: { start: { character: number } } }).range.start.character, 30);
  const input = complete("a = '|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~¦'");
  assert.deepEqual(
    input.map((c) => c.label),
    ['1'],
  );
  assert.deepEqual(complete("a = '|nor_conv_3x3~0|+|none~0|none~1|¦'"), []);
  assert.deepEqual(complete('x = a ¦'), []);
  assert.deepEqual(complete('x = a |¦'), []); // Python's `or`
  assert.deepEqual(complete('arch: |¦'), []); // a YAML block scalar
  assert.deepEqual(complete('| run | cell |¦'), []); // a Markdown table
  assert.equal(complete('cell: |nor_conv_3x3~0|+|¦').length, 5); // unquoted, but clearly an architecture string
});

test('in an empty string, | offers the best whole cells by the configured metric', async () => {
  const bench = await sharedBenchmark();
  const items = complete("a = '|¦'", bench, coerceSettings({ dataset: 'cifar100', metric: 'autoattack' }));
  const cells = items.filter((c) => c.kind === CompletionItemKind.Value);
  const top = bench.topK('cifar100', 'autoattack', cells.length);
  assert.ok(cells.length >= 10);
  // What the row shows tells the cells apart within the widget's width: index and ops counted, then the metric.
  assert.deepEqual(
    cells.map((c) => c.label),
    top.map((t) => `#${t.arch.index} ${opCountSummary(t.arch.cell)}`),
  );
  assert.equal(new Set(cells.map((c) => c.label)).size, cells.length);
  // About 55 characters fit the widget's 430 px at the default font (seen in the UI suite's screenshot): the label
  // and value always, the metric and rank (right-aligned) in what is left.
  for (const c of cells)
    assert.ok(`${c.label}${c.labelDetails?.detail}`.length <= 44, `${c.label}${c.labelDetails?.detail}`);
  assert.equal(cells[0].labelDetails?.detail, ` ${formatAccuracy(top[0].value)}`);
  assert.equal(cells[0].labelDetails?.description, `${METRIC_INFO.autoattack.label} #${top[0].rank}`);
  assert.equal(cells[0].detail, top[0].arch.archString);
  assert.equal(cells[0].filterText, top[0].arch.archString);
  assert.ok(cells[0].sortText! < items.find((c) => c.label === 'none')!.sortText!);
  assert.equal((cells[0].textEdit as { newText: string }).newText, top[0].arch.archString);
  assert.equal(complete("a = '|nor¦'", bench).filter((c) => c.kind === CompletionItemKind.Value).length, 0);
});

test("CodeLenses: the hover card's actions that have a lens title (NTK, Compare, Diagram, PyTorch), with the canonical string", () => {
  const d = doc(`a = '${GOOD}'`);
  const lenses = computeCodeLenses(d, scan(d), undefined);
  assert.deepEqual(
    lenses.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]),
    [
      ['NTK', Commands.computeNtkScores, [GOOD]],
      ['Compare', Commands.addToComparison, [GOOD]],
      ['Diagram', Commands.showCellDiagram, [GOOD]],
      ['PyTorch', Commands.exportPytorch, [GOOD]],
    ],
  );
});

test('CodeLenses of a large file: the first architectures get them, and a lens at the top says so', () => {
  const d = doc(`a = '${GOOD}'\n`.repeat(MAX_LENSED_ARCHITECTURES + 20));
  const lenses = computeCodeLenses(d, scan(d), undefined);
  assert.equal(lenses.length, 1 + 4 * MAX_LENSED_ARCHITECTURES);
  assert.deepEqual(lenses[0].range.start, { line: 0, character: 0 });
  assert.equal(lenses[0].command?.command, '');
  assert.equal(
    lenses[0].command?.title,
    `Robust NAS: lenses on the first ${MAX_LENSED_ARCHITECTURES} of ${MAX_LENSED_ARCHITECTURES + 20} architectures in this file (large file); hovers and inlay hints cover all`,
  );
  assert.equal(lenses[lenses.length - 1].range.start.line, MAX_LENSED_ARCHITECTURES - 1);
  // At the limit exactly, no note.
  const small = doc(`a = '${GOOD}'\n`.repeat(10));
  assert.equal(computeCodeLenses(small, scan(small), undefined, 10).length, 40);
});
