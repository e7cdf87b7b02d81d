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
  /** Column label, e.g. `PGD@8`. */
  readonly label: string;
  /** One sentence for hovers and tooltips. */
  readonly description: string;
  readonly training: 'adversarial' | 'standard';
  /** Column of the published file: `val_pgd_8_acc` in NAS-RobBench-201_html.json, `pgd` in acc.json. */
  readonly sourceColumn: string;
}

export const METRIC_INFO: Readonly<Record<MetricId, MetricInfo>> = lookupTable({
  clean: { id: 'clean', label: 'Clean', training: 'adversarial', sourceColumn: 'val_acc', description: 'Clean accuracy after adversarial training.' },
  'fgsm@3': { id: 'fgsm@3', label: 'FGSM@3', training: 'adversarial', sourceColumn: 'val_fgsm_3_acc', description: 'Accuracy under FGSM, eps 3/255, after adversarial training.' },
  'pgd@3': { id: 'pgd@3', label: 'PGD@3', training: 'adversarial', sourceColumn: 'val_pgd_3_acc', description: 'Accuracy under PGD, eps 3/255, after adversarial training.' },
  'fgsm@8': { id: 'fgsm@8', label: 'FGSM@8', training: 'adversarial', sourceColumn: 'val_fgsm_8_acc', description: 'Accuracy under FGSM, eps 8/255, after adversarial training.' },
  'pgd@8': { id: 'pgd@8', label: 'PGD@8', training: 'adversarial', sourceColumn: 'val_pgd_8_acc', description: 'Accuracy under PGD, eps 8/255, after adversarial training.' },
  autoattack: { id: 'autoattack', label: 'AutoAttack', training: 'adversarial', sourceColumn: 'autoattack', description: 'Accuracy under AutoAttack after adversarial training.' },
  'std:clean': { id: 'std:clean', label: 'Std clean', training: 'standard', sourceColumn: 'clean', description: 'Clean accuracy after standard training (Jung et al. 2023).' },
  'std:apgd-ce': { id: 'std:apgd-ce', label: 'Std APGD-CE', training: 'standard', sourceColumn: 'aa_apgd-ce', description: 'Accuracy under AutoAttack APGD-CE after standard training (Jung et al. 2023).' },
  'std:square': { id: 'std:square', label: 'Std Square', training: 'standard', sourceColumn: 'aa_square', description: 'Accuracy under the Square attack after standard training (Jung et al. 2023).' },
  'std:fgsm': { id: 'std:fgsm', label: 'Std FGSM', training: 'standard', sourceColumn: 'fgsm', description: 'Accuracy under FGSM after standard training (Jung et al. 2023).' },
  'std:pgd': { id: 'std:pgd', label: 'Std PGD', training: 'standard', sourceColumn: 'pgd', description: 'Accuracy under PGD after standard training (Jung et al. 2023).' },
  'std:corruption': { id: 'std:corruption', label: 'Std corruption', training: 'standard', sourceColumn: 'corr', description: 'Accuracy on common corruptions after standard training (Jung et al. 2023); not measured for ImageNet16-120.' },
});

export function isMetricId(s: string): s is MetricId {
  return (METRIC_IDS as readonly string[]).includes(s);
}

/** The dataset names used in the published files' headers. */
export const SOURCE_DATASET_NAME: Readonly<Record<'adversarial' | 'standard', Readonly<Record<DatasetId, string>>>> = lookupTable({
  adversarial: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'imagenet' },
  standard: { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'ImageNet16-120' },
});
