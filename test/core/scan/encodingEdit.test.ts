import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodingEdit, literalContextAt } from '../../../src/core/scan/encodingEdit';
import type { CellEncodingKind } from '../../../src/core/space/encodings';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

/** `doc` with `^` marking the cursor (or `«...»` the replaced range), after writing `value` of `kind` there. */
function write(doc: string, languageId: string, kind: CellEncodingKind, value: string): string {
  let start = doc.indexOf('«');
  let end: number;
  let text: string;
  if (start >= 0) {
    end = doc.indexOf('»') - 1;
    text = doc.slice(0, start) + doc.slice(start + 1, end + 1) + doc.slice(end + 2);
  } else {
    start = end = doc.indexOf('^');
    text = doc.slice(0, start) + doc.slice(start + 1);
  }
  const e = encodingEdit(text, start, end, languageId, kind, value);
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

test('inserting in Python code writes a literal; inside a string or comment, the bare text', () => {
  assert.equal(write('best = ^', 'python', 'string', ARCH), `best = "${ARCH}"`);
  // The quote the document uses most.
  assert.equal(write("a = 'x'\nbest = ^", 'python', 'string', ARCH), `a = 'x'\nbest = '${ARCH}'`);
  assert.equal(write('best = "^"', 'python', 'string', ARCH), `best = "${ARCH}"`);
  assert.equal(write("f('a', '^')", 'python', 'string', ARCH), `f('a', '${ARCH}')`);
  assert.equal(write('# try ^', 'python', 'string', ARCH), `# try ${ARCH}`);
  assert.equal(write('"""Docstring\nwith ^\n"""', 'python', 'string', ARCH), `"""Docstring\nwith ${ARCH}\n"""`);
  assert.equal(write('api.query_by_index(^)', 'python', 'index', '7033'), 'api.query_by_index(7033)');
  assert.equal(write('op_indices = ^', 'python', 'naslib', '(2, 2, 0, 2, 2, 2)'), 'op_indices = (2, 2, 0, 2, 2, 2)');
  assert.equal(write('code = ^', 'python', 'code', '330313'), 'code = "330313"');
  // An escaped quote does not end the string; a '#' inside a string is no comment.
  assert.equal(write('s = "a \\" # b ^"', 'python', 'string', ARCH), `s = "a \\" # b ${ARCH}"`);
  assert.equal(write('s = "#"; t = ^', 'python', 'index', '7'), 's = "#"; t = 7');
});

test("replacing a whole literal rewrites it in the new encoding's form; part of a string stays bare", () => {
  assert.equal(write(`a = '«${ARCH}»'`, 'python', 'index', '7033'), 'a = 7033');
  assert.equal(write(`a = '«${ARCH}»'`, 'python', 'code', '330313'), "a = '330313'");
  assert.equal(write(`a = '«${ARCH}»'`, 'python', 'naslib', '(2, 2, 0, 2, 2, 2)'), 'a = (2, 2, 0, 2, 2, 2)');
  assert.equal(
    write('api.get_net_config(«7033», "cifar10")', 'python', 'string', ARCH),
    `api.get_net_config("${ARCH}", "cifar10")`,
  );
  assert.equal(write(`log("best «${ARCH}» so far")`, 'python', 'index', '7033'), 'log("best 7033 so far")');
  // A selection that includes the quotes is code: the literal replaces it.
  assert.equal(write(`a = «'${ARCH}'»`, 'python', 'index', '7033'), 'a = 7033');
});

test('each language gets its own literal, and text documents the bare text', () => {
  assert.equal(write('{"arch": ^}', 'json', 'string', ARCH), `{"arch": "${ARCH}"}`);
  assert.equal(
    write('{"op_indices": ^}', 'json', 'naslib', '(2, 2, 0, 2, 2, 2)'),
    '{"op_indices": [2, 2, 0, 2, 2, 2]}',
  );
  assert.equal(write('{"op_indices": «[2, 2, 0, 2, 2, 2]»}', 'json', 'string', ARCH), `{"op_indices": "${ARCH}"}`);
  assert.equal(write('arch: ^', 'yaml', 'string', ARCH), `arch: "${ARCH}"`);
  assert.equal(write('arch = ^', 'toml', 'string', ARCH), `arch = "${ARCH}"`);
  assert.equal(write('robust-nas show ^', 'shellscript', 'string', ARCH), `robust-nas show '${ARCH}'`);
  assert.equal(
    write('robust-nas show ^', 'shellscript', 'naslib', '(2, 2, 0, 2, 2, 2)'),
    "robust-nas show '(2, 2, 0, 2, 2, 2)'",
  );
  assert.equal(write('The best cell ^ is', 'markdown', 'string', ARCH), `The best cell ${ARCH} is`);
  assert.equal(write('^', 'plaintext', 'index', '7033'), '7033');
});

test('the lexer knows strings, comments and code, including unfinished strings', () => {
  const py = "x = \"ab\" # c\ny = '''\nd\n''' + \"e";
  const at = (s: string) => literalContextAt(py, py.indexOf(s), 'python');
  assert.equal(at('x'), 'code');
  assert.equal(at('ab'), 'string');
  assert.equal(at(' # c'), 'code');
  assert.equal(at('c\n'), 'comment');
  assert.equal(at('d'), 'string');
  assert.equal(at(' + '), 'code');
  assert.equal(literalContextAt(py, py.length, 'python'), 'string');
  assert.equal(literalContextAt('a: b # c', 8, 'yaml'), 'comment');
  assert.equal(literalContextAt('a: b#c', 6, 'yaml'), 'code');
  assert.equal(literalContextAt('/* x */ y', 3, 'jsonc'), 'comment');
  assert.equal(literalContextAt('/* x */ y', 8, 'jsonc'), 'code');
  assert.equal(literalContextAt('anything', 3, 'markdown'), 'text');
});
