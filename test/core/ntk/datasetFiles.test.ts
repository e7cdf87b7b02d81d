import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDatasetInputs } from '../../../src/core/ntk/inputs/datasetFiles';
import { NORMALISATION } from '../../../src/core/ntk/inputs/inputSet';
import { parseInputSpec } from '../../../src/core/ntk/inputs/load';
import { unpickle } from '../../../src/core/ntk/inputs/pickle';

const dir = mkdtempSync(join(tmpdir(), 'ntk-datasets-'));

/** Test images: pixel (image i, channel c, position p) = (7*i + 3*c + p) mod 256; label of image i = i mod classes. */
function imageBytes(count: number, size: number): Uint8Array {
  const b = new Uint8Array(count * 3 * size * size);
  for (let i = 0; i < count; i++)
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < size * size; p++) b[(i * 3 + c) * size * size + p] = (7 * i + 3 * c + p) % 256;
  return b;
}

/** Writes what Python 2's cPickle (protocol 2) writes for a CIFAR batch dict: py2 str keys, numpy uint8 array, label list. */
function python2Pickle(entries: [string, 'array' | 'labels', Uint8Array | number[], number?][]): Uint8Array {
  const out: number[] = [0x80, 2, 0x7d, 0x71, 0, 0x28];
  const str = (s: string) => out.push(0x55, s.length, ...Buffer.from(s, 'latin1'));
  const u32 = (n: number) => out.push(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
  for (const [key, kind, value, width] of entries) {
    str(key);
    if (kind === 'labels') {
      out.push(0x5d, 0x28);
      for (const l of value as number[]) out.push(0x4b, l);
      out.push(0x65);
    } else {
      const data = value as Uint8Array;
      out.push(0x63, ...Buffer.from('numpy.core.multiarray\n_reconstruct\n'), 0x63, ...Buffer.from('numpy\nndarray\n'));
      out.push(0x4b, 0, 0x85, 0x55, 1, 0x62, 0x87, 0x52); // (ndarray, (0,), 'b') REDUCE
      out.push(0x28, 0x4b, 1, 0x4b, data.length / width!, 0x4d, width! & 255, width! >> 8, 0x86); // (1, (N, W)
      out.push(0x63, ...Buffer.from('numpy\ndtype\n'), 0x55, 2, ...Buffer.from('u1'), 0x89, 0x88, 0x87, 0x52); // dtype('u1', False, True)
      out.push(
        0x28,
        0x4b,
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
        0x4b,
        0,
        0x74,
        0x62,
      ); // dtype state
      out.push(0x89, 0x54);
      u32(data.length);
      out.push(...data, 0x74, 0x62); // , False, raw) BUILD
    }
  }
  out.push(0x75, 0x2e);
  return Uint8Array.from(out);
}

function checkImages(
  set: ReturnType<typeof readDatasetInputs>,
  size: number,
  classes: number,
  labelOf: (i: number) => number,
  meanIndex = 0,
) {
  const plane = size * size;
  const { mean, std } = NORMALISATION[set.dataset];
  assert.ok(std[0] > 0 && mean[meanIndex] > 0);
  for (let s = 0; s < set.count; s++) {
    // Recover which file image this is from its first pixel, then check every channel and the label.
    const i = Math.round(set.pixels[(0 * set.count + s) * plane] * 255) / 7;
    assert.ok(Number.isInteger(i), `sample ${s} is not a file image`);
    for (let c = 0; c < 3; c++)
      for (const p of [0, 5, plane - 1])
        assert.equal(Math.round(set.pixels[(c * set.count + s) * plane + p] * 255), (7 * i + 3 * c + p) % 256);
    assert.equal(set.labels[s], labelOf(i));
    assert.ok(set.labels[s] < classes);
  }
}

test('CIFAR-10 binary version: records of 1 label byte + 3072 pixels; seeded subset; truncated file is an error', () => {
  const d = join(dir, 'c10bin/cifar-10-batches-bin');
  mkdirSync(d, { recursive: true });
  const images = imageBytes(20, 32);
  const rec = new Uint8Array(20 * 3073);
  for (let i = 0; i < 20; i++) {
    rec[i * 3073] = i % 10;
    rec.set(images.subarray(i * 3072, (i + 1) * 3072), i * 3073 + 1);
  }
  writeFileSync(join(d, 'data_batch_1.bin'), rec);
  const set = readDatasetInputs('cifar10', join(dir, 'c10bin'), 5, 1);
  assert.equal(set.synthetic, false);
  assert.match(set.source, /^cifar10:/);
  checkImages(set, 32, 10, (i) => i % 10);
  assert.deepEqual(readDatasetInputs('cifar10', d, 5, 1).labels, set.labels);
  assert.throws(() => readDatasetInputs('cifar10', d, 21, 1), /20 usable images/);
  writeFileSync(join(d, 'data_batch_1.bin'), rec.subarray(0, 3073 * 2 + 100));
  assert.throws(() => readDatasetInputs('cifar10', d, 1, 1), /truncated/);
});

test('CIFAR-100 binary version uses the fine label (second byte)', () => {
  const d = join(dir, 'c100bin');
  mkdirSync(d, { recursive: true });
  const images = imageBytes(6, 32);
  const rec = new Uint8Array(6 * 3074);
  for (let i = 0; i < 6; i++) {
    rec[i * 3074] = 99;
    rec[i * 3074 + 1] = 50 + i;
    rec.set(images.subarray(i * 3072, (i + 1) * 3072), i * 3074 + 2);
  }
  writeFileSync(join(d, 'train.bin'), rec);
  checkImages(readDatasetInputs('cifar100', d, 6, 2), 32, 100, (i) => 50 + i);
});

test('CIFAR-10 python version (Python 2 pickle with a numpy array)', () => {
  const d = join(dir, 'c10py/cifar-10-batches-py');
  mkdirSync(d, { recursive: true });
  writeFileSync(
    join(d, 'data_batch_1'),
    python2Pickle([
      ['batch_label', 'labels', []],
      ['labels', 'labels', Array.from({ length: 8 }, (_, i) => (i * 3) % 10)],
      ['data', 'array', imageBytes(8, 32), 3072],
    ]),
  );
  checkImages(readDatasetInputs('cifar10', join(dir, 'c10py'), 4, 1), 32, 10, (i) => (i * 3) % 10);
});

test('ImageNet16-120 pickles keep classes 1..120 only and relabel them 0..119', () => {
  const d = join(dir, 'in16');
  mkdirSync(d, { recursive: true });
  const labels = [1, 500, 120, 121, 7, 1000, 60, 2];
  writeFileSync(
    join(d, 'train_data_batch_1'),
    python2Pickle([
      ['data', 'array', imageBytes(8, 16), 768],
      ['labels', 'labels', labels.map((l) => l % 256)],
    ]),
  );
  // Labels above 255 do not fit BININT1 in this writer; use only ones that do.
  const set = readDatasetInputs('imagenet16-120', d, 5, 3);
  const fileLabels = labels.map((l) => l % 256);
  checkImages(set, 16, 120, (i) => fileLabels[i] - 1);
  assert.throws(() => readDatasetInputs('imagenet16-120', d, 6, 3), /5 usable images/);
});

test('real Python pickles (protocol 2 and 4, written by python3 + numpy when available) read the same', (t) => {
  const py = ['/usr/bin/python3', 'python3'].find(
    (p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0,
  );
  if (!py) {
    t.skip('python3 with numpy is not installed (tools/install-torch.sh installs it)');
    return;
  }
  for (const protocol of [2, 4]) {
    const d = join(dir, `py${protocol}`);
    mkdirSync(d, { recursive: true });
    const script = `import numpy as np, pickle\nd = (np.arange(6*3072) % 256).astype(np.uint8).reshape(6, 3072)\nd = (np.arange(6)[:, None] * 7 + np.repeat(np.arange(3) * 3, 1024)[None, :] + np.tile(np.arange(1024), 3)[None, :]) % 256\npickle.dump({b'data': d.astype(np.uint8), b'labels': [5, 4, 3, 2, 1, 0], b'filenames': [b'a'] * 6}, open('${join(d, 'data_batch_1')}', 'wb'), protocol=${protocol})\n`;
    assert.equal(spawnSync(py, ['-c', script]).status, 0);
    checkImages(readDatasetInputs('cifar10', d, 6, 1), 32, 10, (i) => 5 - i);
  }
});

test('missing folders, unknown layouts, malformed and hostile pickles give specific errors', () => {
  assert.throws(() => readDatasetInputs('cifar10', join(dir, 'nope'), 1, 1), /does not exist.*--inputs/);
  const empty = join(dir, 'empty');
  mkdirSync(empty, { recursive: true });
  assert.throws(() => readDatasetInputs('cifar100', empty, 1, 1), /expected one of train.bin/);
  const bad = join(dir, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'data_batch_1'), Buffer.from('this is not a pickle'));
  assert.throws(() => readDatasetInputs('cifar10', bad, 1, 1), /not a Python pickle/);
  assert.throws(() => unpickle(Uint8Array.from([0x80, 2, 0xff])), /unsupported pickle opcode 0xff/);
  const good = python2Pickle([
    ['labels', 'labels', [1, 2]],
    ['data', 'array', imageBytes(2, 32), 3072],
  ]);
  writeFileSync(join(bad, 'data_batch_1'), good.subarray(0, 300));
  assert.throws(() => readDatasetInputs('cifar10', bad, 1, 1), /ends early/);
  assert.throws(
    () => unpickle(Buffer.concat([Buffer.from([0x80, 2]), Buffer.from('cos\nsystem\n')])),
    /refuses to load the Python object os.system/,
  );
  const noData = python2Pickle([['labels', 'labels', [1, 2]]]);
  writeFileSync(join(bad, 'data_batch_1'), noData);
  assert.throws(() => readDatasetInputs('cifar10', bad, 1, 1), /uint8 array of shape/);
});

test('input specs: synthetic by default, <dataset>:<folder> for files, clear errors otherwise', () => {
  assert.deepEqual(parseInputSpec('synthetic', 4, 1), { kind: 'synthetic', dataset: 'cifar10', count: 4, seed: 1 });
  assert.deepEqual(parseInputSpec('synthetic:cifar100', 4, 1).dataset, 'cifar100');
  assert.deepEqual(parseInputSpec('cifar10:/d/x', 4, 1), {
    kind: 'files',
    dataset: 'cifar10',
    dir: '/d/x',
    count: 4,
    seed: 1,
  });
  assert.throws(() => parseInputSpec('mnist:/x', 4, 1), /synthetic" or <dataset>:<folder>/);
  assert.throws(() => parseInputSpec('cifar10', 4, 1), /needs the dataset folder/);
});
