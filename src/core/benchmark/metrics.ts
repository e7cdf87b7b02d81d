import type { DatasetId } from '../space/cost';
import { lookupTable } from '../lookupTable';

/**
 * Accuracy metrics of NAS-RobBench-201 (Wu et al., ICLR 2024): adversarially trained cells, evaluated clean, under
 * FGSM and PGD at eps 3/255 and 8/255, and under AutoAttack.
 */
export const ADVERSARIAL_METRIC_IDS = ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8', 'autoattack'] as const;
/** Standard-training robustness of the same cells (Jung et al., ICLR 2023), shipped with NAS-RobBench-201 as acc.json. */
export const STANDARD_METRIC_IDS = [
  'std:clean',
  'std:apgd-ce',
  'std:square',
  'std:fgsm',
  'std:pgd',
  'std:corruption',
] as const;
/** Every accuracy metric: the ones a NAS search or the `robustNas.metric` setting can optimise for. */
export const ACCURACY_METRIC_IDS = [...ADVERSARIAL_METRIC_IDS, ...STANDARD_METRIC_IDS] as const;
/**
 * Cost of the full network, counted as NAS-Bench-201 counts it (`api.get_cost_info(index, dataset)`, see
 * src/core/space/cost.ts), in its units: `params` in "MB" (10^6 parameters), `flops` in M (10^6 FLOPs).
 */
export const COST_METRIC_IDS = ['params', 'flops'] as const;
/** Every metric, accuracies first: what charts, `corr`, `top`, `pareto` and the comparison views offer. */
export const METRIC_IDS = [...ACCURACY_METRIC_IDS, ...COST_METRIC_IDS] as const;

export type AdversarialMetricId = (typeof ADVERSARIAL_METRIC_IDS)[number];
export type StandardMetricId = (typeof STANDARD_METRIC_IDS)[number];
export type AccuracyMetricId = (typeof ACCURACY_METRIC_IDS)[number];
export type CostMetricId = (typeof COST_METRIC_IDS)[number];
export type MetricId = (typeof METRIC_IDS)[number];

/**
 * Which way is better. Accuracies are maximised; costs are minimised, as in hardware-aware NAS, where a smaller
 * network at the same accuracy dominates. Ranks, percentiles, top-k, Pareto fronts and colour scales all read this.
 */
export type MetricDirection = 'max' | 'min';

export interface MetricInfo {
  readonly id: MetricId;
  /**
   * Column label, e.g. `PGD@8`: every attacked column carries its eps in 1/255 units after the `@`, since the
   * adversarially trained columns are at 3/255 and 8/255 and the standard-training ones of Jung et al. at 1/255.
   */
  readonly label: string;
  /** One or two sentences for hovers, tooltips and reports: what was measured, at which eps, and how many runs. */
  readonly description: string;
  /** `accuracy`: a fraction in [0, 1] from the published files; `cost`: counted from the cell (cost.ts). */
  readonly kind: 'accuracy' | 'cost';
  readonly direction: MetricDirection;
  /** How values print: accuracies as percentages, costs in NAS-Bench-201's units (`MB`, `M`). */
  readonly unit: 'fraction' | 'MB' | 'M';
  /** Training of the networks whose accuracy this is; undefined for costs, which do not depend on training. */
  readonly training?: 'adversarial' | 'standard';
  /** L-infinity radius of the attack in 1/255 pixel units; undefined for clean accuracy and corruptions. */
  readonly eps?: number;
  /**
   * What one published value is. NAS-RobBench-201: `mean of 3 seeds` for clean, FGSM and PGD (values on a 1/30,000
   * grid for CIFAR's 10,000 test images, 1/18,000 for ImageNet16-120's 6,000), `single evaluation` for AutoAttack
   * (1/10,000 and 1/6,000 grids). Jung et al.'s acc.json: values rounded to 3 decimals.
   */
  readonly evaluation: 'mean of 3 seeds' | 'single evaluation' | 'rounded to 3 decimals' | 'counted from the cell';
  /**
   * Column of the published file: `val_pgd_8_acc` in NAS-RobBench-201_html.json, `pgd` in acc.json; for costs the
   * key of NAS-Bench-201's `get_cost_info` dictionary that holds the same number.
   */
  readonly sourceColumn: string;
}

const MEAN_OF_SEEDS = 'Mean of three training seeds.';
const JUNG = 'after standard training (Jung et al. 2023; acc.json, rounded to 3 decimals)';
// acc.json's attack columns are Jung et al.'s eps = 1.0/255 entries: their README quotes PGD accuracy 0.336 for
// #13433 at eps=1.0, acc.json holds 0.336, and the FGSM, APGD-CE and Square columns match the eps=1.0 boxes of their
// dataset notebook (docs/benchmark-numbers.md).
const STD_EPS = 1;
const ADV = { kind: 'accuracy', direction: 'max', unit: 'fraction', training: 'adversarial' } as const;
const STD = { kind: 'accuracy', direction: 'max', unit: 'fraction', training: 'standard' } as const;
const COST_NOTE =
  'Counted as NAS-Bench-201 counts it (its get_cost_info); of the evaluated representative when ranked ' +
  'among the 6,466 classes. Lower is better.';

export const METRIC_INFO: Readonly<Record<MetricId, MetricInfo>> = lookupTable({
  clean: {
    id: 'clean',
    label: 'Clean',
    ...ADV,
    sourceColumn: 'val_acc',
    evaluation: 'mean of 3 seeds',
    description: `Clean accuracy after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'fgsm@3': {
    id: 'fgsm@3',
    label: 'FGSM@3',
    ...ADV,
    sourceColumn: 'val_fgsm_3_acc',
    eps: 3,
    evaluation: 'mean of 3 seeds',
    description: `Accuracy under FGSM, eps 3/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'pgd@3': {
    id: 'pgd@3',
    label: 'PGD@3',
    ...ADV,
    sourceColumn: 'val_pgd_3_acc',
    eps: 3,
    evaluation: 'mean of 3 seeds',
    description: `Accuracy under PGD, eps 3/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'fgsm@8': {
    id: 'fgsm@8',
    label: 'FGSM@8',
    ...ADV,
    sourceColumn: 'val_fgsm_8_acc',
    eps: 8,
    evaluation: 'mean of 3 seeds',
    description: `Accuracy under FGSM, eps 8/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'pgd@8': {
    id: 'pgd@8',
    label: 'PGD@8',
    ...ADV,
    sourceColumn: 'val_pgd_8_acc',
    eps: 8,
    evaluation: 'mean of 3 seeds',
    description: `Accuracy under PGD, eps 8/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  autoattack: {
    id: 'autoattack',
    label: 'AutoAttack@8',
    ...ADV,
    sourceColumn: 'autoattack',
    eps: 8,
    evaluation: 'single evaluation',
    description:
      'Accuracy under AutoAttack, eps 8/255, after adversarial training. A single evaluation, not a mean of three seeds.',
  },
  'std:clean': {
    id: 'std:clean',
    label: 'Std clean',
    ...STD,
    sourceColumn: 'clean',
    evaluation: 'rounded to 3 decimals',
    description: `Clean accuracy ${JUNG}.`,
  },
  'std:apgd-ce': {
    id: 'std:apgd-ce',
    label: 'Std APGD-CE@1',
    ...STD,
    sourceColumn: 'aa_apgd-ce',
    eps: STD_EPS,
    evaluation: 'rounded to 3 decimals',
    description: `Accuracy under AutoAttack's APGD-CE, eps 1/255, ${JUNG}.`,
  },
  'std:square': {
    id: 'std:square',
    label: 'Std Square@1',
    ...STD,
    sourceColumn: 'aa_square',
    eps: STD_EPS,
    evaluation: 'rounded to 3 decimals',
    description: `Accuracy under the Square attack, eps 1/255, ${JUNG}.`,
  },
  'std:fgsm': {
    id: 'std:fgsm',
    label: 'Std FGSM@1',
    ...STD,
    sourceColumn: 'fgsm',
    eps: STD_EPS,
    evaluation: 'rounded to 3 decimals',
    description: `Accuracy under FGSM, eps 1/255, ${JUNG}.`,
  },
  'std:pgd': {
    id: 'std:pgd',
    label: 'Std PGD@1',
    ...STD,
    sourceColumn: 'pgd',
    eps: STD_EPS,
    evaluation: 'rounded to 3 decimals',
    description: `Accuracy under PGD, eps 1/255, ${JUNG}.`,
  },
  'std:corruption': {
    id: 'std:corruption',
    label: 'Std corruption',
    ...STD,
    sourceColumn: 'corr',
    evaluation: 'rounded to 3 decimals',
    description: `Accuracy on common corruptions ${JUNG}; not measured for ImageNet16-120.`,
  },
  params: {
    id: 'params',
    label: 'Params',
    kind: 'cost',
    direction: 'min',
    unit: 'MB',
    sourceColumn: 'params',
    evaluation: 'counted from the cell',
    description: `Parameters of the full network in NAS-Bench-201's "MB" (10^6 parameters). ${COST_NOTE}`,
  },
  flops: {
    id: 'flops',
    label: 'FLOPs',
    kind: 'cost',
    direction: 'min',
    unit: 'M',
    sourceColumn: 'flops',
    evaluation: 'counted from the cell',
    description: `FLOPs of one forward pass of one image, in M (10^6). ${COST_NOTE}`,
  },
});

export function isMetricId(s: string): s is MetricId {
  return (METRIC_IDS as readonly string[]).includes(s);
}

export function isAccuracyMetricId(s: string): s is AccuracyMetricId {
  return (ACCURACY_METRIC_IDS as readonly string[]).includes(s);
}

export function isCostMetricId(s: string): s is CostMetricId {
  return (COST_METRIC_IDS as readonly string[]).includes(s);
}

/**
 * A metric's value as users read it: accuracies as percentages with two decimals (`48.10%`, see
 * src/shared/cellFormat.ts), costs with every digit NAS-Bench-201 gives and its unit (`0.129306 MB`, `15.64737 M`).
 * Cost values are whole counts / 10^6, so they print exactly in at most six decimals.
 */
export function formatMetricNumber(metric: MetricId, value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const unit = METRIC_INFO[metric].unit;
  return unit === 'fraction' ? `${(value * 100).toFixed(2)}%` : `${value} ${unit}`;
}

/** The dataset names used in the published files' headers. */
export const SOURCE_DATASET_NAME: Readonly<Record<'adversarial' | 'standard', Readonly<Record<DatasetId, string>>>> =
  lookupTable({
    adversarial: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'imagenet' },
    standard: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'ImageNet16-120' },
  });
