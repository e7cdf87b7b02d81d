import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import {
  computeDiagnostics,
  diagnosticsToPublish,
  MAX_PUBLISHED_DIAGNOSTICS,
  publishedDiagnostics,
} from '../../src/server/diagnostics';
import { SeededRandom } from '../../src/core/search/random';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { DEAD_EDGE, doc, firstIndex, GOOD, scan, sharedBenchmark } from './serverTestKit';

/** Diagnostic messages may be Markdown in LSP 3.18; ours are plain strings. */
function msg(d: { message: string | { value: string } }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function diagnose(
  text: string,
  bench: Awaited<ReturnType<typeof sharedBenchmark>> | undefined,
  settings = DEFAULT_SETTINGS,
) {
  const d = doc(text);
  const diagnostics = computeDiagnostics(d, scan(d), settings, bench);
  return { d, diagnostics, textOf: (i: number) => d.getText(diagnostics[i].range) };
}

test('malformed strings: one error per bad token, with its exact range and what was expected', async () => {
  const text = `a = '|nor_conv3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~1|'`;
  const { diagnostics, textOf } = diagnose(text, await sharedBenchmark());
  assert.deepEqual(
    diagnostics.map((x) => [x.code, x.severity]),
    [
      ['unknown-op', DiagnosticSeverity.Error],
      ['wrong-input', DiagnosticSeverity.Error],
    ],
  );
  assert.equal(textOf(0), 'nor_conv3x3');
  assert.match(msg(diagnostics[0]), /did you mean 'nor_conv_3x3'/);
  assert.equal(textOf(1), '1');
  assert.equal(diagnostics[1].range.start.character, text.length - 3);
  assert.match(msg(diagnostics[1]), /~2/);
});

test('syntax diagnostics work without data; data-backed ones then stay away', () => {
  const bad = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_conect~2|';
  const { diagnostics, textOf } = diagnose(`x = "${bad}"\ny = "${GOOD}"\nz = api.query_by_index(3)`, undefined);
  assert.deepEqual(
    diagnostics.map((x) => x.code),
    ['unknown-op'],
  );
  assert.equal(textOf(0), 'skip_conect');
});

test('a cell evaluated as another member of its class gets the isomorphism diagnostic at the configured severity', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const arch = bench.archOfIndex(i);
  const rep = bench.archOfIndex(arch.representativeIndex);
  const text = `a = '${arch.archString}'\nb = api.query_by_index(${i})\nc = '${rep.archString}'`;
  const { diagnostics, textOf } = diagnose(text, bench);
  const iso = diagnostics.filter((x) => x.code === 'isomorphic');
  assert.equal(iso.length, 2);
  assert.equal(iso[0].severity, DiagnosticSeverity.Information);
  assert.equal(textOf(diagnostics.indexOf(iso[0])), arch.archString);
  assert.equal(textOf(diagnostics.indexOf(iso[1])), String(i));
  assert.ok(msg(iso[0]).includes(`#${rep.index}`) && msg(iso[0]).includes(rep.archString));
  const warning = diagnose(
    text,
    bench,
    coerceSettings({ diagnostics: { isomorphismSeverity: 'warning' } }),
  ).diagnostics.filter((x) => x.code === 'isomorphic');
  assert.deepEqual(
    warning.map((x) => x.severity),
    [DiagnosticSeverity.Warning, DiagnosticSeverity.Warning],
  );
  const off = diagnose(text, bench, coerceSettings({ diagnostics: { isomorphismSeverity: 'off' } })).diagnostics.filter(
    (x) => x.code === 'isomorphic',
  );
  assert.deepEqual(off, []);
});

test('dead edges are Hints tagged Unnecessary on exactly the op token', async () => {
  const { diagnostics, textOf } = diagnose(`cell: "${DEAD_EDGE}"`, await sharedBenchmark());
  const dead = diagnostics.filter((x) => x.code === 'dead-edge');
  assert.equal(dead.length, 1);
  assert.equal(dead[0].severity, DiagnosticSeverity.Hint);
  assert.deepEqual(dead[0].tags, [DiagnosticTag.Unnecessary]);
  assert.equal(textOf(diagnostics.indexOf(dead[0])), 'avg_pool_3x3');
  assert.equal(dead[0].range.start.character, 8);
  assert.match(msg(dead[0]), /0->1/);
});

test('the same cell written twice: a Hint on the repeat, related to the first', async () => {
  const text = `a = '${GOOD}'\n\nb = '${GOOD}'`;
  const { diagnostics } = diagnose(text, await sharedBenchmark());
  const dup = diagnostics.filter((x) => x.code === 'duplicate-cell');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].severity, DiagnosticSeverity.Hint);
  assert.equal(dup[0].range.start.line, 2);
  assert.equal(dup[0].relatedInformation?.[0].location.range.start.line, 0);
  assert.equal(dup[0].relatedInformation?.[0].location.range.start.character, 5);
});

test('indices out of range and bad op_indices lists are warnings', async () => {
  const { diagnostics, textOf } = diagnose(
    'api.query_by_index(15625)\nop_indices = (0, 1, 2)',
    await sharedBenchmark(),
  );
  assert.deepEqual(
    diagnostics.map((x) => [x.code, x.severity]),
    [
      ['index-out-of-range', DiagnosticSeverity.Warning],
      ['naslib-invalid', DiagnosticSeverity.Warning],
    ],
  );
  assert.equal(textOf(0), '15625');
  assert.equal(textOf(1), '(0, 1, 2)');
});

test('a file with more findings than are published keeps errors and warnings first and says how many there are', async () => {
  const bench = await sharedBenchmark();
  // 1,500 lines of one dead-edge cell (a dead edge each, a duplicate from the second on), then a typo and a bad index.
  const text = `${`x = '${DEAD_EDGE}'\n`.repeat(1500)}y = '|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'\napi.query_by_index(99999)\n`;
  const d = doc(text);
  const all = computeDiagnostics(d, scan(d), DEFAULT_SETTINGS, bench);
  assert.ok(all.length > 3000);
  const sent = publishedDiagnostics(all);
  assert.equal(sent.length, MAX_PUBLISHED_DIAGNOSTICS);
  assert.equal(sent[0].code, 'more-diagnostics');
  assert.deepEqual(sent[0].range.start, { line: 0, character: 0 });
  assert.match(
    sent[0].message as string,
    new RegExp(`found ${all.length.toLocaleString('en-US')} problems and notes in this file and shows 999 of them`),
  );
  // The error and the warning at the end of the file are kept; the hints kept are the first ones.
  assert.ok(sent.some((x) => x.code === 'unknown-op' && x.range.start.line === 1500));
  assert.ok(sent.some((x) => x.code === 'index-out-of-range' && x.range.start.line === 1501));
  const lines = sent.slice(1).map((x) => x.range.start.line);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
    'in document order',
  );
  assert.ok(
    Math.max(...sent.filter((x) => x.severity === DiagnosticSeverity.Hint).map((x) => x.range.start.line)) < 600,
  );
  // Within the limit nothing changes.
  assert.deepEqual(publishedDiagnostics(all.slice(0, 10)), all.slice(0, 10));
  // The server builds only the published ones, and publishes exactly these.
  const published = diagnosticsToPublish(d, scan(d), DEFAULT_SETTINGS, bench);
  assert.equal(published.total, all.length);
  assert.deepEqual(published.diagnostics, sent);
});

test('the server builds only the published diagnostics and publishes the same ones, in the same order', async () => {
  const bench = await sharedBenchmark();
  const random = new SeededRandom(14);
  const lines = [
    `a = '${GOOD}'`,
    `b = '${DEAD_EDGE}'`,
    "c = '|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'",
    'api.query_by_index(99999)',
    'op_indices = (0, 2, 3, 1, 4, 2)',
    'op_indices = (0, 2)',
    `d = ('${DEAD_EDGE.slice(0, 20)}'\r\n     '${DEAD_EDGE.slice(20)}')`,
    'api.query_by_index(1234)',
    `e = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'`,
  ];
  for (let i = 0; i < 120; i++) {
    const text = Array.from(
      { length: 5 + Math.floor(random.next() * 60) },
      () => lines[Math.floor(random.next() * lines.length)],
    ).join(random.next() < 0.5 ? '\n' : '\r\n');
    const d = doc(text);
    const occurrences = scan(d);
    const settings =
      i % 3 === 0 ? coerceSettings({ diagnostics: { isomorphismSeverity: 'warning' } }) : DEFAULT_SETTINGS;
    const withData = i % 4 === 3 ? undefined : bench;
    const all = computeDiagnostics(d, occurrences, settings, withData);
    for (const max of [
      1000,
      Math.max(2, all.length),
      Math.max(2, all.length - 1),
      2 + Math.floor(random.next() * all.length),
    ]) {
      const published = diagnosticsToPublish(d, occurrences, settings, withData, max);
      assert.equal(published.total, all.length);
      assert.deepEqual(published.diagnostics, publishedDiagnostics(all, max), `document ${i}, at most ${max}`);
    }
  }
});
