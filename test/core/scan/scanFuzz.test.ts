import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatArchString } from '../../../src/core/space/cell';
import { parseArchString } from '../../../src/core/space/parse';
import { documentRangeOf, scanArchitectures } from '../../../src/core/scan';
import { SeededRandom } from '../../../src/core/search/random';
import { assertSubquadraticTime } from '../../helpers/timeBound';

/** Uniform numbers in [0, 1) from the core's seeded generator, so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const SAMPLES = [
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  '|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|',
  "('|nor_conv_3x3~0|+'\n '|none~0|none~1|+' f'|{\"none\"}~0|none~1|none~2|')",
  'op_indices = (0, 2, 3, 1, 4, 2)',
  'api.query_by_index(1234)',
  'arch_index="99"',
];
const PIECES = [
  '|',
  '+',
  '~',
  '~0',
  '~1',
  '~2',
  '~9',
  'none',
  'skip_connect',
  'nor_conv_3x3',
  'nor_conv1x1',
  'avg_pool',
  "'",
  '"',
  '`',
  '{',
  '}',
  "{'",
  "'}",
  ' ',
  '\n',
  '\\\n',
  'f',
  '%s',
  '(',
  ')',
  ',',
  '0',
  '12',
  'op_indices = (',
  'query_by_index(',
  '\u00e9',
  '\ud83d\ude00',
  '\r\n',
];

function mutate(s: string, r: () => number): string {
  let out = s;
  const steps = 1 + Math.floor(r() * 4);
  for (let k = 0; k < steps; k++) {
    const at = Math.floor(r() * (out.length + 1));
    const what = r();
    if (what < 0.3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 5));
    else if (what < 0.7) out = out.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + out.slice(at);
    else out = out.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 95)) + out.slice(at + 1);
  }
  return out;
}

function checkScan(text: string) {
  const occ = scanArchitectures(text);
  let prevEnd = 0;
  for (const o of occ) {
    assert.ok(
      o.start >= prevEnd && o.start <= o.end && o.end <= text.length,
      `bounds of ${o.kind} in ${JSON.stringify(text)}`,
    );
    prevEnd = o.end;
    if (o.kind === 'string' || o.kind === 'malformed-string') {
      const joined = o.segments.map((s) => text.slice(s.start, s.start + s.length)).join('');
      assert.equal(joined, o.value, `segments of ${JSON.stringify(text)}`);
      assert.equal(o.segments[0].start, o.start);
    }
    // Inputs may be written `~00` (NAS-Bench-201 reads them with int()), so compare cells, not text.
    if (o.kind === 'string') assert.deepEqual(parseArchString(formatArchString(o.cell)), parseArchString(o.value));
    if (o.kind === 'malformed-string') {
      assert.ok(o.errors.length > 0);
      for (const e of o.errors) {
        assert.ok(e.offset >= 0 && e.offset + e.length <= o.value.length, `error offset in ${JSON.stringify(o.value)}`);
        const r = documentRangeOf(o.segments, e.offset, e.length);
        assert.ok(r.start >= o.start && r.end <= o.end && r.start <= r.end);
      }
    }
  }
}

function checkParse(text: string) {
  const r = parseArchString(text);
  if (r.ok) assert.deepEqual(parseArchString(formatArchString(r.cell)), r);
  else for (const e of r.errors) assert.ok(e.offset >= 0 && e.offset <= text.length && e.message.length > 0);
}

test('scanner and parser never throw and keep their invariants on mutated architecture text', () => {
  const r = rng(20240601);
  for (let i = 0; i < 4000; i++) {
    const base = SAMPLES[i % SAMPLES.length];
    const text = mutate(i % 3 === 0 ? `x = ${base}\n${base}` : base, r);
    checkScan(text);
    checkParse(text);
  }
});

test('scanner and parser never throw on random text built from architecture pieces and arbitrary code units', () => {
  const r = rng(7);
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const n = Math.floor(r() * 60);
    for (let k = 0; k < n; k++)
      text += r() < 0.8 ? PIECES[Math.floor(r() * PIECES.length)] : String.fromCharCode(Math.floor(r() * 0xffff));
    checkScan(text);
    checkParse(text);
  }
});

test('pathological inputs (long runs, many breaks, many pipes) are handled', () => {
  const inputs = [
    '|a~0'.repeat(50000),
    "'|nor_conv_3x3~0|+' ".repeat(20000),
    '|'.repeat(100000),
    '~'.repeat(100000),
    `'${'|none~0|+'.repeat(30000)}'`,
    'op_indices = ('.repeat(20000),
    'query_by_index('.repeat(20000),
    "{'".repeat(50000),
  ];
  for (const text of inputs) {
    checkScan(text);
    checkParse(text);
  }
});

/**
 * Text made of one piece repeated: the shapes that made scanners quadratic (issue 10: `'op_indices'.repeat(k)` took
 * 2.2 s at 100 KB and 200 s at 1 MB, and the server could not answer or cancel meanwhile) plus the neighbours of
 * every rule: names in each case style, pipes next to breaks and placeholders, keyword and call prefixes.
 */
const REPEATED_SHAPES = [
  'op_indices',
  'OP_INDICES',
  '_op_indices',
  'opIndices',
  'xOpIndices',
  'op_indices_',
  'op_indices = (',
  'op_indices=[0,',
  'set_op_indices(',
  "'op_indices': (",
  'query_by_index(',
  'arch_index=',
  'arch_index',
  '|',
  '|a~0',
  '~',
  "|{'",
  "|'}",
  "'|nor_conv_3x3~0|+' ",
  '|none~0|+',
  "{'",
  '%s|',
  'a'.repeat(63) + '~|',
  ' ,',
];

test('the scan grows linearly on every repeated shape (time at 8n below 24x the time at n, plus 250 ms)', () => {
  for (const piece of REPEATED_SHAPES) {
    assertSubquadraticTime(
      `scan of ${JSON.stringify(piece)} repeated`,
      (size) => piece.repeat(Math.ceil(size / piece.length)),
      (text) => {
        scanArchitectures(text);
      },
      { size: 32768 },
    );
  }
});
