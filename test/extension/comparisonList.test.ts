import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPinned,
  canonicalArchString,
  movePinned,
  removePinned,
  restorePinned,
} from '../../src/extension/comparison/comparisonList';
import { bestRowsPerColumn } from '../../src/extension/comparison/bestPerMetric';

const A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const B = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
const C = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';

test('canonical strings: surrounding space is dropped, malformed strings are explained', () => {
  assert.deepEqual(canonicalArchString(`  ${A}\n`), { ok: true, archString: A });
  const bad = canonicalArchString('|nor_conv_3x5~0|+|none~0|none~1|+|none~0|none~1|none~2|');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : '', /nor_conv_3x5.*nor_conv_3x3/);
});

test('adding keeps order and pins a cell once', () => {
  let list: readonly string[] = [];
  for (const s of [A, B, A, C]) list = addPinned(list, s).list;
  assert.deepEqual(list, [A, B, C]);
  assert.equal(addPinned(list, B).changed, false);
});

test('moving clamps at the ends and reports no change there', () => {
  const list = [A, B, C];
  assert.deepEqual(movePinned(list, C, -1).list, [A, C, B]);
  assert.deepEqual(movePinned(list, A, 1).list, [B, A, C]);
  assert.deepEqual(movePinned(list, A, -5), { list, changed: false });
  assert.deepEqual(movePinned(list, C, 1), { list, changed: false });
  assert.deepEqual(movePinned(list, B, 10).list, [A, C, B]);
  assert.equal(movePinned(list, 'not pinned', 1).changed, false);
});

test('removing drops only that cell', () => {
  assert.deepEqual(removePinned([A, B, C], B).list, [A, C]);
  assert.equal(removePinned([A, C], B).changed, false);
});

test('restoring a persisted list drops junk, canonicalises and de-duplicates', () => {
  assert.deepEqual(restorePinned([A, 42, null, ` ${B} `, 'garbage', A, C]), [A, B, C]);
  assert.deepEqual(restorePinned('not a list'), []);
  assert.deepEqual(restorePinned(undefined), []);
});

test('best per metric: highest value wins, ties all marked, missing values ignored', () => {
  const rows = [
    [0.5, 0.2, undefined],
    [0.7, 0.2, NaN],
    [0.6, 0.1, undefined],
  ];
  const best = bestRowsPerColumn(rows, 3);
  assert.deepEqual([...best[0]], [1]);
  assert.deepEqual([...best[1]].sort(), [0, 1]);
  assert.deepEqual([...best[2]], []);
  assert.deepEqual(
    bestRowsPerColumn([], 2).map((s) => s.size),
    [0, 0],
  );
  // A cost column (params, FLOPs): the lowest wins, with the same tie and missing-value rules.
  const cost = bestRowsPerColumn(rows, 3, ['max', 'min', 'min']);
  assert.deepEqual([...cost[0]], [1]);
  assert.deepEqual([...cost[1]], [2]);
  assert.deepEqual([...cost[2]], []);
});
