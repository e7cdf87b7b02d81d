// The export's text without PyTorch: what the header says in each case, the dead-edge comment, line widths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPytorchExport, type ExportSubject } from '../../../src/core/export';
import { wrapLine } from '../../../src/core/export/header';
import { makeCell } from '../../../src/core/space';

// Output = skip(input): nodes 1 and 2 never reach it, so edges 0->1 and 1->2 are dead.
const deadCell = makeCell(['nor_conv_3x3', 'none', 'nor_conv_3x3', 'skip_connect', 'none', 'none']);
const subject = (over: Partial<ExportSubject> = {}): ExportSubject => ({
  cell: deadCell,
  dataset: 'cifar10',
  size: { channels: 16, cellsPerStage: 5 },
  generator: 'Robust NAS test',
  ...over,
});

test('without the benchmark the header says the accuracies are not shown; train.py compares with nothing', () => {
  const files = renderPytorchExport(subject());
  for (const text of Object.values(files))
    assert.match(text, /# Results +NAS-RobBench-201 data not loaded: the published accuracies are not shown\./);
  assert.match(files['train.py'], /^PUBLISHED = None$/m);
});

test('dead edges are named in the header and beside the cell definition in model.py', () => {
  const model = renderPytorchExport(subject())['model.py'];
  assert.match(
    model,
    /# Dead edges {2}0->1 \(nor_conv_3x3: its output never reaches the cell output\); 1->2 \(nor_conv_3x3: its output never\n# +reaches the cell output\)\./,
  );
  assert.match(
    model,
    /# Dead edges of this cell \(they cannot change the output for any weights\): 0->1 \(nor_conv_3x3: its output never\n# reaches the cell output\); 1->2 /,
  );
  const live = renderPytorchExport(
    subject({
      cell: makeCell(['nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3']),
    }),
  )['model.py'];
  assert.match(live, /# This cell has no dead edges/);
});

test('header lines are wrapped within 120 columns without losing a word', () => {
  const long = `Network     ${'word '.repeat(60).trim()}`;
  const wrapped = wrapLine(long);
  assert.ok(wrapped.length > 1 && wrapped.every((l) => l.length <= 116));
  assert.equal(wrapped.join(' ').replace(/\s+/g, ' '), long.replace(/\s+/g, ' '));
  const files = renderPytorchExport(
    subject({ accuracies: { clean: 0.5 }, evaluated: { index: 1, archString: 'x' }, index: 2 }),
  );
  for (const text of [files['model.py'], files['train.py']]) {
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    assert.ok(
      header.every((l) => l.length <= 120),
      header.find((l) => l.length > 120),
    );
  }
});
