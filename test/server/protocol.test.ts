import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionItem, Diagnostic, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { computeDiagnostics } from '../../src/server/diagnostics';
import { formatAccuracy } from '../../src/server/format';
import { computeInlayHints } from '../../src/server/inlayHints';
import { shortCellLabel } from '../../src/shared/cellFormat';
import {
  CellDetailsRequest,
  DocumentArchitecturesRequest,
  ServerStatsRequest,
  type DocumentArchitecture,
} from '../../src/shared/protocol';
import { coerceSettings } from '../../src/shared/settings';
import { renderMarkdown } from '../helpers/renderedMarkdown';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { ROOT, SERVER_BUNDLE, TestLspClient } from './lspClient';
import { GOOD, sharedBenchmark } from './serverTestKit';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'lsp');

interface Fixture {
  uri: string;
  languageId: string;
  text: string;
}

function fixture(name: string, languageId: string): Fixture {
  return { uri: `file:///fixtures/${name}`, languageId, text: readFileSync(join(FIXTURES, name), 'utf8') };
}

/** Line/character of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0, nth = 0) {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `fixture holds ${needle}`);
  return TextDocument.create('x', 'x', 0, text).positionAt(at + delta);
}

/** What the in-process functions say for the same text and settings: the protocol must deliver exactly this. */
function expectedDiagnostics(
  f: Fixture,
  settings: Record<string, unknown>,
  bench: Awaited<ReturnType<typeof sharedBenchmark>> | undefined,
): Diagnostic[] {
  const doc = TextDocument.create(f.uri, f.languageId, 1, f.text);
  return JSON.parse(
    JSON.stringify(computeDiagnostics(doc, scanArchitectures(f.text), coerceSettings(settings), bench)),
  ) as Diagnostic[];
}

before(() => {
  // `npm test` builds first; a lone run of this file builds the bundle it needs.
  if (!existsSync(SERVER_BUNDLE))
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
});

describe('language server over stdio, with the data (robustNas.dataPath)', () => {
  const settings: Record<string, unknown> = { dataPath: SHARED_DATA_DIR };
  let client: TestLspClient;
  const py = fixture('search.py', 'python');

  before(async () => {
    client = new TestLspClient(settings, { ROBUST_NAS_DATA: '' });
    await client.initialize();
    const ready = await client.waitForData('ready');
    assert.equal(ready.evaluated, 6466);
    await client.open(py.uri, py.languageId, py.text);
  });
  after(() => client.stop());

  test('publishes diagnostics with stable codes and exact ranges (Python)', async () => {
    const bench = await sharedBenchmark();
    const published = await client.waitForDiagnostics(py.uri, 1, (p) =>
      p.diagnostics.some((d) => d.code === 'isomorphic'),
    );
    assert.deepEqual(published.diagnostics, expectedDiagnostics(py, settings, bench));
    const byCode = (code: string) => published.diagnostics.filter((d) => d.code === code);
    assert.deepEqual(byCode('unknown-op')[0].range, {
      start: positionOf(py.text, 'nor_conv3x3'),
      end: positionOf(py.text, 'nor_conv3x3', 11),
    });
    assert.deepEqual(byCode('wrong-input')[0].range.start, positionOf(py.text, "skip_connect~1|'", 13));
    assert.deepEqual(byCode('dead-edge')[0].range.start, positionOf(py.text, "DEAD = '", 9));
    assert.deepEqual(byCode('duplicate-cell')[0].range.start, positionOf(py.text, "AGAIN = '", 9));
    assert.deepEqual(byCode('index-out-of-range')[0].range.start, positionOf(py.text, '99999'));
    assert.ok(byCode('isomorphic').some((d) => d.range.start.line === positionOf(py.text, 'NOT_EVALUATED').line));
  });

  test('a document just opened is diagnosed at once; an edit waits for the typing to pause', async () => {
    const uri = 'file:///fixtures/debounce.py';
    const text = `GOOD = '${GOOD}'\n`;
    const lastRun = async () =>
      (await client.connection.sendRequest(ServerStatsRequest.type)).lastDiagnosis.find((d) => d.uri === uri);
    await client.open(uri, 'python', text);
    await client.waitForDiagnostics(uri, 1);
    // TextDocuments reports the opening text as a content change too; that must not arm the typing debounce.
    assert.equal((await lastRun())?.debounceMs, 0);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x = 1\n' },
      ],
    });
    await client.waitForDiagnostics(uri, 2);
    assert.ok((await lastRun())!.debounceMs >= 150, 'an edit is diagnosed after the debounce');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('hover on a string and on an index shows the benchmark numbers', async () => {
    const bench = await sharedBenchmark();
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: py.uri },
      position: positionOf(py.text, "BEST = '", 20),
    });
    assert.ok(hover);
    const value = (hover.contents as { value: string }).value;
    const r = bench.resolve(
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    );
    assert.ok(r.ok);
    // The card: the configured metric (PGD@8 on CIFAR-10) in bold, and CIFAR-10's other adversarial metrics.
    const pgd8 = bench.metric(r.arch.index, 'cifar10', 'pgd@8')!;
    assert.ok(
      value.includes(
        `**PGD@8 on CIFAR-10: ${formatAccuracy(pgd8.value)}** · rank **#${pgd8.rank}** of ${pgd8.of.toLocaleString('en-US')}`,
      ),
      value,
    );
    for (const metric of ['clean', 'autoattack'] as const) {
      const m = bench.metric(r.arch.index, 'cifar10', metric)!;
      assert.ok(value.includes(formatAccuracy(m.value)) && value.includes(`#${m.rank} `), metric);
    }
    const idx = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: py.uri },
      position: positionOf(py.text, '1234', 2),
    });
    const arch = bench.archOfIndex(1234);
    const m = bench.metric(arch.representativeIndex, 'cifar10', 'fgsm@8')!;
    assert.ok(idx && (idx.contents as { value: string }).value.includes(`&emsp;${formatAccuracy(m.value)} |`));
    assert.ok(renderMarkdown((idx.contents as { value: string }).value).text.includes(shortCellLabel(arch.cell)));
    // Every other dataset is one request away: the cell details report.
    const details = await client.connection.sendRequest(CellDetailsRequest.type, {
      text: '1234',
      textDocument: { uri: py.uri },
    });
    assert.ok(details.ok && details.title === 'Cell #1234');
    const c100 = bench.metric(arch.representativeIndex, 'cifar100', 'fgsm@8')!;
    assert.ok(
      details.markdown.includes(
        `| FGSM@8 | ${formatAccuracy(c100.value)} | #${c100.rank} of ${c100.of.toLocaleString('en-US')} | p${c100.percentile.toFixed(1)} |`,
      ),
      details.markdown,
    );
    const bad = await client.connection.sendRequest(CellDetailsRequest.type, {
      text: '|nor_conv3x3~0|',
      textDocument: { uri: py.uri },
    });
    assert.ok(!bad.ok && bad.message.length > 0);
  });

  test('code actions fix the misspelt op', async () => {
    const published = client.diagnostics.get(py.uri)!;
    const diag = published.diagnostics.find((d) => d.code === 'unknown-op')!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: py.uri },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    const fix = actions.find((a) => a.title === "Change 'nor_conv3x3' to 'nor_conv_3x3'");
    assert.ok(fix, actions.map((a) => a.title).join('; '));
    assert.deepEqual(fix.edit?.changes?.[py.uri], [{ range: diag.range, newText: 'nor_conv_3x3' }]);
    assert.deepEqual(
      fix.diagnostics?.map((d) => d.code),
      ['unknown-op'],
    );
  });

  test('inlay hints carry the configured metric for every resolvable architecture', async () => {
    const bench = await sharedBenchmark();
    const range = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
    const hints = await client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: py.uri },
      range,
    });
    const doc = TextDocument.create(py.uri, 'python', 1, py.text);
    const expected = computeInlayHints(doc, scanArchitectures(py.text), range, coerceSettings(settings), bench);
    assert.ok(hints.length >= 6);
    assert.deepEqual(
      hints.map((h) => [h.label, h.position]),
      expected.map((h) => [h.label, h.position]),
    );
    assert.match(String(hints[0].label), /^PGD@8 \d+\.\d\d% #\d+$/);
  });

  test('incremental edits: typing | in an empty string offers the best cells; a typo is diagnosed in the new version', async () => {
    const bench = await sharedBenchmark();
    const at = positionOf(py.text, "EMPTY = '", 9);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: py.uri, version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: '|' }],
    });
    const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: py.uri },
      position: { line: at.line, character: at.character + 1 },
      context: { triggerKind: 2, triggerCharacter: '|' },
    });
    const cells = items.filter((c) => c.label.startsWith('|'));
    assert.deepEqual(
      cells.map((c) => c.label),
      bench.topK('cifar10', 'pgd@8', cells.length).map((t) => t.arch.archString),
    );
    const best = positionOf(py.text, "BEST = '", 9);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: py.uri, version: 3 },
      contentChanges: [
        { range: { start: best, end: { line: best.line, character: best.character + 8 } }, text: 'nor_cnv_' },
      ],
    });
    const v3 = await client.waitForDiagnostics(py.uri, 3);
    const typo = v3.diagnostics.find((d) => d.code === 'unknown-op' && d.range.start.line === best.line);
    assert.ok(typo);
    assert.deepEqual(typo.range, { start: best, end: { line: best.line, character: best.character + 12 } });
  });

  test('YAML, Jupyter JSON and Markdown documents are served the same way', async () => {
    const bench = await sharedBenchmark();
    for (const f of [
      fixture('config.yaml', 'yaml'),
      fixture('notebook.ipynb', 'json'),
      fixture('notes.md', 'markdown'),
    ]) {
      await client.open(f.uri, f.languageId, f.text);
      const p = await client.waitForDiagnostics(f.uri, 1);
      assert.deepEqual(p.diagnostics, expectedDiagnostics(f, settings, bench), f.uri);
    }
    const yaml = fixture('config.yaml', 'yaml');
    const diags = client.diagnostics.get(yaml.uri)!.diagnostics;
    assert.deepEqual(diags.find((d) => d.code === 'unknown-op')?.range.start, positionOf(yaml.text, 'avg_pool3x3'));
    const nb = fixture('notebook.ipynb', 'json');
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: nb.uri },
      position: positionOf(nb.text, '[0, 2, 3', 3),
    });
    const r = bench.resolve('|skip_connect~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|');
    assert.ok(r.ok && hover && (hover.contents as { value: string }).value.includes(`#${r.arch.index}`));
    const md = fixture('notes.md', 'markdown');
    assert.deepEqual(
      client.diagnostics.get(md.uri)!.diagnostics.find((d) => d.code === 'unknown-op')?.range.start,
      positionOf(md.text, 'skip_conect'),
    );
    const list = await client.connection.sendRequest<DocumentArchitecture[]>(DocumentArchitecturesRequest.method, {
      textDocument: { uri: nb.uri },
    });
    assert.deepEqual(
      list.map((a) => a.kind),
      ['string', 'naslib', 'index'],
    );
    assert.equal(list[2].index, 7);
    assert.equal(list[2].representativeIndex, bench.archOfIndex(7).representativeIndex);
  });

  test('a settings change applies without restart: diagnostics re-published, inlay hints refreshed', async () => {
    const before = client.received.filter((m) => m === 'workspace/inlayHint/refresh').length;
    client.settings = { ...settings, diagnostics: { isomorphismSeverity: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const p = await client.waitForDiagnostics(py.uri, 3, (x) => !x.diagnostics.some((d) => d.code === 'isomorphic'));
    assert.ok(p.diagnostics.some((d) => d.code === 'unknown-op'));
    await client.waitFor('inlay hint refresh', () =>
      client.received.filter((m) => m === 'workspace/inlayHint/refresh').length > before ? true : undefined,
    );
  });

  test('an internal error fails that request only; the server keeps answering', async () => {
    await assert.rejects(
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri: py.uri }, position: null }),
      (e: { code?: number; message?: string }) => e.code === -32603 && /hover failed/.test(e.message ?? ''),
    );
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: py.uri },
      position: positionOf(py.text, 'NOT_EVALUATED = "', 20),
    });
    assert.ok(hover);
    assert.ok(client.logs.some((l) => l.includes('hover failed')));
  });
});

describe('language server over stdio, without the data', () => {
  let client: TestLspClient;
  const empty = mkdtempSync(join(tmpdir(), 'robust-nas-no-data-'));
  const py = fixture('search.py', 'python');

  before(async () => {
    client = new TestLspClient({}, { ROBUST_NAS_DATA: empty });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  test('keeps running: syntax diagnostics, and hovers that say how to provide the data', async () => {
    const missing = await client.waitForData('missing');
    assert.match(
      missing.message,
      /^Benchmark data not found .* Run "Robust NAS: Locate Benchmark Data\.\.\." or "Robust NAS: Download Benchmark Data"\.$/,
    );
    await client.open(py.uri, py.languageId, py.text);
    const p = await client.waitForDiagnostics(py.uri, 1);
    assert.deepEqual(p.diagnostics, expectedDiagnostics(py, {}, undefined));
    assert.ok(p.diagnostics.some((d) => d.code === 'unknown-op'));
    assert.ok(!p.diagnostics.some((d) => d.code === 'isomorphic'));
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: py.uri },
      position: positionOf(py.text, "BEST = '", 20),
    });
    const value = (hover?.contents as { value: string }).value;
    assert.ok(
      value.includes('`robustNas.dataPath`') &&
        value.includes('`ROBUST_NAS_DATA`') &&
        value.includes('Locate Benchmark Data'),
    );
    assert.ok(renderMarkdown(value).text.includes(missing.message));
  });
});
