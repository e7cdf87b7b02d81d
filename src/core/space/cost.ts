import type { Cell } from './cell';
import { EDGES } from './ops';
import { lookupTable } from '../lookupTable';

/** Dataset ids used across Robust NAS. */
export const DATASET_IDS = ['cifar10', 'cifar100', 'imagenet16-120'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/** Class count and input side of each NAS-Bench-201 dataset. */
export const DATASET_SHAPE: Readonly<Record<DatasetId, { classes: number; inputSize: number; label: string }>> =
  lookupTable({
    cifar10: { classes: 10, inputSize: 32, label: 'CIFAR-10' },
    cifar100: { classes: 100, inputSize: 32, label: 'CIFAR-100' },
    'imagenet16-120': { classes: 120, inputSize: 16, label: 'ImageNet16-120' },
  });

/** NAS-Bench-201's macro skeleton: C=16 initial channels, N=5 cells per stage (Dong & Yang 2020, Sec. 2.1). */
export const MACRO = { channels: 16, cellsPerStage: 5, stages: 3 } as const;

export interface NetworkCost {
  /** Trainable parameters, including BatchNorm affine weights and the classifier bias. */
  readonly params: number;
  /**
   * FLOPs of one forward pass of one image as NAS-Bench-201 counts them (`get_model_infos` in D-X-Y/AutoDL-Projects,
   * `utils/flop_benchmark.py`): the multiply-accumulates of every Conv2d and Linear, plus one addition per output
   * of a layer with a bias. Only the classifier has a bias here, so this is the MACs plus the number of classes.
   * Pooling, BatchNorm and ReLU are not counted (its pooling hook exists but is left out of the sum).
   */
  readonly flops: number;
}

/**
 * The units NAS-Bench-201 reports cost in (`api.get_cost_info(i, dataset)`): `flops` in M (the FLOPs above / 10^6)
 * and `params` in "MB", which its `count_parameters_in_MB` of 2019-2020 computed as parameters / 10^6 (a count of
 * millions of parameters, not bytes; later xautodl versions switched to 2^20). Index 0 on CIFAR-10 is 15.64737 M and
 * 0.129306 MB there and here.
 */
export const NB201_COST_UNITS = { params: 'MB', flops: 'M' } as const;

/** A cost in NAS-Bench-201's units, so the numbers are the ones `get_cost_info` returns. */
export function costInNasBench201Units(cost: NetworkCost): { readonly params: number; readonly flops: number } {
  return { params: cost.params / 1e6, flops: cost.flops / 1e6 };
}

/** `{ params: '0.129306 MB', flops: '15.64737 M' }`: every digit NAS-Bench-201 gives, in its units. */
export function formatNasBench201Cost(cost: NetworkCost): { readonly params: string; readonly flops: string } {
  const u = costInNasBench201Units(cost);
  // Counts are whole numbers, so / 1e6 has at most six decimals and prints exactly as NAS-Bench-201's floats do.
  return { params: `${u.params} ${NB201_COST_UNITS.params}`, flops: `${u.flops} ${NB201_COST_UNITS.flops}` };
}

function conv(cIn: number, cOut: number, k: number, outSide: number) {
  return { params: cIn * cOut * k * k, macs: cIn * cOut * k * k * outSide * outSide };
}

/**
 * Parameters and FLOPs of the full NAS-Bench-201 network built from `cell`: stem conv3x3 + BN; 3 stages of N cells
 * at C, 2C, 4C channels joined by residual reduction blocks (ReLU-conv3x3/2-BN, ReLU-conv3x3-BN, shortcut
 * avgpool 2x2 + conv1x1); BN, ReLU, global pool, linear. FLOPs follow NAS-Bench-201's counter (see `NetworkCost`).
 */
export function networkCost(
  cell: Cell,
  dataset: DatasetId,
  macro: { channels: number; cellsPerStage: number } = MACRO,
): NetworkCost {
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
  // NAS-Bench-201's Linear hook adds batch x out_features for the bias: one addition per class.
  const biasAdditions = classes;
  return { params, flops: macs + biasAdditions };
}
