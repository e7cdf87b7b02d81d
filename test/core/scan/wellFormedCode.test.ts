import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wellFormedCode } from '../../../src/core/scan/scanArchStrings';
import { allCells, cellToCodeNumber, formatArchString } from '../../../src/core/space/cell';
import { parseArchString } from '../../../src/core/space/parse';
import { SeededRandom } from '../../../src/core/search/random';

/**
 * The scanner's fast path must take exactly the strings written in the canonical form, with the cell the general
 * parser reads from them; everything else goes to the parser.
 */
function expectedCode(value: string): number {
  const parsed = parseArchString(value);
  return parsed.ok && formatArchString(parsed.cell) === value ? cellToCodeNumber(parsed.cell) : -1;
}

test('wellFormedCode: the code of every canonical string, -1 for anything else the parser reads or rejects', () => {
  for (const cell of allCells()) assert.equal(wellFormedCode(formatArchString(cell)), cellToCodeNumber(cell));
  const cells = allCells();
  const random = new SeededRandom(11);
  const pick = (n: number) => Math.floor(random.next() * n);
  const pieces = ['|', '+', '~', '~0', '~1', '~2', '~00', 'none', 'nor_conv_3x3', 'nor_conv3x3', ' ', '', 'x', '||'];
  const written = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|';
  for (const value of [
    '',
    '|',
    '|none~0|',
    written.slice(1),
    written.slice(0, -1),
    `${written}+`,
    ` ${written}`,
    `${written}${written}`,
    written.replace('~0|+', '~00|+'),
    written.replace('~2|', '~02|'),
    written.replace('|+|', '||'),
    written.replace('skip_connect', 'Skip_connect'),
  ]) {
    assert.equal(wellFormedCode(value), expectedCode(value), JSON.stringify(value));
  }
  for (let i = 0; i < 20000; i++) {
    let value = formatArchString(cells[pick(cells.length)]);
    for (let k = pick(4); k > 0; k--) {
      const at = pick(value.length + 1);
      value = value.slice(0, at) + pieces[pick(pieces.length)] + value.slice(at + pick(3));
    }
    // Some texts the parser accepts in another form (`~00`, no leading `|`, a trailing `+`): not the fast path's.
    assert.equal(wellFormedCode(value), expectedCode(value), JSON.stringify(value));
  }
});
