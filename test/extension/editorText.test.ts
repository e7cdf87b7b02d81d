import { test } from 'node:test';
import assert from 'node:assert/strict';
import { architectureTextAt } from '../../src/extension/editor/architectureAt';
import { documentSelector, SERVED_SCHEMES } from '../../src/extension/documentSelector';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { formatAccuracy, shortCellLabel } from '../../src/extension/format';
import { parseArchString } from '../../src/core/space/parse';

const A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

test('the architecture string around the cursor, inside quotes, at either end', () => {
  const line = `    "resnet": "${A}",  # best`;
  const start = line.indexOf('|');
  for (const at of [start, start + 10, start + A.length]) {
    assert.deepEqual(architectureTextAt(line, at), { start, end: start + A.length, text: A });
  }
  assert.equal(architectureTextAt(line, 2), undefined);
  assert.equal(architectureTextAt(line, line.indexOf('best')), undefined);
});

test('f-string braces end the string; a malformed string is still found (the command explains what is wrong)', () => {
  const line = `arch = f"|{op}~0|+|none~0|none~1|"`;
  const at = line.indexOf('none~1');
  assert.equal(architectureTextAt(line, at)?.text, '|+|none~0|none~1|');
  assert.equal(architectureTextAt('x = "|nor_conv_3x5~0|"', 8)?.text, '|nor_conv_3x5~0|');
});

test('indices, op codes and NASLib tuples under the cursor; strings win over the digits inside them', () => {
  const call = 'info = api.query_by_index(1462, hp="200")';
  assert.equal(architectureTextAt(call, call.indexOf('1462') + 2)?.text, '1462');
  assert.equal(architectureTextAt('code = 343133', 9)?.text, '343133');
  assert.equal(architectureTextAt('op_indices = (2, 2, 1, 4, 2, 0)', 20)?.text, '(2, 2, 1, 4, 2, 0)');
  assert.equal(architectureTextAt(`"${A}"`, A.indexOf('~2') + 2)?.text, A);
  assert.equal(architectureTextAt('lr = 0.0125', 8), undefined, 'decimals are not indices');
  assert.equal(architectureTextAt('x = 1234567', 6), undefined, 'seven digits are neither index nor code');
});

test('document selector: every language on every served scheme, patterns on files, never output channels', () => {
  const sel = documentSelector(DEFAULT_SETTINGS);
  assert.equal(
    sel.length,
    DEFAULT_SETTINGS.languages.length * SERVED_SCHEMES.length + DEFAULT_SETTINGS.filePatterns.length,
  );
  assert.ok(sel.some((f) => 'language' in f && f.language === 'python' && f.scheme === 'vscode-notebook-cell'));
  assert.ok(sel.some((f) => 'pattern' in f && f.pattern === '**/*.log' && f.scheme === 'file'));
  assert.ok(sel.every((f) => f.scheme !== 'output'));
  assert.deepEqual(documentSelector({ languages: [], filePatterns: [] }), []);
});

test('formatting: percentages with two decimals, cells node by node', () => {
  assert.equal(formatAccuracy(0.4812), '48.12%');
  assert.equal(formatAccuracy(NaN), 'n/a');
  const parsed = parseArchString(A);
  assert.ok(parsed.ok);
  assert.equal(shortCellLabel(parsed.cell), 'conv3x3 | conv3x3 avgpool | skip conv3x3 skip');
});
