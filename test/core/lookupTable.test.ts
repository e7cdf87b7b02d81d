// User text that names an Object.prototype member, at every core entry point that looks text up in a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasOwnKey, lookupTable, ownValue } from '../../src/core/lookupTable';
import { METRIC_INFO, SOURCE_DATASET_NAME, isMetricId } from '../../src/core/benchmark/metrics';
import { PUBLISHED_FILES } from '../../src/core/benchmark/dataSources';
import { parseConstraints } from '../../src/core/benchmark/parseConstraints';
import { NETWORK_SIZES } from '../../src/core/ntk/network';
import { NTK_STAT_LABEL } from '../../src/core/ntk/sweepMetricSet';
import { NORMALISATION } from '../../src/core/ntk/inputs/inputSet';
import { SEARCH_ALGORITHM_NAMES } from '../../src/core/search/algorithms';
import { DATASET_SHAPE } from '../../src/core/space/cost';
import { parseCellEncoding } from '../../src/core/space/encodings';
import { NASLIB_OP_INDEX, OP_CODE_DIGIT, OP_NAMES, OP_SHORT_LABEL } from '../../src/core/space/ops';
import { closestOpName, opNameFromAlias } from '../../src/core/space/suggest';

export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

test('lookupTable answers only for its own keys; hasOwnKey and ownValue do the same on any table', () => {
  const t = lookupTable({ a: 1, b: 2 });
  assert.deepEqual(Object.keys(t), ['a', 'b']);
  assert.equal(Object.isFrozen(t), true);
  const plain: Record<string, number> = { a: 1 };
  for (const key of PROTOTYPE_KEYS) {
    assert.equal((t as Record<string, unknown>)[key], undefined, key);
    assert.equal(key in t, false, key);
    assert.equal(hasOwnKey(plain, key), false, key);
    assert.equal(ownValue(plain, key), undefined, key);
  }
  assert.equal(hasOwnKey(t, 'a'), true);
  assert.equal(ownValue(plain, 'a'), 1);
});

test('every table keyed by dataset, metric, op, size or algorithm ids is prototype-free', () => {
  const tables: Record<string, object> = {
    DATASET_SHAPE,
    METRIC_INFO,
    SOURCE_DATASET_NAME,
    PUBLISHED_FILES,
    NETWORK_SIZES,
    NTK_STAT_LABEL,
    NORMALISATION,
    SEARCH_ALGORITHM_NAMES,
    OP_SHORT_LABEL,
    OP_CODE_DIGIT,
    NASLIB_OP_INDEX,
  };
  for (const [name, table] of Object.entries(tables)) {
    for (const key of PROTOTYPE_KEYS)
      assert.equal((table as Record<string, unknown>)[key], undefined, `${name}['${key}']`);
  }
});

test('op names and aliases: constructor, __proto__, toString, hasOwnProperty are not ops and suggest none', () => {
  for (const key of PROTOTYPE_KEYS) {
    assert.equal(opNameFromAlias(key), undefined, key);
    const guess = closestOpName(key);
    assert.ok(guess === undefined || (OP_NAMES as readonly string[]).includes(guess), `${key} -> ${String(guess)}`);
    assert.equal(isMetricId(key), false);
  }
});

test('constraints (--where, palette search): an op named constructor is an unknown operation', () => {
  for (const key of PROTOTYPE_KEYS) {
    for (const text of [`has ${key}`, `no ${key}`, `edge 1->2 = ${key}`, `edge 0->3 != ${key}`]) {
      const r = parseConstraints(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) {
        assert.match(r.errors[0].message, new RegExp(`Unknown operation '${key}'`), text);
        assert.doesNotMatch(r.errors[0].message, /native code|function/);
      }
    }
  }
});

test('architecture strings with a prototype word as an op are rejected as unknown ops', () => {
  for (const key of PROTOTYPE_KEYS) {
    const r = parseCellEncoding(
      `|${key}~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|`,
    );
    assert.equal(r.ok, false, key);
    if (!r.ok) assert.doesNotMatch(r.errors.map((e) => e.message).join(' '), /native code|function Object/);
  }
});
