import { closeSync, existsSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_SHAPE, type DatasetId } from '../../space';
import { Rng } from '../rng';
import type { InputSet } from './inputSet';
import { pixelsFromSampleMajorBytes } from './inputSet';
import { openRegularFileSync, readRegularFileSync, UnsafeFileError } from '../../files/regularFile';
import { lookupTable } from '../../lookupTable';
import { describe, PickleError, unpickle, type NdArray, type PickleValue } from './pickle';

/** Where a user's dataset copy could be, relative to the directory they name, and in which format. */
interface Layout {
  readonly format: 'binary' | 'pickle';
  /** The training file the inputs are drawn from. */
  readonly file: string;
}

/**
 * The file layouts of the official downloads: CIFAR-10/100 "binary version" and "python version" (what
 * torchvision downloads), and NAS-Bench-201's ImageNet16-120 (`train_data_batch_1`, Downsampled ImageNet 16x16).
 * A user may name the extracted folder or its parent.
 */
const LAYOUTS: Readonly<Record<DatasetId, readonly Layout[]>> = lookupTable({
  cifar10: [
    { format: 'binary', file: 'data_batch_1.bin' },
    { format: 'binary', file: 'cifar-10-batches-bin/data_batch_1.bin' },
    { format: 'pickle', file: 'data_batch_1' },
    { format: 'pickle', file: 'cifar-10-batches-py/data_batch_1' },
  ],
  cifar100: [
    { format: 'binary', file: 'train.bin' },
    { format: 'binary', file: 'cifar-100-binary/train.bin' },
    { format: 'pickle', file: 'train' },
    { format: 'pickle', file: 'cifar-100-python/train' },
  ],
  'imagenet16-120': [
    { format: 'pickle', file: 'train_data_batch_1' },
    { format: 'pickle', file: 'ImageNet16/train_data_batch_1' },
  ],
});

export class DatasetFileError extends Error {}

/** Record layout of the binary versions: label byte(s) then 3072 pixel bytes (R, G, B planes of 32x32). */
const BINARY_LABEL_BYTES: Partial<Record<DatasetId, number>> = lookupTable({ cifar10: 1, cifar100: 2 });

/**
 * Most images the training file read can hold: CIFAR-10's `data_batch_1` 10,000, CIFAR-100's `train` 50,000, an
 * ImageNet16 `train_data_batch_1` about 128,000 (1,281,167 training images in 10 batches; 140,000 leaves room).
 * Files are refused beyond what this many images take, before being read, so a path a repository's settings name
 * (a FIFO, /dev/zero, a huge file) cannot hang or exhaust the NTK worker.
 */
export const MAX_TRAINING_IMAGES: Readonly<Record<DatasetId, number>> = lookupTable({
  cifar10: 10_000,
  cifar100: 50_000,
  'imagenet16-120': 140_000,
});

/**
 * Largest pickle a training file can be: per image its pixels, twice over (a Python 3 pickle of Python 2 bytes
 * stores them as UTF-8 text, up to 2 bytes a pixel), plus 256 bytes for its label(s) and file name; plus 1 MiB.
 */
export function maxPickleBytes(dataset: DatasetId): number {
  const { inputSize } = DATASET_SHAPE[dataset];
  return MAX_TRAINING_IMAGES[dataset] * (2 * 3 * inputSize * inputSize + 256) + 2 ** 20;
}

function readLimited<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnsafeFileError)
      throw new DatasetFileError(`${e.message}; name the folder holding the dataset's own training file`);
    if (e instanceof PickleError || e instanceof DatasetFileError) throw new DatasetFileError(e.message);
    throw new DatasetFileError(`${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Reads `count` training images (a seeded random subset of the first training file) and their labels from the
 * user's copy of `dataset` under `dir`. Missing folders, unknown layouts and malformed files give errors that
 * say which file was expected and where to get it.
 */
export function readDatasetInputs(dataset: DatasetId, dir: string, count: number, seed: number): InputSet {
  if (!existsSync(dir))
    throw new DatasetFileError(
      `${DATASET_SHAPE[dataset].label} folder ${dir} does not exist; pass the folder you extracted the dataset into (e.g. --inputs ${dataset}:/data/cifar-10-batches-bin)`,
    );
  const layout = LAYOUTS[dataset].find((l) => existsSync(join(dir, l.file)));
  if (!layout) {
    throw new DatasetFileError(
      `no ${DATASET_SHAPE[dataset].label} training file under ${dir}: expected one of ${LAYOUTS[dataset].map((l) => l.file).join(', ')}`,
    );
  }
  const file = join(dir, layout.file);
  const { inputSize: size, classes } = DATASET_SHAPE[dataset];
  const imageBytes = 3 * size * size;
  let read: { total: number; image(i: number): { bytes: Uint8Array; offset: number }; label(i: number): number };
  if (layout.format === 'binary') {
    const labelBytes = BINARY_LABEL_BYTES[dataset]!;
    const record = labelBytes + imageBytes;
    const maxRecords = MAX_TRAINING_IMAGES[dataset];
    const { fd, size: fileSize } = readLimited(file, () =>
      openRegularFileSync(file, {
        maxBytes: maxRecords * record,
        what: `${maxRecords} records of ${record} bytes, the most a ${DATASET_SHAPE[dataset].label} training file holds`,
      }),
    );
    if (fileSize === 0 || fileSize % record !== 0) {
      closeSync(fd);
      throw new DatasetFileError(
        `${file}: ${fileSize} bytes is not a whole number of ${record}-byte records; the file is truncated or not the ${DATASET_SHAPE[dataset].label} binary version`,
      );
    }
    const readRecord = (i: number) => {
      const b = new Uint8Array(record);
      readSync(fd, b, 0, record, i * record);
      return b;
    };
    read = {
      total: fileSize / record,
      image: (i) => ({ bytes: readRecord(i), offset: labelBytes }),
      // CIFAR-100 records are (coarse label, fine label); the benchmark uses the 100 fine labels.
      label: (i) => readRecord(i)[labelBytes - 1],
    };
    try {
      return assemble(read);
    } finally {
      closeSync(fd);
    }
  }
  const maxBytes = maxPickleBytes(dataset);
  const root: PickleValue = readLimited(file, () =>
    unpickle(
      readRegularFileSync(file, {
        maxBytes,
        what: `the most a ${DATASET_SHAPE[dataset].label} training file of ${MAX_TRAINING_IMAGES[dataset].toLocaleString('en-US')} images takes`,
      }),
      file,
    ),
  );
  if (!(root instanceof Map))
    throw new DatasetFileError(`${file}: expected a pickled dict with "data" and labels, found ${describe(root)}`);
  const data = root.get('data') as NdArray | undefined;
  const labelKey = dataset === 'cifar100' ? 'fine_labels' : 'labels';
  const labels = root.get(labelKey) as PickleValue[] | undefined;
  if (
    !data ||
    data.kind !== 'ndarray' ||
    data.dtype !== 'u1' ||
    data.shape.length !== 2 ||
    data.shape[1] !== imageBytes
  ) {
    throw new DatasetFileError(`${file}: "data" must be a uint8 array of shape (N, ${imageBytes})`);
  }
  if (data.shape[0] > MAX_TRAINING_IMAGES[dataset])
    throw new DatasetFileError(
      `${file}: "data" holds ${data.shape[0]} images, more than the ${MAX_TRAINING_IMAGES[dataset]} of a ${DATASET_SHAPE[dataset].label} training file`,
    );
  if (!Array.isArray(labels) || labels.length !== data.shape[0])
    throw new DatasetFileError(
      `${file}: "${labelKey}" must list one label per image (${data.shape[0]}), found ${describe(labels)}`,
    );
  // Labels are class numbers; anything else (a string, a list, a float) would become NaN and a wrong class.
  const bad = labels.findIndex((l) => typeof l !== 'number' || !Number.isInteger(l));
  if (bad >= 0)
    throw new DatasetFileError(
      `${file}: label ${bad} of "${labelKey}" is ${describe(labels[bad])}, expected a whole class number`,
    );
  if (data.data.length !== data.shape[0] * imageBytes) throw new DatasetFileError(`${file}: array data is truncated`);
  // ImageNet16-120 keeps the images of classes 1..120 (1-based in the files) and relabels them 0..119, as
  // NAS-Bench-201's ImageNet16 loader does.
  const keep: number[] = [];
  labels.forEach((l, i) => {
    if (dataset !== 'imagenet16-120' || (Number(l) >= 1 && Number(l) <= 120)) keep.push(i);
  });
  read = {
    total: keep.length,
    image: (i) => ({ bytes: data.data, offset: keep[i] * imageBytes }),
    label: (i) => Number(labels[keep[i]]) - (dataset === 'imagenet16-120' ? 1 : 0),
  };
  return assemble(read);

  function assemble(r: typeof read): InputSet {
    if (r.total < count)
      throw new DatasetFileError(`${file} has ${r.total} usable images, fewer than the ${count} requested`);
    const rng = new Rng((seed ^ 0x68e31da4) >>> 0);
    // Seeded sample without replacement (partial Fisher-Yates over indices).
    const idx = Int32Array.from({ length: r.total }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(r.total - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const chosen = Array.from(idx.subarray(0, count));
    const labelsOut = Int32Array.from(chosen, (i) => r.label(i));
    for (const l of labelsOut)
      if (l < 0 || l >= classes) throw new DatasetFileError(`${file}: label ${l} is outside 0..${classes - 1}`);
    const images = chosen.map((i) => r.image(i));
    const bytes = new Uint8Array(count * imageBytes);
    images.forEach((im, s) => bytes.set(im.bytes.subarray(im.offset, im.offset + imageBytes), s * imageBytes));
    const pixels = pixelsFromSampleMajorBytes(
      bytes,
      chosen.map((_, s) => s * imageBytes),
      size,
    );
    return { dataset, source: `${dataset}:${dir}`, synthetic: false, count, size, pixels, labels: labelsOut };
  }
}
