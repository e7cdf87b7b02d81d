import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeNumberToCell, CELL_COUNT } from '../../../src/core/space/cell';
import { isomorphismKey, isomorphismKeysByCode } from '../../../src/core/space/isomorphism';

test('the memoised keys equal isomorphismKey for every one of the 15,625 cells', () => {
  const keys = isomorphismKeysByCode();
  assert.equal(keys.length, CELL_COUNT);
  for (let n = 0; n < CELL_COUNT; n++) assert.equal(keys[n], isomorphismKey(codeNumberToCell(n)), `code number ${n}`);
  assert.equal(new Set(keys).size, 6466);
});
