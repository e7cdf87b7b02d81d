import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatArchString,
  parseArchString,
  closestOpName,
  editDistance,
  allCells,
  opCountSummary,
  type ArchParseErrorKind,
} from '../../../src/core/space';

const VALID = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

function errorsOf(text: string) {
  const r = parseArchString(text);
  assert.equal(r.ok, false, `expected '${text}' to be rejected`);
  return r.ok ? [] : r.errors;
}

function onlyError(text: string, kind: ArchParseErrorKind) {
  const errors = errorsOf(text);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].kind, kind);
  return errors[0];
}

test('parses the canonical string into ops in edge order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3', () => {
  const r = parseArchString(VALID);
  assert.ok(r.ok);
  assert.deepEqual(
    [...r.cell],
    ['nor_conv_3x3', 'nor_conv_3x3', 'avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'skip_connect'],
  );
  assert.equal(formatArchString(r.cell), VALID);
});

test('format then parse is the identity on all 15,625 cells', () => {
  for (const cell of allCells()) {
    const r = parseArchString(formatArchString(cell));
    assert.ok(r.ok);
    assert.deepEqual(r.cell, cell);
  }
});

test('empty input', () => {
  const e = onlyError('', 'empty');
  assert.equal(e.offset, 0);
});

test('misspelt op: offset, length and the closest valid name', () => {
  const text = VALID.replace('nor_conv_3x3~0|+|nor_conv_3x3~0|avg', 'nor_conv3x3~0|+|nor_conv_3x3~0|avg');
  const e = onlyError(text, 'unknown-op');
  assert.equal(e.offset, 1);
  assert.equal(e.length, 'nor_conv3x3'.length);
  assert.equal(e.suggestion, 'nor_conv_3x3');
  assert.match(e.message, /did you mean 'nor_conv_3x3'/);
});

test('unknown op with nothing close lists the valid ops', () => {
  const e = onlyError(VALID.replace('avg_pool_3x3', 'transformer'), 'unknown-op');
  assert.equal(e.suggestion, undefined);
  assert.match(e.message, /expected one of none, skip_connect/);
  assert.equal(VALID.replace('avg_pool_3x3', 'transformer').slice(e.offset, e.offset + e.length), 'transformer');
});

test('closest op names cover common aliases and typos', () => {
  assert.equal(closestOpName('nor_conv3x3'), 'nor_conv_3x3');
  assert.equal(closestOpName('conv_1x1'), 'nor_conv_1x1');
  assert.equal(closestOpName('skip'), 'skip_connect');
  assert.equal(closestOpName('Identity'), 'skip_connect');
  assert.equal(closestOpName('avgpool'), 'avg_pool_3x3');
  assert.equal(closestOpName('avg_pol_3x3'), 'avg_pool_3x3');
  assert.equal(closestOpName('zero'), 'none');
  assert.equal(closestOpName('relu'), undefined);
  // Two neighbouring letters swapped count as one edit: the commonest typo is suggested.
  assert.equal(closestOpName('sikp'), 'skip_connect');
  assert.equal(closestOpName('ksip'), 'skip_connect');
  assert.deepEqual(
    [
      editDistance('sikp', 'skip'),
      editDistance('kitten', 'sitting'),
      editDistance('', 'abc'),
      editDistance('ca', 'abc'),
    ],
    [1, 3, 3, 3],
  );
});

test('missing op before ~', () => {
  const text = VALID.replace('|nor_conv_3x3~0|+', '|~0|+');
  const e = onlyError(text, 'unknown-op');
  assert.equal(e.offset, 1);
  assert.equal(e.length, 0);
});

test('missing ~input', () => {
  const text = VALID.replace('|nor_conv_3x3~0|+', '|nor_conv_3x3|+');
  const e = onlyError(text, 'missing-input');
  assert.equal(e.offset, '|nor_conv_3x3'.length);
  assert.equal(e.expected, '~0');
});

test('input that is not a number, and input out of range', () => {
  const notNumber = onlyError(VALID.replace('avg_pool_3x3~1', 'avg_pool_3x3~x'), 'bad-input');
  assert.equal(
    VALID.replace('avg_pool_3x3~1', 'avg_pool_3x3~x').slice(notNumber.offset, notNumber.offset + notNumber.length),
    'x',
  );
  const future = onlyError(VALID.replace('avg_pool_3x3~1', 'avg_pool_3x3~3'), 'bad-input');
  assert.match(future.message, /inputs must be earlier nodes \(0\.\.1\)/);
  const empty = onlyError(VALID.replace('avg_pool_3x3~1', 'avg_pool_3x3~'), 'bad-input');
  assert.equal(empty.length, 0);
});

test('wrong input index (inputs must be listed in order)', () => {
  const text = VALID.replace(
    '|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    '|skip_connect~1|nor_conv_3x3~0|skip_connect~2|',
  );
  const errors = errorsOf(text);
  assert.deepEqual(
    errors.map((e) => e.kind),
    ['wrong-input', 'wrong-input'],
  );
  assert.equal(errors[0].suggestion, '0');
  assert.equal(text[errors[0].offset], '1');
});

test('missing separators', () => {
  const noLead = errorsOf(VALID.slice(1));
  assert.equal(noLead[0].kind, 'expected-separator');
  assert.equal(noLead[0].offset, 0);
  const noTrail = errorsOf(VALID.slice(0, -1));
  assert.equal(noTrail.at(-1)?.kind, 'expected-separator');
  assert.equal(noTrail.at(-1)?.offset, VALID.length - 1);
});

test('empty edge between bars', () => {
  const text = VALID.replace('|nor_conv_3x3~0|avg_pool_3x3~1|', '||avg_pool_3x3~1|');
  const errors = errorsOf(text);
  assert.ok(
    errors.some((e) => e.kind === 'empty-edge'),
    JSON.stringify(errors),
  );
});

test('too few and too many edges on a node', () => {
  const few = errorsOf('|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|');
  assert.deepEqual(
    few.map((e) => e.kind),
    ['edge-count'],
  );
  assert.match(few[0].message, /Node 2 must have exactly 2 incoming edges/);
  const many = errorsOf(
    '|nor_conv_3x3~0|none~1|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  assert.equal(many[0].kind, 'edge-count');
  assert.equal(many[0].offset, '|nor_conv_3x3~0|'.length);
  assert.equal(many[0].length, 'none~1'.length);
});

test('too few and too many nodes', () => {
  const few = errorsOf('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|');
  assert.deepEqual(
    few.map((e) => e.kind),
    ['node-count'],
  );
  const many = errorsOf(VALID + '+|none~0|');
  assert.deepEqual(
    many.map((e) => e.kind),
    ['node-count'],
  );
  assert.equal(many[0].offset, VALID.length);
});

test('several problems are all reported, sorted by offset', () => {
  const errors = errorsOf('|nor_conv3x3~0|+|conv_1x1~0|avg_pool_3x3~2|+|skip~0|nor_conv_3x3~1|skip_connect~2|');
  assert.deepEqual(
    errors.map((e) => e.kind),
    ['unknown-op', 'unknown-op', 'bad-input', 'unknown-op'],
  );
  const offsets = errors.map((e) => e.offset);
  assert.deepEqual(
    offsets,
    [...offsets].sort((a, b) => a - b),
  );
});

test('never throws on hostile input, every error range inside the text', () => {
  const samples = [
    '|'.repeat(5000),
    '+'.repeat(4000),
    '~'.repeat(3000),
    `|${'a'.repeat(4000)}~0|`,
    '\u0000|\uFFFF~0|',
    '|+|+|+|',
    VALID.repeat(40),
  ];
  const seedChars = '|+~0123456789abcdefnorcv_xklsip ';
  let state = 7;
  for (let i = 0; i < 3000; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const len = state % 120;
    let s = '';
    for (let k = 0; k < len; k++) {
      state = (state * 1103515245 + 12345) >>> 0;
      s += seedChars[state % seedChars.length];
    }
    samples.push(s);
    // Mutations of a valid string: the cases a language server sees while the user types.
    const at = state % VALID.length;
    samples.push(
      VALID.slice(0, at) + VALID.slice(at + 1),
      VALID.slice(0, at) + seedChars[state % seedChars.length] + VALID.slice(at),
    );
  }
  for (const s of samples) {
    const r = parseArchString(s);
    if (!r.ok) {
      assert.ok(r.errors.length > 0);
      for (const e of r.errors) {
        assert.ok(e.offset >= 0 && e.offset + e.length <= s.length, `range out of text for ${JSON.stringify(s)}`);
        assert.ok(e.message.length > 0);
      }
    }
  }
});

test('a cell summarised by its ops counted, most frequent first', () => {
  const r = parseArchString(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  assert.ok(r.ok);
  assert.equal(opCountSummary(r.cell), '3×conv3 2×skip 1×pool');
  const s = parseArchString('|none~0|+|none~0|none~1|+|none~0|nor_conv_1x1~1|none~2|');
  assert.ok(s.ok);
  assert.equal(opCountSummary(s.cell), '5×none 1×conv1');
});
