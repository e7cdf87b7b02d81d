import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rescan, resumableScan, scanArchitectures, type ResumableScan } from '../../../src/core/scan';
import { SeededRandom } from '../../../src/core/search/random';

/** Uniform numbers in [0, 1) from the core's seeded generator, so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const GOOD = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const LINES = [
  `    {"arch": "${GOOD}", "step": 1},`,
  "x = ('|nor_conv_3x3~0|+'\n     '|none~0|none~1|+' f'|{\"none\"}~0|none~1|none~2|')",
  "bad = '|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'",
  'op_indices = (0, 2, 3, 1, 4, 2)',
  'api.query_by_index(1234)',
  'print(a | b)',
  `'${GOOD}${GOOD.slice(1)}'`,
  `'${GOOD}||${GOOD.slice(1)}'`,
  "f'|{op}~0|+|none~0|none~1|'",
  'ordinary = code(1, 2)',
  // A run of run characters longer than a step: the two scans meet only after it.
  `'${'ab_c-'.repeat(300)}${GOOD}'`,
];
const PIECES = [
  '|',
  '+',
  '~',
  '~0',
  '~1',
  '~2',
  'none',
  'nor_conv_3x3',
  "'",
  '"',
  '{',
  '}',
  ' ',
  '\n',
  '\\\n',
  '\r\n',
  'query_by_index(',
  '(',
  ')',
  GOOD,
  `'${GOOD}'`,
  'op_indices = (0, 1',
];

function documentOf(r: () => number, lines: number): string {
  return Array.from({ length: lines }, () => LINES[Math.floor(r() * LINES.length)]).join('\n');
}

/** One random edit: an insertion, a deletion or a replacement anywhere (sometimes a large one). */
function edited(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  const what = r();
  const removed = what < 0.4 ? 0 : Math.floor(r() * (r() < 0.1 ? 5000 : 12));
  const inserted = what > 0.8 ? '' : r() < 0.05 ? LINES.join('\n') : PIECES[Math.floor(r() * PIECES.length)];
  return text.slice(0, at) + inserted + text.slice(at + removed);
}

function fresh(text: string, step: number): ResumableScan {
  const steps = resumableScan(text, 1, step);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

test('a scan resumed around an edit finds exactly what a fresh scan of the edited text finds', () => {
  const r = rng(14);
  let rescanned = 0;
  for (let doc = 0; doc < 40; doc++) {
    // Small steps put many checkpoints (and step boundaries next to edits) into documents of a few kilobytes.
    const step = [64, 300, 1000, 4096][doc % 4];
    let text = documentOf(r, 20 + Math.floor(r() * 200));
    let scan = fresh(text, step);
    assert.deepEqual(scan.occurrences, scanArchitectures(text));
    // A chain of edits, each rescan starting from the previous rescan (so its checkpoints are checked too).
    for (let k = 0; k < 25; k++) {
      const next = k % 5 === 4 ? edited(edited(text, r), r) : edited(text, r);
      scan = rescan(scan, next);
      text = next;
      assert.equal(scan.text, text);
      assert.deepEqual(scan.occurrences, scanArchitectures(text), `document ${doc}, edit ${k}`);
      rescanned++;
    }
  }
  assert.equal(rescanned, 1000);
});

test('an edit far from most of a large document rescans only the stretch around it', () => {
  const r = rng(7);
  const text = documentOf(r, 20000);
  const scan = fresh(text, 65536);
  const at = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
  const next = `${text.slice(0, at)}y = '${GOOD}'\n${text.slice(at)}`;
  const again = rescan(scan, next);
  assert.deepEqual(again.occurrences, scanArchitectures(next));
  // Strings before the edit are the same objects; strings after it were carried over (shifted), not found anew.
  const before = scan.strings.findIndex((o) => o.start > at - 70000);
  assert.ok(before > 0);
  for (let i = 0; i < before; i++) assert.equal(again.strings[i], scan.strings[i]);
  const newValues = again.strings.filter((o) => o.start > at + 70000);
  assert.ok(newValues.length > 100);
  const oldByStart = new Map(scan.strings.map((o) => [o.start + next.length - text.length, o]));
  for (const o of newValues) {
    const old = oldByStart.get(o.start);
    assert.ok(
      old,
      `a string at ${o.start} after the edit was there before it, ${next.length - text.length} characters earlier`,
    );
    // The same cell object: carried over and shifted by the inserted length, not parsed again.
    if (o.kind === 'string' && old.kind === 'string') assert.equal(o.cell, old.cell);
    else
      assert.equal(
        o.kind === 'malformed-string' ? o.errors : undefined,
        old.kind === 'malformed-string' ? old.errors : null,
      );
  }
  // The same text again costs nothing.
  assert.equal(rescan(again, next), again);
});
