import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { computeDiagnostics } from '../../src/server/diagnostics';
import { READ_AHEAD_PUBLISHED_LINES, readFileAhead } from '../../src/server/readAhead';
import { FileOpeningAbandonedNotification, FileOpeningNotification } from '../../src/shared/protocol';
import { coerceSettings } from '../../src/shared/settings';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { ROOT, SERVER_BUNDLE, TestLspClient } from './lspClient';
import { DEAD_EDGE, GOOD, sharedBenchmark } from './serverTestKit';

const SETTINGS = { dataPath: SHARED_DATA_DIR };
/** A dead edge, a duplicate and an unknown op: diagnostics of several severities, an error among them. */
const TEXT = `A = '${GOOD}'\nB = '${DEAD_EDGE}'\nC = '${GOOD}'\nD = '|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'\n`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'robust-nas-read-ahead-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return pathToFileURL(path).toString();
}

async function expected(uri: string, text: string): Promise<Diagnostic[]> {
  const doc = TextDocument.create(uri, 'python', 1, text);
  const all = computeDiagnostics(doc, scanArchitectures(text), coerceSettings(SETTINGS), await sharedBenchmark());
  return JSON.parse(JSON.stringify(all)) as Diagnostic[];
}

describe('readFileAhead: only what VS Code would show as this text', () => {
  test('a UTF-8 file is read whole, its byte order mark dropped as VS Code drops it', async () => {
    assert.deepEqual(await readFileAhead(file('plain.py', TEXT)), { ok: true, text: TEXT });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
    assert.deepEqual(await readFileAhead(file('bom.py', bom)), { ok: true, text: TEXT });
  });

  test('other encodings, binary, large, missing and special files are left to the normal path', async () => {
    const why = async (uri: string, max?: number) => {
      const r = await readFileAhead(uri, max);
      assert.equal(r.ok, false, uri);
      return (r as { why: string }).why;
    };
    assert.equal(await why(file('latin1.py', Buffer.from('x = "caf\xe9"\n', 'latin1'))), 'not UTF-8');
    assert.equal(await why(file('utf16.py', Buffer.from('\ufeffx = 1\n', 'utf16le'))), 'not UTF-8');
    assert.equal(await why(file('nul.py', 'x = 1\0\n')), 'binary (a NUL character)');
    assert.equal(await why(file('big.py', TEXT), TEXT.length - 1), `larger than ${TEXT.length - 1} bytes`);
    assert.deepEqual(await readFileAhead(file('exact.py', TEXT), TEXT.length), { ok: true, text: TEXT });
    assert.match(await why(pathToFileURL(join(dir, 'missing.py')).toString()), /cannot open it \(ENOENT\)/);
    mkdirSync(join(dir, 'folder.py'));
    assert.equal(await why(pathToFileURL(join(dir, 'folder.py')).toString()), 'not a regular file');
    assert.equal(await why('untitled:Untitled-1'), 'not a file: URI');
    assert.match(await why('file://remote-host/share/x.py'), /not a file path/);
  });

  test(
    'a FIFO is turned away at once, without waiting for a writer',
    { skip: process.platform === 'win32' },
    async () => {
      const fifo = join(dir, 'pipe.py');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
      const r = await readFileAhead(pathToFileURL(fifo).toString());
      assert.deepEqual(r, { ok: false, why: 'not a regular file' });
    },
  );
});

describe('robustNas/fileOpening over the protocol', () => {
  let client: TestLspClient;
  before(async () => {
    if (!existsSync(SERVER_BUNDLE)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    client = new TestLspClient(SETTINGS);
    await client.initialize();
    await client.waitForData('ready');
  });
  after(() => client.stop());

  const versionsPublished = (uri: string) => client.published.filter((p) => p.uri === uri).map((p) => p.version);

  test('diagnostics are published from disk before the text arrives; the same text is not diagnosed again', async () => {
    const uri = file('search_log.py', TEXT);
    await client.connection.sendNotification(FileOpeningNotification.type, { uri, languageId: 'python' });
    const ahead = await client.waitForDiagnostics(uri, 0);
    assert.equal(ahead.version, undefined, 'published before any version of the document exists');
    assert.deepEqual(ahead.diagnostics, await expected(uri, TEXT));
    assert.ok(
      new Set(ahead.diagnostics.map((d) => d.severity)).size >= 3 && ahead.diagnostics.some((d) => d.severity === 1),
    );

    await client.open(uri, 'python', TEXT);
    // An edit after the open: its diagnostics are the next ones published (none for version 1: they stand).
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: 'E = 1\n' },
      ],
    });
    const edited = await client.waitForDiagnostics(uri, 2);
    assert.deepEqual(versionsPublished(uri), [undefined, 2]);
    assert.deepEqual(edited.diagnostics, await expected(uri, `${TEXT}E = 1\n`));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('a long file: the diagnostics of its first lines come ahead, the rest when the same text opens', async () => {
    // The same architectures (a dead edge, a duplicate, an unknown op) near the top and again below the first lines.
    const filler = (lines: number) => '# a line of ordinary code\n'.repeat(lines);
    const text = `${filler(3)}${TEXT}${filler(READ_AHEAD_PUBLISHED_LINES)}${TEXT}`;
    const uri = file('long_log.py', text);
    const all = await expected(uri, text);
    const firstLines = all.filter((d) => d.range.start.line < READ_AHEAD_PUBLISHED_LINES);
    assert.ok(firstLines.length > 0 && firstLines.length < all.length);
    await client.connection.sendNotification(FileOpeningNotification.type, { uri, languageId: 'python' });
    assert.deepEqual((await client.waitForDiagnostics(uri, 0)).diagnostics, firstLines);

    await client.open(uri, 'python', text);
    assert.deepEqual((await client.waitForDiagnostics(uri, 1)).diagnostics, all);
    assert.deepEqual(versionsPublished(uri), [undefined, 1]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('the editor text differs from the file (changed on disk, another encoding): the editor text is diagnosed', async () => {
    const uri = file('changed.py', TEXT);
    await client.connection.sendNotification(FileOpeningNotification.type, { uri, languageId: 'python' });
    await client.waitForDiagnostics(uri, 0);
    const editorText = `${TEXT.replace('nor_conv3x3', 'nor_conv_3x3')}\nZ = '${DEAD_EDGE}'\n`;
    await client.open(uri, 'python', editorText);
    const opened = await client.waitForDiagnostics(uri, 1);
    assert.deepEqual(opened.diagnostics, await expected(uri, editorText));
    assert.deepEqual(versionsPublished(uri), [undefined, 1]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('abandoned (tab closed, language not served): what was published is withdrawn', async () => {
    const uri = file('abandoned.py', TEXT);
    await client.connection.sendNotification(FileOpeningNotification.type, { uri, languageId: 'python' });
    assert.ok((await client.waitForDiagnostics(uri, 0)).diagnostics.length > 0);
    await client.connection.sendNotification(FileOpeningAbandonedNotification.type, { uri });
    await client.waitFor('withdrawn diagnostics', () =>
      client.diagnostics.get(uri)?.diagnostics.length === 0 ? true : undefined,
    );
    // Opened later after all: diagnosed from its text as usual.
    await client.open(uri, 'python', TEXT);
    assert.deepEqual((await client.waitForDiagnostics(uri, 1)).diagnostics, await expected(uri, TEXT));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('a file that cannot be read ahead publishes nothing; its text is diagnosed when it arrives', async () => {
    const uri = file('latin1-log.py', Buffer.concat([Buffer.from(TEXT), Buffer.from('# caf\xe9\n', 'latin1')]));
    await client.connection.sendNotification(FileOpeningNotification.type, { uri, languageId: 'python' });
    await client.waitFor('the log line', () =>
      client.logs.some((l) => l.includes(`Not reading ${uri} ahead: not UTF-8.`)) ? true : undefined,
    );
    assert.deepEqual(versionsPublished(uri), []);
    const text = `${TEXT}# café\n`;
    await client.open(uri, 'python', text);
    assert.deepEqual((await client.waitForDiagnostics(uri, 1)).diagnostics, await expected(uri, text));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});
