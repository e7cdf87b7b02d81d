import { DATASET_SHAPE, type DatasetId } from '../../space';
import { Rng } from '../rng';
import type { InputSet } from './inputSet';

/**
 * Seeded synthetic inputs: uniform random pixels in [0, 1] and uniform random labels. Used when no dataset is
 * configured; every output that uses them says "synthetic".
 */
export function syntheticInputs(dataset: DatasetId, count: number, seed: number): InputSet {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`need a positive whole number of inputs, got ${count}`);
  const { classes, inputSize: size } = DATASET_SHAPE[dataset];
  // Offset the seed so inputs and weights built from the same user seed are different streams.
  const rng = new Rng((seed ^ 0x5bd1e995) >>> 0);
  const pixels = new Float32Array(3 * count * size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.uniform();
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(classes);
  return { dataset, source: 'synthetic', synthetic: true, count, size, pixels, labels };
}
