// Dataset files for NTK inputs come from a folder a repository's settings can name (`robustNas.ntk.inputs`).
// A hostile one must fail quickly with bounded memory, naming the file and what is wrong: a 300-byte "billion
// laughs" list (the reader used to copy it into 10^9 elements, past 4 GB), a list that contains itself or nests
// 100,000 deep (a stack overflow without a file name), a pickle of millions of values, non-numeric labels, and
// paths that are a FIFO, /dev/zero, a directory or a 1 GB file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DatasetFileError, maxPickleBytes, readDatasetInputs } from '../../../src/core/ntk/inputs/datasetFiles';
import { PickleError, unpickle } from '../../../src/core/ntk/inputs/pickle';

const root = mkdtempSync(join(tmpdir(), 'ntk-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));

const PROTO = [0x80, 2];
const EMPTY_LIST = 0x5d;
const MARK = 0x28;
const APPENDS = 0x65;
const APPEND = 0x61;
const BINPUT = 0x71;
const BINGET = 0x68;
const BININT1 = 0x4b;
const STOP = 0x2e;

/** level 0 = [1] * 10; level k = [level k-1] * 10 (memo references); 10^levels leaves in a few hundred bytes. */
function billionLaughs(levels = 9): Uint8Array {
  const out = [...PROTO, EMPTY_LIST, BINPUT, 0, MARK];
  for (let i = 0; i < 10; i++) out.push(BININT1, 1);
  out.push(APPENDS);
  for (let k = 1; k < levels; k++) {
    out.push(EMPTY_LIST, BINPUT, k, MARK);
    for (let i = 0; i < 10; i++) out.push(BINGET, k - 1);
    out.push(APPENDS);
  }
  out.push(STOP);
  return Uint8Array.from(out);
}

/** A CIFAR-10 batch dict {"data": <shared bomb>, "labels": <value>} in protocol 2. */
function datasetDict(labels: number[]): Uint8Array {
  const str = (s: string) => [0x55, s.length, ...Buffer.from(s, 'latin1')];
  return Uint8Array.from([...PROTO, 0x7d, MARK, ...str('labels'), ...labels, ...str('data'), 0x4e, 0x75, STOP]);
}

function folder(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function timed<T>(body: () => T): { value?: T; error?: unknown; seconds: number; rssGrowthMb: number } {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  try {
    const value = body();
    return {
      value,
      seconds: (performance.now() - started) / 1000,
      rssGrowthMb: (process.memoryUsage().rss - rss) / 1e6,
    };
  } catch (error) {
    return {
      error,
      seconds: (performance.now() - started) / 1000,
      rssGrowthMb: (process.memoryUsage().rss - rss) / 1e6,
    };
  }
}

test('a billion-laughs list (10^9 elements in under 300 bytes) is read in bounded time and memory, and refused as labels', () => {
  const bomb = billionLaughs();
  assert.ok(bomb.length < 300, `${bomb.length} bytes`);
  const r = timed(() => unpickle(bomb, 'bomb.pkl'));
  assert.ok(r.seconds < 1 && r.rssGrowthMb < 100, `${r.seconds.toFixed(3)} s, ${r.rssGrowthMb.toFixed(0)} MB`);
  assert.ok(Array.isArray(r.value) && r.value.length === 10);

  // As the labels of a CIFAR-10 batch: refused, naming the file and the label.
  const d = folder('laughs');
  const labelsBomb = [...billionLaughs().subarray(2, -1)]; // the list without PROTO and STOP
  writeFileSync(join(d, 'data_batch_1'), datasetDict(labelsBomb));
  const file = join(d, 'data_batch_1');
  const read = timed(() => readDatasetInputs('cifar10', d, 1, 1));
  assert.ok(read.error instanceof DatasetFileError, String(read.error));
  assert.ok(read.seconds < 1, `${read.seconds} s`);
  assert.ok((read.error as Error).message.startsWith(file), (read.error as Error).message);
});

test('self-reference and deep nesting: no stack overflow, an error naming the file', () => {
  // L = []; L.append(L): finished in place, the cycle is walked once.
  const cyclic = unpickle(Uint8Array.from([...PROTO, EMPTY_LIST, BINPUT, 0, BINGET, 0, APPEND, STOP]), 'self.pkl');
  assert.ok(Array.isArray(cyclic) && cyclic[0] === cyclic);
  // 100,000 nested lists.
  const depth = 100_000;
  const deep = [
    ...PROTO,
    ...new Array<number>(depth).fill(EMPTY_LIST),
    ...new Array<number>(depth - 1).fill(APPEND),
    STOP,
  ];
  assert.throws(
    () => unpickle(Uint8Array.from(deep), 'deep.pkl'),
    (e: unknown) => e instanceof PickleError && /^deep\.pkl: nests lists or dicts more than 32 deep/.test(e.message),
  );
  // As a dataset file, the self-referencing list is refused as labels, with the file named.
  const d = folder('cyclic');
  writeFileSync(join(d, 'data_batch_1'), datasetDict([EMPTY_LIST, BINPUT, 0, BINGET, 0, APPEND]));
  assert.throws(
    () => readDatasetInputs('cifar10', d, 1, 1),
    (e: unknown) => e instanceof DatasetFileError && e.message.startsWith(join(d, 'data_batch_1')),
  );
});

test('a pickle of millions of values is refused before it takes memory; malformed opcodes name the file and byte', () => {
  const nones = Uint8Array.from([...PROTO, ...new Array<number>(1_500_000).fill(0x4e), STOP]);
  const r = timed(() => unpickle(nones, 'many.pkl'));
  assert.ok(
    r.error instanceof PickleError && /^many\.pkl: holds more than 1,000,000 values/.test(r.error.message),
    String(r.error),
  );
  assert.ok(r.seconds < 2, `${r.seconds} s`);
  for (const [bytes, message] of [
    [[...PROTO, 0x4e, 0x4e, APPEND, STOP], /APPEND on a non-list at byte 5/],
    [[...PROTO, BINGET, 7, STOP], /refers to memo entry 7, which was never stored/],
    [[...PROTO, APPEND, STOP], /stack underflow/],
    [[...PROTO, 0x7d, EMPTY_LIST, 0x4e, 0x73, STOP], /has a dict key that is a list or tuple of 0, not a string/],
  ] as const) {
    assert.throws(
      () => unpickle(Uint8Array.from(bytes), 'bad.pkl'),
      (e: unknown) => e instanceof PickleError && e.message.startsWith('bad.pkl: ') && message.test(e.message),
    );
  }
});

test('labels must be whole class numbers: a string, a float or a list is refused by position', () => {
  const d = folder('labels');
  const file = join(d, 'data_batch_1');
  // {"labels": [...], "data": uint8 array (2, 3072)}, as Python 2's cPickle writes a CIFAR batch.
  const str = (s: string) => [0x55, s.length, ...Buffer.from(s, 'latin1')];
  const array = (n: number) => {
    const data = new Uint8Array(n * 3072);
    return [
      0x63,
      ...Buffer.from('numpy.core.multiarray\n_reconstruct\n'),
      0x63,
      ...Buffer.from('numpy\nndarray\n'),
      BININT1,
      0,
      0x85,
      0x55,
      1,
      0x62,
      0x87,
      0x52,
      MARK,
      BININT1,
      1,
      BININT1,
      n,
      0x4d,
      3072 & 255,
      3072 >> 8,
      0x86,
      0x63,
      ...Buffer.from('numpy\ndtype\n'),
      0x55,
      2,
      ...Buffer.from('u1'),
      0x89,
      0x88,
      0x87,
      0x52,
      MARK,
      BININT1,
      3,
      0x55,
      1,
      0x7c,
      0x4e,
      0x4e,
      0x4e,
      0x4a,
      255,
      255,
      255,
      255,
      0x4a,
      255,
      255,
      255,
      255,
      BININT1,
      0,
      0x74,
      0x62,
      0x89,
      0x54,
      data.length & 255,
      (data.length >> 8) & 255,
      (data.length >> 16) & 255,
      0,
      ...data,
      0x74,
      0x62,
    ];
  };
  const withLabels = (labels: number[]) =>
    Uint8Array.from([
      ...PROTO,
      0x7d,
      MARK,
      ...str('labels'),
      EMPTY_LIST,
      MARK,
      ...labels,
      APPENDS,
      ...str('data'),
      ...array(2),
      0x75,
      STOP,
    ]);
  for (const [labels, what] of [
    [[BININT1, 1, 0x8c, 3, ...Buffer.from('cat')], /label 1 of "labels" is "cat", expected a whole class number/],
    [[BININT1, 1, ...str('cat')], /label 1 of "labels" is bytes of length 3, expected a whole class number/],
    [[BININT1, 1, 0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], /label 1 of "labels" is 1.5, expected a whole class number/],
    [[EMPTY_LIST, BININT1, 1], /label 0 of "labels" is a list or tuple of 0/],
  ] as const) {
    writeFileSync(file, withLabels([...labels]));
    assert.throws(
      () => readDatasetInputs('cifar10', d, 1, 1),
      (e: unknown) => e instanceof DatasetFileError && e.message.startsWith(file) && what.test(e.message),
      `labels ${labels}`,
    );
  }
  writeFileSync(file, withLabels([BININT1, 1, BININT1, 2]));
  assert.deepEqual([...readDatasetInputs('cifar10', d, 2, 1).labels].sort(), [1, 2]);
});

const PATHS: readonly { name: string; plant: (p: string) => void; problem: RegExp }[] = [
  { name: 'dev-zero', plant: (p) => symlinkSync('/dev/zero', p), problem: /is a character device, not a regular file/ },
  { name: 'fifo', plant: (p) => execFileSync('mkfifo', [p]), problem: /is a FIFO \(named pipe\), not a regular file/ },
  { name: 'directory', plant: (p) => mkdirSync(p), problem: /is a directory, not a regular file/ },
  {
    name: 'huge',
    plant: (p) => {
      writeFileSync(p, '');
      truncateSync(p, 2 ** 30);
    },
    problem: /has 1073741824 bytes, more than the/,
  },
];

for (const layout of [
  { file: 'data_batch_1', format: 'pickle' },
  { file: 'data_batch_1.bin', format: 'binary' },
]) {
  for (const h of PATHS) {
    test(
      `a CIFAR-10 ${layout.format} training file that is ${h.name}: refused fast, the file named`,
      { timeout: 10_000 },
      () => {
        const d = folder(`${layout.format}-${h.name}`);
        h.plant(join(d, layout.file));
        const r = timed(() => readDatasetInputs('cifar10', d, 1, 1));
        assert.ok(r.error instanceof DatasetFileError, String(r.error));
        assert.ok(r.error.message.startsWith(join(d, layout.file)), r.error.message);
        assert.match(r.error.message, h.problem);
        assert.ok(r.seconds < 1 && r.rssGrowthMb < 100, `${r.seconds.toFixed(3)} s, ${r.rssGrowthMb.toFixed(0)} MB`);
      },
    );
  }
}

test('the pickle size bound leaves room for the real files, their pixels stored as UTF-8 text', () => {
  // Pixels alone: CIFAR-10 data_batch_1 10,000 x 3,072 bytes, CIFAR-100 train 50,000 x 3,072, an ImageNet16
  // batch about 128,120 x 768; a Python 3 pickle at protocol 2 stores them as text of up to 2 bytes a pixel.
  assert.ok(maxPickleBytes('cifar10') > 10_000 * 3072 * 2 + 1e6);
  assert.ok(maxPickleBytes('cifar100') > 50_000 * 3072 * 2 + 5e6);
  assert.ok(maxPickleBytes('imagenet16-120') > 128_120 * 768 * 2 + 5e6);
});
