// Extension entry points where typed or passed text meets a table: the palette search, encodings of Copy As /
// Convert, the charts' saved state. Words naming Object.prototype members are unknown there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from '../../src/extension/search/searchQuery';
import { isEncodingKind } from '../../src/extension/editor/encodeArch';

const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

test('Search Architectures: an op word naming a prototype member is reported, not used as an op', () => {
  for (const key of KEYS) {
    for (const text of [key, `-${key}`, `no ${key}`, `edge 1->2 = ${key}`]) {
      const q = parseSearchQuery(text);
      assert.equal(q.kind, 'constraints', text);
      if (q.kind !== 'constraints') continue;
      assert.deepEqual(q.constraints, [], text);
      assert.match(q.errors.map((e) => e.message).join(' '), new RegExp(`Unknown operation '${key}'`), text);
    }
  }
});

test('Copy As / Convert: an encoding named after a prototype member is not an encoding', () => {
  for (const key of KEYS) assert.equal(isEncodingKind(key), false);
});
