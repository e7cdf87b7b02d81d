import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeOpOffsets, edgeOpSpans } from '../../../src/core/scan/edgeSpans';
import { allCells, formatArchString } from '../../../src/core/space/cell';
import { SeededRandom } from '../../../src/core/search/random';

/** edgeOpOffsets is edgeOpSpans's offsets without the objects: the two must agree on every value. */
function assertAgree(value: string) {
  const spans = edgeOpSpans(value);
  const offsets = new Int32Array(6).fill(-1);
  const ok = edgeOpOffsets(value, offsets);
  assert.equal(ok, spans.length === 6, JSON.stringify(value));
  if (ok)
    assert.deepEqual(
      [...offsets],
      spans.map((s) => s.offset),
      JSON.stringify(value),
    );
}

test('edgeOpOffsets: the op offsets of edgeOpSpans, for every cell and for malformed and unusual values', () => {
  for (const cell of allCells()) assertAgree(formatArchString(cell));
  for (const value of [
    '',
    '|',
    '~',
    '|none~0|+|none~0|none~1|+|none~0|none~1|',
    '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|none~3|',
    'none~0|+|none~0|none~1|+|none~0|none~1|none~2',
    '|none~0~0|+|none~~0|none~1|+||none~0|none~1|none~2|+',
    '|nor_conv_3x3~00|+|skip_connect~0|none~1|+|none~0|none~1|avg_pool_3x3~2|abc',
    '~|~+~|~|~+~|~',
    '|a~0|+|b~0|c~1|+|d~0|e~1|f~2||g~0|',
    '+++|||~~~',
  ])
    assertAgree(value);
  // Mutations of real strings: characters deleted, doubled, or replaced by separators and tildes.
  const random = new SeededRandom(4);
  const pick = (n: number) => Math.floor(random.next() * n);
  const cells = allCells();
  for (let i = 0; i < 5000; i++) {
    let value = formatArchString(cells[pick(cells.length)]);
    for (let k = 1 + pick(3); k > 0; k--) {
      const at = pick(value.length + 1);
      const piece = ['|', '+', '~', '~0', '', 'x', '||'][pick(7)];
      value = value.slice(0, at) + piece + value.slice(at + pick(3));
    }
    assertAgree(value);
  }
});
