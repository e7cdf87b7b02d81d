import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeActionKind } from 'vscode-languageserver';
import { cellToOpCode } from '../../src/core/space/cell';
import { computeCodeActions } from '../../src/server/codeActions';
import { computeDiagnostics } from '../../src/server/diagnostics';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { applyAction, DEAD_EDGE, doc, firstIndex, GOOD, scan, sharedBenchmark } from './serverTestKit';

async function actionsAt(text: string, character: number, withData = true, languageId = 'python') {
  const bench = withData ? await sharedBenchmark() : undefined;
  const d = doc(text, languageId);
  const occ = scan(d);
  const diagnostics = computeDiagnostics(d, occ, DEFAULT_SETTINGS, bench);
  const actions = computeCodeActions(
    d,
    occ,
    { start: { line: 0, character }, end: { line: 0, character } },
    diagnostics,
    bench,
  );
  return { d, actions, find: (title: RegExp) => actions.find((a) => title.test(a.title)) };
}

test('fixes a misspelt op and a wrong input index, linked to their diagnostics', async () => {
  const text = `a = '|nor_conv3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~1|'`;
  const { d, actions, find } = await actionsAt(text, 8, false);
  const op = find(/Change 'nor_conv3x3' to 'nor_conv_3x3'/);
  assert.ok(op, actions.map((a) => a.title).join('; '));
  assert.equal(op.kind, CodeActionKind.QuickFix);
  assert.equal(op.isPreferred, true);
  assert.deepEqual(
    op.diagnostics?.map((x) => x.code),
    ['unknown-op'],
  );
  const input = find(/Change the input to ~2/);
  assert.ok(input);
  let fixed = applyAction(d, op);
  fixed = applyAction(
    doc(fixed),
    computeCodeActions(
      doc(fixed),
      scan(doc(fixed)),
      { start: { line: 0, character: 100 }, end: { line: 0, character: 100 } },
      [],
      undefined,
    ).find((a) => /input to ~2/.test(a.title))!,
  );
  assert.equal(fixed, `a = '${GOOD}'`);
});

test('replaces a non-evaluated cell by its evaluated representative (string, index, tuple)', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const arch = bench.archOfIndex(i);
  const rep = bench.archOfIndex(arch.representativeIndex);
  const s = await actionsAt(`x = "${arch.archString}"`, 6);
  const a = s.find(/representative/);
  assert.ok(a && a.isPreferred);
  assert.deepEqual(
    a.diagnostics?.map((x) => x.code),
    ['isomorphic'],
  );
  assert.equal(applyAction(s.d, a), `x = "${rep.archString}"`);
  const idx = await actionsAt(`api.query_by_index(${i})`, 20);
  assert.equal(applyAction(idx.d, idx.find(/representative/)!), `api.query_by_index(${rep.index})`);
  const tup = await actionsAt(`op_indices = (${arch.naslib.join(', ')})`, 15);
  assert.equal(applyAction(tup.d, tup.find(/representative/)!), `op_indices = (${rep.naslib.join(', ')})`);
});

test('converts between string, index, code and NASLib tuple', async () => {
  const bench = await sharedBenchmark();
  const r = bench.resolve(GOOD);
  assert.ok(r.ok);
  const { index, naslib, cell } = r.arch;
  const s = await actionsAt(`a = '${GOOD}'`, 10);
  assert.equal(applyAction(s.d, s.find(/Convert to index/)!), `a = ${index}`);
  assert.equal(applyAction(s.d, s.find(/Convert to op code/)!), `a = '${cellToOpCode(cell)}'`);
  assert.equal(applyAction(s.d, s.find(/Convert to NASLib tuple/)!), `a = (${naslib.join(', ')})`);
  assert.ok(s.actions.filter((a) => /Convert/.test(a.title)).every((a) => a.kind === CodeActionKind.RefactorRewrite));
  const i = await actionsAt(`api.get_net_config(${index}, 'cifar10')`, 19);
  assert.equal(applyAction(i.d, i.find(/Convert to architecture string/)!), `api.get_net_config('${GOOD}', 'cifar10')`);
  const t = await actionsAt(`"op_indices": [${naslib.join(', ')}]`, 18, true, 'json');
  assert.equal(applyAction(t.d, t.find(/Convert to architecture string/)!), `"op_indices": "${GOOD}"`);
  // Without data there is no index to convert to, but the other conversions remain.
  const noData = await actionsAt(`a = '${GOOD}'`, 10, false);
  assert.equal(noData.find(/Convert to index/), undefined);
  assert.ok(noData.find(/Convert to op code/));
});

test('replaces a dead edge by none', async () => {
  const { d, find } = await actionsAt(`c = '${DEAD_EDGE}'`, 8);
  const a = find(/dead edge 0->1/);
  assert.ok(a);
  assert.deepEqual(
    a.diagnostics?.map((x) => x.code),
    ['dead-edge'],
  );
  assert.equal(applyAction(d, a), `c = '${DEAD_EDGE.replace('avg_pool_3x3~0', 'none~0')}'`);
});
