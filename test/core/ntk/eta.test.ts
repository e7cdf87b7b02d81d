import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateSecondsLeft, formatDuration } from '../../../src/core/ntk/eta';

test('ETA: mean time per finished class times the classes left; unknown before the first; zero when none left', () => {
  assert.equal(estimateSecondsLeft(10, 4, 6), 15);
  assert.equal(estimateSecondsLeft(10, 0, 6), Infinity);
  assert.equal(estimateSecondsLeft(0, 3, 6), Infinity);
  assert.equal(estimateSecondsLeft(10, 4, 0), 0);
});

test('durations read like a clock at every scale', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [0.4, '0s'],
    [42, '42s'],
    [59.6, '1m00s'],
    [185, '3m05s'],
    [3600, '1h00m'],
    [7620, '2h07m'],
    [86400 * 3 + 4 * 3600 + 59, '3d04h'],
    [Infinity, '?'],
    [NaN, '?'],
    [-5, '0s'],
  ];
  for (const [s, text] of cases) assert.equal(formatDuration(s), text, `${s} s`);
});
