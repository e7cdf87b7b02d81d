import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatConstraint, parseConstraints } from '../../../src/core/benchmark/parseConstraints';
import { meetsConstraints } from '../../../src/core/benchmark/constraints';
import { parseOpCode } from '../../../src/core/space/encodings';
import { assertSubquadraticTime } from '../../helpers/timeBound';

test('reads every clause form with op aliases', () => {
  const r = parseConstraints('edge 2->3 = skip, edge 1->2 != none,no avg_pool , has conv3x3, 0->1 == Identity');
  assert.ok(r.ok);
  assert.deepEqual(r.constraints, [
    { kind: 'edge-is', edge: 5, op: 'skip_connect' },
    { kind: 'edge-is-not', edge: 2, op: 'none' },
    { kind: 'no-op', op: 'avg_pool_3x3' },
    { kind: 'has-op', op: 'nor_conv_3x3' },
    { kind: 'edge-is', edge: 0, op: 'skip_connect' },
  ]);
  for (const c of r.constraints)
    assert.deepEqual(parseConstraints(formatConstraint(c)), { ok: true, constraints: [c] });
});

test('empty text means no constraints', () => {
  assert.deepEqual(parseConstraints('  '), { ok: true, constraints: [] });
});

test('an edge that does not exist is reported at its position with the valid edges', () => {
  const text = 'has skip, edge 3->1 = skip';
  const r = parseConstraints(text);
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 1);
  assert.equal(text.slice(r.errors[0].offset, r.errors[0].offset + r.errors[0].length), '3->1');
  assert.match(r.errors[0].message, /no edge 3->1.*0->1, 0->2, 1->2, 0->3, 1->3, 2->3/);
});

test('a misspelt op gets a suggestion, not a silent guess', () => {
  const text = 'no avg_pol_3x3';
  const r = parseConstraints(text);
  assert.ok(!r.ok);
  assert.equal(text.slice(r.errors[0].offset, r.errors[0].offset + r.errors[0].length), 'avg_pol_3x3');
  assert.match(r.errors[0].message, /did you mean 'avg_pool_3x3'/);
  assert.equal(r.errors[0].suggestion, 'avg_pool_3x3');
  const far = parseConstraints('has relu');
  assert.ok(!far.ok && far.errors[0].suggestion === undefined);
});

test('unreadable clauses, empty clauses and missing ops are errors; all are reported at once', () => {
  const r = parseConstraints('edge 0->1 skip,, has ,  relu everywhere');
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 4);
  assert.match(r.errors[0].message, /Cannot read the constraint 'edge 0->1 skip'/);
  assert.match(r.errors[1].message, /Empty constraint/);
  assert.match(r.errors[2].message, /Cannot read the constraint 'has'/);
  assert.match(r.errors[3].message, /Cannot read the constraint 'relu everywhere'/);
});

test('constraints are checked on the cell as written', () => {
  const r = parseOpCode('421211');
  assert.ok(r.ok && r.kind === 'code');
  const cell = r.cell;
  const yes = parseConstraints('edge 0->1 = avg_pool, edge 2->3 = skip, has conv1x1, no conv3x3, edge 1->2 != none');
  const no = parseConstraints('no avg_pool');
  assert.ok(yes.ok && no.ok);
  assert.equal(meetsConstraints(cell, yes.constraints), true);
  assert.equal(meetsConstraints(cell, no.constraints), false);
});

test('parsing grows linearly on blanks followed by commas and on other long repeated shapes', () => {
  // Issue 10: blanks then commas made every empty clause re-trim the whole text.
  const shapes: [string, (size: number) => string][] = [
    ['blanks then commas', (n) => ' '.repeat(n / 2) + ','.repeat(n / 2)],
    ['commas then blanks', (n) => ','.repeat(n / 2) + ' '.repeat(n / 2)],
    ['blank-comma pairs', (n) => ' ,'.repeat(n / 2)],
    ['one long clause of blanks', (n) => `edge${' '.repeat(n)}0->1 = skip`],
    ['a long op name', (n) => `has ${'x'.repeat(n)}`],
    ['digits without an arrow', (n) => '1'.repeat(n)],
    ['many clauses', (n) => 'has skip, '.repeat(n / 10)],
  ];
  for (const [label, make] of shapes) {
    assertSubquadraticTime(
      `parseConstraints on ${label}`,
      make,
      (text) => {
        parseConstraints(text);
      },
      { size: 16384 },
    );
  }
});
