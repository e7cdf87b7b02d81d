import type { DatasetId } from '../space/cost';
import { lookupTable } from '../lookupTable';

/**
 * Accuracy metrics of NAS-RobBench-201 (Wu et al., ICLR 2024): adversarially trained cells, evaluated clean, under
 * FGSM and PGD at eps 3/255 and 8/255, and under AutoAttack.
 */
export const ADVERSARIAL_METRIC_IDS = ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8', 'autoattack'] as const;
/** Standard-training robustness of the same cells (Jung et al., ICLR 2023), shipped with NAS-RobBench-201 as acc.json. */
export const STANDARD_METRIC_IDS = ['std:clean', 'std:apgd-ce', 'std:square', 'std:fgsm', 'std:pgd', 'std:corruption'] as const;
export const METRIC_IDS = [...ADVERSARIAL_METRIC_IDS, ...STANDARD_METRIC_IDS] as const;

export type AdversarialMetricId = (typeof ADVERSARIAL_METRIC_IDS)[number];
export type StandardMetricId = (typeof STANDARD_METRIC_IDS)[number];
export type MetricId = (typeof METRIC_IDS)[number];

export interface MetricInfo {
  readonly id: MetricId;
  /**
   * Column label, e.g. `PGD@8`: every attacked column carries its eps in 1/255 units after the `@`, since the
   * adversarially trained columns are at 3/255 and 8/255 and the standard-training ones of Jung et al. at 1/255.
   */
  readonly label: string;
  /** One or two sentences for hovers, tooltips and reports: what was measured, at which eps, and how many runs. */
  readonly description: string;
  readonly training: 'adversarial' | 'standard';
  /** L-infinity radius of the attack in 1/255 pixel units; undefined for clean accuracy and corruptions. */
  readonly eps?: number;
  /**
   * What one published value is. NAS-RobBench-201: `mean of 3 seeds` for clean, FGSM and PGD (values on a 1/30,000
   * grid for CIFAR's 10,000 test images, 1/18,000 for ImageNet16-120's 6,000), `single evaluation` for AutoAttack
   * (1/10,000 and 1/6,000 grids). Jung et al.'s acc.json: values rounded to 3 decimals.
   */
  readonly evaluation: 'mean of 3 seeds' | 'single evaluation' | 'rounded to 3 decimals';
  /** Column of the published file: `val_pgd_8_acc` in NAS-RobBench-201_html.json, `pgd` in acc.json. */
  readonly sourceColumn: string;
}

const MEAN_OF_SEEDS = 'Mean of three training seeds.';
const JUNG = 'after standard training (Jung et al. 2023; acc.json, rounded to 3 decimals)';
// acc.json's attack columns are Jung et al.'s eps = 1.0/255 entries: their README quotes PGD accuracy 0.336 for
// #13433 at eps=1.0, acc.json holds 0.336, and the FGSM, APGD-CE and Square columns match the eps=1.0 boxes of their
// dataset notebook (docs/benchmark-numbers.md).
const STD_EPS = 1;

export const METRIC_INFO: Readonly<Record<MetricId, MetricInfo>> = lookupTable({
  clean: {
    id: 'clean', label: 'Clean', training: 'adversarial', sourceColumn: 'val_acc', evaluation: 'mean of 3 seeds',
    description: `Clean accuracy after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'fgsm@3': {
    id: 'fgsm@3', label: 'FGSM@3', training: 'adversarial', sourceColumn: 'val_fgsm_3_acc', eps: 3, evaluation: 'mean of 3 seeds',
    description: `Accuracy under FGSM, eps 3/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'pgd@3': {
    id: 'pgd@3', label: 'PGD@3', training: 'adversarial', sourceColumn: 'val_pgd_3_acc', eps: 3, evaluation: 'mean of 3 seeds',
    description: `Accuracy under PGD, eps 3/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'fgsm@8': {
    id: 'fgsm@8', label: 'FGSM@8', training: 'adversarial', sourceColumn: 'val_fgsm_8_acc', eps: 8, evaluation: 'mean of 3 seeds',
    description: `Accuracy under FGSM, eps 8/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  'pgd@8': {
    id: 'pgd@8', label: 'PGD@8', training: 'adversarial', sourceColumn: 'val_pgd_8_acc', eps: 8, evaluation: 'mean of 3 seeds',
    description: `Accuracy under PGD, eps 8/255, after adversarial training. ${MEAN_OF_SEEDS}`,
  },
  autoattack: {
    id: 'autoattack', label: 'AutoAttack@8', training: 'adversarial', sourceColumn: 'autoattack', eps: 8, evaluation: 'single evaluation',
    description: 'Accuracy under AutoAttack, eps 8/255, after adversarial training. A single evaluation, not a mean of three seeds.',
  },
  'std:clean': {
    id: 'std:clean', label: 'Std clean', training: 'standard', sourceColumn: 'clean', evaluation: 'rounded to 3 decimals',
    description: `Clean accuracy ${JUNG}.`,
  },
  'std:apgd-ce': {
    id: 'std:apgd-ce', label: 'Std APGD-CE@1', training: 'standard', sourceColumn: 'aa_apgd-ce', eps: STD_EPS, evaluation: 'rounded to 3 decimals',
    description: `Accuracy under AutoAttack's APGD-CE, eps 1/255, ${JUNG}.`,
  },
  'std:square': {
    id: 'std:square', label: 'Std Square@1', training: 'standard', sourceColumn: 'aa_square', eps: STD_EPS, evaluation: 'rounded to 3 decimals',
    description: `Accuracy under the Square attack, eps 1/255, ${JUNG}.`,
  },
  'std:fgsm': {
    id: 'std:fgsm', label: 'Std FGSM@1', training: 'standard', sourceColumn: 'fgsm', eps: STD_EPS, evaluation: 'rounded to 3 decimals',
    description: `Accuracy under FGSM, eps 1/255, ${JUNG}.`,
  },
  'std:pgd': {
    id: 'std:pgd', label: 'Std PGD@1', training: 'standard', sourceColumn: 'pgd', eps: STD_EPS, evaluation: 'rounded to 3 decimals',
    description: `Accuracy under PGD, eps 1/255, ${JUNG}.`,
  },
  'std:corruption': {
    id: 'std:corruption', label: 'Std corruption', training: 'standard', sourceColumn: 'corr', evaluation: 'rounded to 3 decimals',
    description: `Accuracy on common corruptions ${JUNG}; not measured for ImageNet16-120.`,
  },
});

export function isMetricId(s: string): s is MetricId {
  return (METRIC_IDS as readonly string[]).includes(s);
}

/** The dataset names used in the published files' headers. */
export const SOURCE_DATASET_NAME: Readonly<Record<'adversarial' | 'standard', Readonly<Record<DatasetId, string>>>> = lookupTable({
  adversarial: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'imagenet' },
  standard: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'ImageNet16-120' },
});
