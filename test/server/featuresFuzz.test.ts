import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCodeActions } from '../../src/server/codeActions';
import { computeCodeLenses } from '../../src/server/codeLenses';
import { computeCompletions } from '../../src/server/completion';
import { computeDiagnostics } from '../../src/server/diagnostics';
import { computeHover } from '../../src/server/hover';
import { computeInlayHints } from '../../src/server/inlayHints';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { DEAD_EDGE, doc, GOOD, scan, sharedBenchmark } from './serverTestKit';
import { SeededRandom } from '../../src/core/search/random';

/** Uniform numbers in [0, 1) from the core's seeded generator, so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const BASE = [
  `a = '${GOOD}'`,
  `b = ("${DEAD_EDGE.slice(0, 20)}"\n     "${DEAD_EDGE.slice(20)}")`,
  'api.query_by_index(1234)',
  'arch_index: 20000',
  'op_indices = (0, 2, 3, 1, 4, 2)',
  "'|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'",
  "x = '|'",
  '| a | b |',
].join('\n');
const PIECES = [
  '|',
  '+',
  '~',
  '~1',
  "'",
  '"',
  '{',
  '}',
  '\n',
  'none',
  'nor_conv_3x3',
  '(',
  ')',
  ',',
  '5',
  '\r\n',
  '\ud83d',
];

test('every feature answers on mutated documents at random positions without throwing', async () => {
  const bench = await sharedBenchmark();
  const r = rng(99);
  for (let i = 0; i < 600; i++) {
    let text = BASE;
    for (let k = 0; k < 1 + Math.floor(r() * 6); k++) {
      const at = Math.floor(r() * (text.length + 1));
      text =
        r() < 0.5
          ? text.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + text.slice(at)
          : text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 4));
    }
    const d = doc(text);
    const occ = scan(d);
    const withData = i % 2 === 0 ? bench : undefined;
    const diagnostics = computeDiagnostics(d, occ, DEFAULT_SETTINGS, withData);
    for (const x of diagnostics) assert.ok(d.offsetAt(x.range.start) <= d.offsetAt(x.range.end));
    const offset = Math.floor(r() * (text.length + 1));
    const position = d.positionAt(offset);
    const range = { start: d.positionAt(Math.max(0, offset - 40)), end: position };
    computeHover(d, occ, position, DEFAULT_SETTINGS, { bench: withData, status: { state: 'ready', message: '' } });
    computeCodeActions(d, occ, range, diagnostics, withData);
    computeCompletions(d, offset, DEFAULT_SETTINGS, withData);
    computeInlayHints(
      d,
      occ,
      { start: { line: 0, character: 0 }, end: d.positionAt(text.length) },
      DEFAULT_SETTINGS,
      withData,
    );
    computeCodeLenses(d, occ, withData);
  }
});
