import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCells,
  areIsomorphic,
  cellToCodeNumber,
  countIsomorphismClasses,
  isomorphismKey,
  parseArchString,
  parseOpCode,
  representativeByIndex,
  type Cell,
} from '../../../src/core/space';
import { readPublishedFile } from '../../helpers/sharedData';

function cell(s: string): Cell {
  const r = parseArchString(s);
  assert.ok(r.ok, s);
  return r.cell;
}

test('the zero-aware rule partitions the 15,625 cells into exactly 6,466 classes', () => {
  assert.equal(countIsomorphismClasses(allCells()), 6466);
});

test("computed classes are exactly the data's classes (every index's representative matches)", () => {
  const ops = readPublishedFile<string[]>('ops.json');
  const adversarial = readPublishedFile<Record<string, number[] | string>>('NAS-RobBench-201_html.json');
  const codeNumbers = ops.map((code) => {
    const r = parseOpCode(code);
    assert.ok(r.ok && r.kind === 'code');
    return cellToCodeNumber(r.cell);
  });
  const rep = representativeByIndex(codeNumbers);
  let evaluated = 0;
  for (let index = 0; index < 15625; index++) {
    const entry = adversarial[String(index)];
    const expected = typeof entry === 'string' ? Number(entry) : index;
    if (typeof entry !== 'string') evaluated++;
    assert.equal(rep[index], expected, `index ${index}`);
  }
  assert.equal(evaluated, 6466);
});

test('skip_connect passes its input through; the order of incoming terms does not matter', () => {
  // Node 1 = skip(x) = x, so conv on 1->3 equals conv on 0->3 in function.
  const a = cell('|skip_connect~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|');
  const b = cell('|skip_connect~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
  assert.ok(areIsomorphic(a, b));
  // Different ops are different.
  const c = cell('|skip_connect~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|');
  assert.ok(!areIsomorphic(a, c));
});

test('an edge out of a single-zero node is a zero term, but a node fed only by zeros is not zero downstream', () => {
  // Node 1 is '#': conv out of it counts as a zero term.
  const zeroConv = cell('|none~0|+|none~0|none~1|+|skip_connect~0|nor_conv_3x3~1|none~2|');
  const plain = cell('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|');
  assert.equal(isomorphismKey(zeroConv), isomorphismKey(plain));
  // Node 2 = '#+#' (two zero terms) is not exactly one zero term: conv out of it is kept (NAS-Bench-201's rule).
  const twoZeros = cell('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|');
  assert.notEqual(isomorphismKey(twoZeros), isomorphismKey(plain));
});
