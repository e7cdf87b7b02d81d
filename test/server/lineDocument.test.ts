import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SeededRandom } from '../../src/core/search/random';
import { LineDocument } from '../../src/server/lineDocument';

const PIECES = ['a', 'bc', ' ', '\n', '\r', '\r\n', '\n\r', 'é', '\ud83d\ude00', '|none~0|', ''];

function randomText(r: SeededRandom, maxPieces: number): string {
  let s = '';
  const n = Math.floor(r.next() * maxPieces);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r.next() * PIECES.length)];
  return s;
}

/** Positions anywhere, including past the end of a line or of the document and (rarely) negative ones. */
function randomPosition(r: SeededRandom, doc: TextDocument): Position {
  const line = Math.floor(r.next() * (doc.lineCount + 2)) - (r.next() < 0.05 ? 3 : 0);
  return { line, character: Math.floor(r.next() * 8) - (r.next() < 0.05 ? 2 : 0) };
}

function assertSame(reference: TextDocument, doc: LineDocument, where: string) {
  const text = reference.getText();
  assert.equal(doc.lineCount, reference.lineCount, `lineCount ${where}`);
  assert.equal(doc.length, text.length, `length ${where}`);
  for (let offset = -1; offset <= text.length + 1; offset++)
    assert.deepEqual(doc.positionAt(offset), reference.positionAt(offset), `positionAt(${offset}) ${where}`);
  for (let line = -1; line <= reference.lineCount; line++) {
    for (let character = -1; character < 6; character++)
      assert.equal(
        doc.offsetAt({ line, character }),
        reference.offsetAt({ line, character }),
        `offsetAt(${line}:${character}) ${where}`,
      );
    assert.deepEqual(doc.getLineRange(line), reference.getLineRange(line), `getLineRange(${line}) ${where}`);
    assert.equal(doc.getEOLCharacters(line), reference.getEOLCharacters(line), `getEOLCharacters(${line}) ${where}`);
  }
  for (let start = 0; start <= text.length; start += 3)
    assert.equal(doc.slice(start, start + 5), text.substring(start, start + 5), `slice ${where}`);
  assert.equal(
    doc.getText({ start: { line: 0, character: 1 }, end: { line: 2, character: 1 } }),
    reference.getText({ start: { line: 0, character: 1 }, end: { line: 2, character: 1 } }),
  );
  assert.equal(doc.getText(), text, `text ${where}`);
}

/**
 * The oracle: each change applied by vscode-languageserver-textdocument to a document created fresh from the text
 * before it. (Its own incremental update is not the oracle: after some edits its line offsets go stale, e.g.
 * `"a  a\n\r"` then inserting `"\n\r"` at the reversed range 2:2-2:0 of the last line lands one line early.)
 */
function applyFresh(text: string, change: TextDocumentContentChangeEvent): string {
  const reference = TextDocument.create('file:///a', 'python', 1, text);
  TextDocument.update(reference, [change], 2);
  return reference.getText();
}

test('LineDocument applies incremental and full changes exactly as vscode-languageserver-textdocument reads each one', () => {
  const r = new SeededRandom(20261202);
  for (let round = 0; round < 300; round++) {
    let text = randomText(r, 30);
    const doc = LineDocument.create('file:///a', 'python', 1, text);
    assertSame(TextDocument.create('file:///a', 'python', 1, text), doc, `after create ${JSON.stringify(text)}`);
    for (let version = 2; version < 14; version++) {
      const changes: TextDocumentContentChangeEvent[] = [];
      const count = 1 + Math.floor(r.next() * 3);
      for (let k = 0; k < count; k++) {
        const before = TextDocument.create('file:///a', 'python', 1, text);
        // Ranges may be reversed or past the end; each change applies to the text the previous one left.
        const change: TextDocumentContentChangeEvent =
          r.next() < 0.03
            ? { text: randomText(r, 10) }
            : { range: { start: randomPosition(r, before), end: randomPosition(r, before) }, text: randomText(r, 4) };
        changes.push(change);
        text = applyFresh(text, change);
      }
      LineDocument.update(doc, changes, version);
      assert.equal(doc.version, version);
      // Reading only some versions leaves several edits unread in between, as in an edit storm.
      if (r.next() < 0.5 || version === 13)
        assertSame(
          TextDocument.create('file:///a', 'python', 1, text),
          doc,
          `round ${round} v${version} after ${JSON.stringify(changes)}`,
        );
    }
  }
});

test('TextDocument.applyEdits (used for quick fixes in tests and tools) works on a LineDocument', () => {
  const doc = LineDocument.create('file:///a', 'python', 1, 'a = 1\r\nb = 2\n');
  assert.equal(
    TextDocument.applyEdits(doc, [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, newText: '3' },
    ]),
    'a = 1\r\nb = 3\n',
  );
});
