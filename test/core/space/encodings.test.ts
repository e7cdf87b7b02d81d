import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCells,
  cellToCodeNumber,
  cellToNaslibOpIndices,
  cellToOpCode,
  codeNumberToCell,
  formatArchString,
  naslibOpIndicesToCell,
  parseCellEncoding,
  parseNaslibTuple,
  parseOpCode,
} from '../../../src/core/space';

test('op code: the README example 421211', () => {
  const r = parseOpCode('421211');
  assert.ok(r.ok && r.kind === 'code');
  assert.equal(
    formatArchString(r.cell),
    '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|',
  );
});

test('NASLib op_indices use their own op and edge order', () => {
  // 0->1 avg, 0->2 conv1x1, 1->2 skip, 0->3 conv1x1, 1->3 skip, 2->3 skip
  const r = parseOpCode('421211');
  assert.ok(r.ok && r.kind === 'code');
  // NASLib: edges 0->1, 0->2, 0->3, 1->2, 1->3, 2->3; ops 0 skip, 1 none, 2 conv3x3, 3 conv1x1, 4 avg pool.
  assert.deepEqual(cellToNaslibOpIndices(r.cell), [4, 3, 3, 0, 0, 0]);
});

test('every encoding round-trips on all 15,625 cells', () => {
  for (const cell of allCells()) {
    const code = cellToOpCode(cell);
    const viaCode = parseCellEncoding(code);
    assert.ok(viaCode.ok && viaCode.kind === 'code');
    assert.deepEqual(viaCode.cell, cell);
    const tuple = `(${cellToNaslibOpIndices(cell).join(', ')})`;
    const viaTuple = parseCellEncoding(tuple);
    assert.ok(viaTuple.ok && viaTuple.kind === 'naslib');
    assert.deepEqual(viaTuple.cell, cell);
    const viaString = parseCellEncoding(formatArchString(cell));
    assert.ok(viaString.ok && viaString.kind === 'string');
    assert.deepEqual(viaString.cell, cell);
    assert.deepEqual(codeNumberToCell(cellToCodeNumber(cell)), cell);
    assert.deepEqual(naslibOpIndicesToCell(cellToNaslibOpIndices(cell)), cell);
  }
});

test('indices are recognised, not resolved, by the space layer', () => {
  assert.deepEqual(parseCellEncoding('1234'), { ok: true, kind: 'index', index: 1234 });
  assert.deepEqual(parseCellEncoding(' 0 '), { ok: true, kind: 'index', index: 0 });
  assert.equal(parseCellEncoding('15625').ok, false);
});

test('malformed codes and tuples give specific errors', () => {
  const code = parseOpCode('421511');
  assert.ok(!code.ok);
  assert.equal(code.errors[0].offset, 3);
  assert.equal(parseCellEncoding('123456').ok, false);
  const tuple = parseNaslibTuple('(0, 1, 2, 3, 4)');
  assert.ok(!tuple.ok);
  assert.match(tuple.errors[0].message, /six entries 0-4/);
  assert.equal(parseNaslibTuple('[0, 1, 2, 3, 4, 5]').ok, false);
  const junk = parseCellEncoding('resnet50');
  assert.ok(!junk.ok);
  assert.match(junk.errors[0].message, /not a NAS-Bench-201 architecture/);
});
