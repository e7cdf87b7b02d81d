// The language server meets user text in documents and settings: words naming Object.prototype members must be
// unknown words there, never values found through the prototype. Before: the quick fix on '|constructor~0|...'
// read "Change 'constructor' to 'function Object() { [native code] }'".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCodeActions } from '../../src/server/codeActions';
import { computeCompletions } from '../../src/server/completion';
import { computeDiagnostics } from '../../src/server/diagnostics';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { doc, scan, sharedBenchmark } from './serverTestKit';

const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
const messageText = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

test('diagnostics and quick fixes on an op named constructor, __proto__, toString or hasOwnProperty', async () => {
  const bench = await sharedBenchmark();
  for (const key of KEYS) {
    const text = `a = '|${key}~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'`;
    const d = doc(text);
    const occ = scan(d);
    const diagnostics = computeDiagnostics(d, occ, DEFAULT_SETTINGS, bench);
    const unknown = diagnostics.find((x) => x.code === 'unknown-op');
    assert.ok(unknown, `${key}: ${diagnostics.map((x) => x.message).join('; ')}`);
    assert.match(messageText(unknown.message), new RegExp(key));
    const actions = computeCodeActions(
      d,
      occ,
      { start: { line: 0, character: 7 }, end: { line: 0, character: 7 } },
      diagnostics,
      bench,
    );
    for (const a of actions) assert.doesNotMatch(a.title, /native code|function Object|Change '/, `${key}: ${a.title}`);
    for (const x of diagnostics) assert.doesNotMatch(messageText(x.message), /native code|function Object/);
  }
});

test('settings: a dataset, metric, severity, size, kernel or variant named after a prototype member falls back to the default', async () => {
  const bench = await sharedBenchmark();
  for (const key of KEYS) {
    const s = coerceSettings({
      dataset: key,
      metric: key,
      diagnostics: { isomorphismSeverity: key },
      ntk: { size: key, kernel: key, attack: key, variants: [key] },
    });
    assert.equal(s.dataset, DEFAULT_SETTINGS.dataset);
    assert.equal(s.metric, DEFAULT_SETTINGS.metric);
    assert.equal(s.diagnostics.isomorphismSeverity, DEFAULT_SETTINGS.diagnostics.isomorphismSeverity);
    assert.deepEqual(s.ntk, DEFAULT_SETTINGS.ntk);
    // Completions in a string ('|') still work under those settings.
    const d = doc(`a = '|`);
    assert.ok(computeCompletions(d, d.getText().length, s, bench).length > 0);
  }
});
