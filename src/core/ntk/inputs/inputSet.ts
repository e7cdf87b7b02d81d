import type { DatasetId } from '../../space';
import { lookupTable } from '../../lookupTable';

/**
 * n images of one dataset in pixel space ([0, 1], channel-major [3][n][H][W]) with their labels. Attacks work on
 * pixels (eps is a pixel-space L-infinity radius, e.g. 8/255); the network sees them normalised per channel.
 */
export interface InputSet {
  readonly dataset: DatasetId;
  /** `synthetic` or where the images came from, e.g. `cifar10:/data/cifar-10-batches-bin`; shown in every output. */
  readonly source: string;
  readonly synthetic: boolean;
  readonly count: number;
  readonly size: number;
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
}

/**
 * Per-channel mean and standard deviation NAS-Bench-201 normalises with (its `get_datasets`, values x/255).
 */
export const NORMALISATION: Readonly<Record<DatasetId, { mean: readonly number[]; std: readonly number[] }>> =
  lookupTable({
    cifar10: { mean: [125.3 / 255, 123.0 / 255, 113.9 / 255], std: [63.0 / 255, 62.1 / 255, 66.7 / 255] },
    cifar100: { mean: [129.3 / 255, 124.1 / 255, 112.4 / 255], std: [68.2 / 255, 65.4 / 255, 70.4 / 255] },
    'imagenet16-120': {
      mean: [122.68 / 255, 116.66 / 255, 104.01 / 255],
      std: [63.22 / 255, 61.26 / 255, 65.09 / 255],
    },
  });

/** (pixel - mean) / std per channel, into `out` ([3][n][H][W]). */
export function normalisePixels(
  pixels: Float32Array,
  dataset: DatasetId,
  out: Float32Array = new Float32Array(pixels.length),
): Float32Array {
  const { mean, std } = NORMALISATION[dataset];
  const plane = pixels.length / 3;
  for (let c = 0; c < 3; c++) {
    const m = mean[c];
    const inv = 1 / std[c];
    for (let i = c * plane; i < (c + 1) * plane; i++) out[i] = (pixels[i] - m) * inv;
  }
  return out;
}

/** Reorders images stored sample-major ([n][3][H][W], bytes 0..255, as the dataset files store them). */
export function pixelsFromSampleMajorBytes(
  bytes: ArrayLike<number>,
  starts: readonly number[],
  size: number,
): Float32Array {
  const n = starts.length;
  const plane = size * size;
  const out = new Float32Array(3 * n * plane);
  starts.forEach((start, s) => {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < plane; p++) out[(c * n + s) * plane + p] = bytes[start + c * plane + p] / 255;
    }
  });
  return out;
}
