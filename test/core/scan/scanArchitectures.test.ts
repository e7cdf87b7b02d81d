import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allCells,
  cellToCodeNumber,
  codeNumberToCell,
  formatArchString,
  sharedCell,
} from '../../../src/core/space/cell';
import { documentRangeOf, occurrenceAt, scanArchitectures, type ArchOccurrence } from '../../../src/core/scan';

const GOOD = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

function kinds(occ: readonly ArchOccurrence[]) {
  return occ.map((o) => o.kind);
}

test('finds a string quoted, unquoted, in backquotes, and ignores trailing punctuation', () => {
  for (const [text, start] of [
    [`a = '${GOOD}'`, 5],
    [`arch: ${GOOD}`, 6],
    [`best \`${GOOD}\`.`, 6],
    [`${GOOD}.`, 0],
    [`"${GOOD}",`, 1],
  ] as const) {
    const occ = scanArchitectures(text);
    assert.equal(occ.length, 1, text);
    assert.equal(occ[0].kind, 'string');
    assert.equal(occ[0].start, start);
    assert.equal(text.slice(occ[0].start, occ[0].end), GOOD);
  }
});

test('joins Python implicit concatenation and explicit + across lines, keeping segment offsets', () => {
  const text = `arch = ('|nor_conv_3x3~0|+'\n        '|nor_conv_3x3~0|avg_pool_3x3~1|+' \\\n        "|skip_connect~0|" + f'nor_conv_3x3~1|skip_connect~2|')`;
  const [occ] = scanArchitectures(text);
  assert.equal(occ.kind, 'string');
  if (occ.kind !== 'string') return;
  assert.equal(occ.value, GOOD);
  assert.equal(occ.segments.length, 4);
  for (const s of occ.segments)
    assert.equal(text.slice(s.start, s.start + s.length), occ.value.slice(s.valueStart, s.valueStart + s.length));
  assert.equal(text.slice(occ.end, occ.end + 2), "')");
});

test('joins f-string replacement fields that hold a string literal, and skips real placeholders', () => {
  const literal = `f"|{'nor_conv_3x3'}~0|+|{"nor_conv_3x3"}~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"`;
  const [occ] = scanArchitectures(literal);
  assert.equal(occ.kind, 'string');
  if (occ.kind === 'string') assert.equal(occ.value, GOOD);
  assert.deepEqual(scanArchitectures(`f"|{op}~0|+|{op}~0|none~1|+|none~0|none~1|skip_connect~2|"`), []);
  assert.deepEqual(scanArchitectures(`'|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|' % ops`), []);
  assert.deepEqual(scanArchitectures('|<op>~0|+|<op>~0|<op>~1|+|<op>~0|<op>~1|<op>~2|'), []);
});

test('two complete strings side by side stay two strings', () => {
  const other = '|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|';
  const occ = scanArchitectures(`x = '${GOOD}' '${other}'\n- \`${GOOD}\` \`${other}\``);
  assert.deepEqual(kinds(occ), ['string', 'string', 'string', 'string']);
});

test('malformed strings clearly meant as one are reported with the parser errors', () => {
  const text = `'|nor_conv3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~1|'`;
  const [occ] = scanArchitectures(text);
  assert.equal(occ.kind, 'malformed-string');
  if (occ.kind !== 'malformed-string') return;
  assert.deepEqual(
    occ.errors.map((e) => e.kind),
    ['unknown-op', 'wrong-input'],
  );
  const unknown = documentRangeOf(occ.segments, occ.errors[0].offset, occ.errors[0].length);
  assert.equal(text.slice(unknown.start, unknown.end), 'nor_conv3x3');
  assert.equal(occ.errors[0].suggestion, 'nor_conv_3x3');
  const wrong = documentRangeOf(occ.segments, occ.errors[1].offset, occ.errors[1].length);
  assert.equal(wrong.start, text.length - 3);
  // Missing node, missing leading pipe, dashes instead of underscores.
  assert.deepEqual(kinds(scanArchitectures('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|')), ['malformed-string']);
  assert.deepEqual(
    kinds(
      scanArchitectures(
        ' nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
      ),
    ),
    ['malformed-string'],
  );
  assert.deepEqual(
    kinds(
      scanArchitectures(
        '|nor-conv-3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
      ),
    ),
    ['malformed-string'],
  );
});

test('a malformed string broken across quotes maps error ranges into the right segment', () => {
  const text = `('|nor_conv_3x3~0|+'\n '|nor_conv_3x3~0|avg_pol_3x3~1|+'\n '|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')`;
  const [occ] = scanArchitectures(text);
  assert.equal(occ.kind, 'malformed-string');
  if (occ.kind !== 'malformed-string') return;
  const e = occ.errors[0];
  const r = documentRangeOf(occ.segments, e.offset, e.length);
  assert.equal(text.slice(r.start, r.end), 'avg_pol_3x3');
});

test('ignores Markdown tables, shell pipes and other text with | and ~', () => {
  const text = ['| a | b |', '|---|---|', 'cat x | grep ~/y | wc', 'a|b~c', '|x~1|y~2|', 'x = a | b', '~~~', '||'].join(
    '\n',
  );
  assert.deepEqual(scanArchitectures(text), []);
});

test('finds indices in NAS-Bench-201 API calls and index keywords, not elsewhere', () => {
  const text = [
    'info = api.query_by_index(1234, "200")',
    'cfg = api.get_net_config( 77 , "cifar10")',
    'run(arch_index=15000)',
    "row = {'architecture_id': '42'}",
    'arch_id: 9',
    'if arch_index == 3: pass',
    'api.query_by_index(idx)',
    'x = get_net_config(1.5)',
    'arch_index = 20000',
  ].join('\n');
  const occ = scanArchitectures(text);
  assert.deepEqual(
    occ.map((o) => (o.kind === 'index' ? [o.index, o.context] : o.kind)),
    [
      [1234, 'query_by_index'],
      [77, 'get_net_config'],
      [15000, 'arch_index'],
      [42, 'architecture_id'],
      [9, 'arch_id'],
      [20000, 'arch_index'],
    ],
  );
  const first = occ[0];
  assert.equal(text.slice(first.start, first.end), '1234');
  assert.equal(text.slice(occ[3].start, occ[3].end), '42');
});

test('finds NASLib op_indices tuples assigned to names containing op_indices', () => {
  const text = [
    'op_indices = (0, 2, 3, 1, 4, 2)',
    'self.best_op_indices: list = [1, 1, 1, 1, 1, 0]',
    'cfg = {"op_indices": [0,0,0,0,0,0]}',
    'model.set_op_indices(op_indices)',
    'op_indices == (0, 2, 3, 1, 4, 2)',
    'op_indices = np.array([0, 2, 3, 1, 4, 9])',
    'op_indices = (a, b)',
  ].join('\n');
  const occ = scanArchitectures(text);
  assert.deepEqual(
    occ.map((o) => (o.kind === 'naslib' ? [o.text, o.name, o.cell ? formatArchString(o.cell) : undefined] : o.kind)),
    [
      [
        '(0, 2, 3, 1, 4, 2)',
        'op_indices',
        '|skip_connect~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|',
      ],
      ['[1, 1, 1, 1, 1, 0]', 'self.best_op_indices', '|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|'],
      [
        '[0,0,0,0,0,0]',
        'op_indices',
        '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|',
      ],
      ['[0, 2, 3, 1, 4, 9]', 'op_indices', undefined],
    ],
  );
});

test('accepts the names users give op_indices: any case, camelCase, prefixes, keys, keyword arguments, the setter', () => {
  const cell = '(2, 2, 0, 2, 2, 2)';
  const lines = [
    `BASELINE_OP_INDICES = ${cell}`,
    `OP_INDICES = ${cell}`,
    `opIndices = ${cell}`,
    `const bestOpIndices = [2, 2, 0, 2, 2, 2];`,
    `baseline_op_indices: tuple[int, ...] = ${cell}`,
    `net = Graph(op_indices=${cell})`,
    `cfg = {'op_indices': ${cell}}`,
    `graph.set_op_indices([2, 2, 0, 2, 2, 2])`,
    `opindices = ${cell}`,
    `op_indices_cifar10 = ${cell}`,
    `{"opIndices": [2, 2,\n  0, 2, 2, 2]}`,
  ];
  const text = lines.join('\n');
  const occ = scanArchitectures(text);
  assert.deepEqual(
    occ.map((o) => (o.kind === 'naslib' ? [o.name, o.cell ? o.values.join('') : undefined] : o.kind)),
    [
      ['BASELINE_OP_INDICES', '220222'],
      ['OP_INDICES', '220222'],
      ['opIndices', '220222'],
      ['bestOpIndices', '220222'],
      ['baseline_op_indices', '220222'],
      ['op_indices', '220222'],
      ['op_indices', '220222'],
      ['graph.set_op_indices', '220222'],
      ['opindices', '220222'],
      ['op_indices_cifar10', '220222'],
      ['opIndices', '220222'],
    ],
  );
  // Every range covers exactly the bracketed list.
  for (const o of occ) assert.match(text.slice(o.start, o.end), /^[([][\d,\s]+[)\]]$/);
});

test('takes no other tuple, however cell-like: other names, words that merely contain "op", comparisons, calls', () => {
  const text = [
    'shape = (2, 2, 0, 2, 2, 2)',
    'stop_indices = (2, 2, 0, 2, 2, 2)',
    'top_indices = [2, 2, 0, 2, 2, 2]',
    'TOP_INDICES = (2, 2, 0, 2, 2, 2)',
    'topIndices = (2, 2, 0, 2, 2, 2)',
    'loop_indices = (2, 2, 0, 2, 2, 2)',
    'op_indicesx = (2, 2, 0, 2, 2, 2)',
    'if op_indices == (2, 2, 0, 2, 2, 2): pass',
    'count_op_indices((2, 2, 0, 2, 2, 2))',
    'op_indices_shape = (6,)',
    'op_indices_count = [6]',
    'OP_INDICES_DTYPE = (a, b)',
  ].join('\n');
  assert.deepEqual(scanArchitectures(text), []);
});

test('occurrenceAt finds the occurrence under a cursor, including just after its end', () => {
  const text = `a = '${GOOD}'; b = api.query_by_index(5)`;
  const occ = scanArchitectures(text);
  assert.equal(occurrenceAt(occ, 5)?.kind, 'string');
  assert.equal(occurrenceAt(occ, 5 + GOOD.length)?.kind, 'string');
  assert.equal(occurrenceAt(occ, 2), undefined);
  assert.equal(occurrenceAt(occ, text.length - 2)?.kind, 'index');
});

test('a cancelled scan stops early', () => {
  const big = `x = '${GOOD}'\n`.repeat(20000);
  let polls = 0;
  const occ = scanArchitectures(big, { isCancelled: () => ++polls > 1 });
  assert.ok(occ.length < 20000);
  assert.ok(polls >= 1);
});

test('cells written back to back are one string each, however long the line (a 260 KB line of them)', () => {
  const cells = [GOOD, '|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|'];
  const line = Array.from({ length: 3200 }, (_, k) => cells[k % 2]).join('');
  assert.ok(line.length > 260_000);
  const occ = scanArchitectures(`X = '${line}'`);
  assert.equal(occ.length, 3200);
  assert.ok(occ.every((o, k) => o.kind === 'string' && o.value === cells[k % 2]));
  assert.equal(occ[1].start, 5 + GOOD.length);
  // A doubled pipe inside an unfinished cell is still one malformed string, diagnosed where it is.
  const typo = scanArchitectures("'|nor_conv_3x3~0||+|none~0|none~1|+|none~0|none~1|none~2|'");
  assert.deepEqual(
    typo.map((o) => o.kind),
    ['malformed-string'],
  );
});

test('every well-formed string of a cell gets the one shared cell object of its code number', () => {
  const text = allCells()
    .map((c) => `a = '${formatArchString(c)}'\nb = "${formatArchString(c)}"\n`)
    .join('');
  const occ = scanArchitectures(text);
  assert.equal(occ.length, 2 * 15625);
  occ.forEach((o, i) => {
    assert.ok(o.kind === 'string');
    const code = Math.floor(i / 2);
    assert.deepEqual(o.cell, codeNumberToCell(code));
    assert.equal(cellToCodeNumber(o.cell), code);
    assert.equal(o.cell, sharedCell(code), 'shared');
    assert.ok(Object.isFrozen(o.cell));
  });
});
