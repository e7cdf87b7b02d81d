import type { Cell } from './cell';
import { EDGES } from './ops';

/** Dataset ids used across Robust NAS. */
export const DATASET_IDS = ['cifar10', 'cifar100', 'imagenet16-120'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/** Class count and input side of each NAS-Bench-201 dataset. */
export const DATASET_SHAPE: Readonly<Record<DatasetId, { classes: number; inputSize: number; label: string }>> = {
  cifar10: { classes: 10, inputSize: 32, label: 'CIFAR-10' },
  cifar100: { classes: 100, inputSize: 32, label: 'CIFAR-100' },
  'imagenet16-120': { classes: 120, inputSize: 16, label: 'ImageNet16-120' },
};

/** NAS-Bench-201's macro skeleton: C=16 initial channels, N=5 cells per stage (Dong & Yang 2020, Sec. 2.1). */
export const MACRO = { channels: 16, cellsPerStage: 5, stages: 3 } as const;

export interface NetworkCost {
  /** Trainable parameters, including BatchNorm affine weights and the classifier bias. */
  readonly params: number;
  /** Multiply-accumulates of one forward pass of one image, over all convolutions and the classifier. */
  readonly flops: number;
}

function conv(cIn: number, cOut: number, k: number, outSide: number) {
  return { params: cIn * cOut * k * k, macs: cIn * cOut * k * k * outSide * outSide };
}

/**
 * Parameters and FLOPs of the full NAS-Bench-201 network built from `cell`: stem conv3x3 + BN; 3 stages of N cells
 * at C, 2C, 4C channels joined by residual reduction blocks (ReLU-conv3x3/2-BN, ReLU-conv3x3-BN, shortcut
 * avgpool 2x2 + conv1x1); BN, ReLU, global pool, linear. Pooling, BN and ReLU arithmetic is not counted as FLOPs.
 */
export function networkCost(cell: Cell, dataset: DatasetId, macro: { channels: number; cellsPerStage: number } = MACRO): NetworkCost {
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  const C = macro.channels;
  const N = macro.cellsPerStage;
  let params = 0;
  let macs = 0;
  const add = (p: { params: number; macs: number }) => {
    params += p.params;
    macs += p.macs;
  };
  const batchNorm = (ch: number) => {
    params += 2 * ch;
  };

  let side = inputSize;
  add(conv(3, C, 3, side));
  batchNorm(C);
  for (let stage = 0; stage < 3; stage++) {
    const ch = C << stage;
    if (stage > 0) {
      const cIn = ch / 2;
      side = Math.ceil(side / 2);
      add(conv(cIn, ch, 3, side));
      batchNorm(ch);
      add(conv(ch, ch, 3, side));
      batchNorm(ch);
      add(conv(cIn, ch, 1, side));
    }
    for (let n = 0; n < N; n++) {
      EDGES.forEach((_, k) => {
        const op = cell[k];
        if (op === 'nor_conv_1x1' || op === 'nor_conv_3x3') {
          add(conv(ch, ch, op === 'nor_conv_1x1' ? 1 : 3, side));
          batchNorm(ch);
        }
      });
    }
  }
  const last = C << 2;
  batchNorm(last);
  params += last * classes + classes;
  macs += last * classes;
  return { params, flops: macs };
}
