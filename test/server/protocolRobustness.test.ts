// The language server over stdio under conditions a healthy client never produces: a client that never answers
// `workspace/configuration`, and an edit storm on a 20 MB document (issue 10, "Hostile and broken input").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeNumberToCell, CELL_COUNT, formatArchString } from '../../src/core/space/cell';
import { SeededRandom } from '../../src/core/search/random';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { computeDiagnostics, publishedDiagnostics } from '../../src/server/diagnostics';
import { coerceSettings } from '../../src/shared/settings';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { ROOT, SERVER_BUNDLE, TestLspClient } from './lspClient';
import { sharedBenchmark } from './serverTestKit';

before(() => {
  // `npm test` builds first; a lone run of this file builds the bundle it needs.
  if (!existsSync(SERVER_BUNDLE))
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
});

/** Resolves with the request's answer, or rejects saying what did not come within `ms` (no test waits forever). */
function within<T>(ms: number, what: string, request: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    request.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

describe('a client that never answers workspace/configuration', () => {
  let client: TestLspClient;
  after(() => client.stop());

  test('hovers, diagnostics and the data load go on with the defaults after a timeout', async () => {
    // The data comes from ROBUST_NAS_DATA, which the default (empty) dataPath defers to.
    client = new TestLspClient({}, { ROBUST_NAS_DATA: SHARED_DATA_DIR }, { answerConfiguration: false });
    await client.initialize();
    const text = `x = 1\nBEST = '${BEST}'\n`;
    await client.open('file:///never-answered.py', 'python', text);
    const hoverAt = () =>
      client.connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri: 'file:///never-answered.py' },
        position: { line: 1, character: 20 },
      });
    // Before the timeout existed this hover was never answered.
    const first = await within(20_000, 'hover while workspace/configuration is unanswered', hoverAt());
    assert.ok(first, 'the first hover shows a card (the data may still be loading)');
    assert.ok(client.received.includes('workspace/configuration'), 'the server asked for the settings');
    // The data load waited for the window's settings too; it goes on with the default data path.
    await within(60_000, 'the data load', client.waitForData('ready'));
    const bench = await sharedBenchmark();
    const r = bench.resolve(BEST);
    assert.ok(r.ok);
    const hover = await within(60_000, 'hover once the data is loaded', hoverAt());
    assert.ok(
      hover && (hover.contents as { value: string }).value.includes(`#${r.arch.index}`),
      'the hover shows the cell from the data',
    );
    await client.waitForDiagnostics('file:///never-answered.py', 1);
    assert.ok(
      client.logs.some((l) => /did not answer workspace\/configuration/.test(l)),
      'the log says why the defaults are used',
    );
  });
});

/**
 * A Python file of about `bytes` characters: a line of code, and every 50th line an architecture string of a random
 * cell (seeded), so diagnostics (isomorphic cells, dead edges, duplicates) are many and depend on every part.
 */
function bigDocument(bytes: number, seed: number): string {
  const random = new SeededRandom(seed);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line =
      i % 50 === 0
        ? `arch_${i} = '${formatArchString(codeNumberToCell(Math.floor(random.next() * CELL_COUNT)))}'`
        : `    loss = criterion(model(inputs), targets)  # step ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('an edit storm on a 20 MB document', () => {
  const settings = { dataPath: SHARED_DATA_DIR };
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient(settings, { ROBUST_NAS_DATA: '' });
    await client.initialize();
    await client.waitForData('ready');
  });
  after(() => client.stop());

  test('1,000 one-character edits: a hover right after them is answered at once, and the final diagnostics match the final text', async () => {
    const uri = 'file:///storm.py';
    const text = bigDocument(20 * 1024 * 1024, 11);
    await client.open(uri, 'python', text);
    await client.waitForDiagnostics(uri, 1);

    // The edits go to the first 2,000 lines; the client's copy of those lines (vscode-languageserver-textdocument,
    // small enough to be cheap) says where each edit lands and what the text becomes.
    const headEnd = nthLineStart(text, 3000);
    const head = TextDocument.create(uri, 'python', 1, text.slice(0, headEnd));
    const random = new SeededRandom(3);
    const edits = 1000;
    for (let version = 2; version <= edits + 1; version++) {
      const line = Math.floor(random.next() * 2000);
      const lineText = head.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      const character = Math.floor(random.next() * lineText.length);
      const kind = random.next();
      // Inserted characters break and mend architecture strings and add lines; deletions shorten them.
      const change =
        kind < 0.6
          ? {
              range: { start: { line, character }, end: { line, character } },
              text: 'x|~\n_'[Math.floor(random.next() * 5)],
            }
          : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
      TextDocument.update(head, [change], version);
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [change],
      });
    }
    const finalText = head.getText() + text.slice(headEnd);

    // A hover on a string below the edited lines, sent right after the last edit: it waits for the server to take
    // in the 1,000 edits, then must be answered without a scan of the whole document.
    const target = finalText.indexOf("arch_2500 = '") + 20;
    const position = TextDocument.create(uri, 'python', 1, finalText.slice(0, target + 1)).positionAt(target);
    const t0 = performance.now();
    const hover = await within(
      60_000,
      'hover after the edit storm',
      client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position }),
    );
    const hoverMs = performance.now() - t0;
    const bench = await sharedBenchmark();
    const written = finalText.slice(finalText.indexOf("'", target - 20) + 1, finalText.indexOf("'", target));
    const r = bench.resolve(written);
    assert.ok(r.ok, written);
    assert.ok(
      hover && (hover.contents as { value: string }).value.includes(`#${r.arch.index}`),
      'the hover is about the string under the cursor in the final text',
    );
    // How fast it answers (vscode-languageserver-textdocument took 12-100 s for this storm at 20 MB) is a figure
    // for bench:lsp, not a bound here: a timed assertion fails on a loaded machine.

    // Inlay hints of the visible lines, also answered while the full scan is not ready.
    const hints = await within(
      60_000,
      'inlay hints after the edit storm',
      client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: position.line - 20, character: 0 }, end: { line: position.line + 20, character: 0 } },
      }),
    );
    assert.ok(
      hints.length > 0 &&
        hints.every((h) => h.position.line >= position.line - 20 && h.position.line <= position.line + 20),
    );

    const t1 = performance.now();
    const published = await client.waitForDiagnostics(uri, edits + 1);
    const settleMs = performance.now() - t1 + hoverMs;
    const finalDoc = TextDocument.create(uri, 'python', edits + 1, finalText);
    const expected = JSON.parse(
      JSON.stringify(
        publishedDiagnostics(
          computeDiagnostics(finalDoc, scanArchitectures(finalText), coerceSettings(settings), bench),
        ),
      ),
    ) as Diagnostic[];
    assert.equal(published.diagnostics.length, expected.length);
    assert.equal(expected[0].code, 'more-diagnostics', 'the storm document has more findings than are published');
    assert.deepEqual(published.diagnostics, expected);
    assert.ok(
      published.diagnostics.some((d) => d.code === 'unknown-op' || d.code === 'wrong-input' || d.code === 'malformed'),
      'the edits broke some strings',
    );
    console.log(
      `# edit storm: hover ${hoverMs.toFixed(0)} ms after the last edit, final diagnostics (${expected.length} published) ${settleMs.toFixed(0)} ms after it`,
    );
  });
});

describe('a 260 KB line of cells written back to back', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient({ dataPath: SHARED_DATA_DIR }, { ROBUST_NAS_DATA: '' });
    await client.initialize();
    await client.waitForData('ready');
  });
  after(() => client.stop());

  test('gets one inlay hint per cell (it got none: the line was one overlong run)', async () => {
    const random = new SeededRandom(260);
    const cells = Array.from({ length: 3300 }, () =>
      formatArchString(codeNumberToCell(Math.floor(random.next() * CELL_COUNT))),
    );
    const text = `CELLS = '${cells.join('')}'\n`;
    assert.ok(text.length > 260_000);
    const uri = 'file:///one-line.py';
    await client.open(uri, 'python', text);
    const hints = await client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
    });
    const bench = await sharedBenchmark();
    assert.equal(hints.length, cells.length);
    // Each hint sits right after its cell and shows that cell's configured metric (PGD@8 on CIFAR-10 by default).
    let end = "CELLS = '".length;
    for (const [k, cell] of cells.entries()) {
      end += cell.length;
      const r = bench.resolve(cell);
      assert.ok(r.ok);
      const m = bench.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
      assert.deepEqual(hints[k].position, { line: 0, character: k === cells.length - 1 ? end + 1 : end });
      assert.match(String(hints[k].label), new RegExp(`#${m.rank}$`));
    }
  });
});

/** Offset of the start of line `line` (0-based) in `text`. */
function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let k = 0; k < line; k++) at = text.indexOf('\n', at) + 1;
  return at;
}
