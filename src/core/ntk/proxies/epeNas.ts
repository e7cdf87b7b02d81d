import type { NumericBackend } from '../engine/backend';
import type { Network } from '../network';
import type { ProxyDefinition } from './definition';
import { batchInputJacobian, contextInputJacobian, correlationMatrix } from './inputJacobian';
import { rankedLastWhenUndefined } from './undefinedScore';

/** NASLib's `k` in epe_nas.py. */
const EPE_EPS = 1e-5;

/**
 * EPE-NAS (Lopes et al., "EPE-NAS: Efficient Performance Estimation Without Training for Neural Architecture
 * Search", ICANN 2021), as NASLib computes it (naslib/predictors/utils/pruners/measures/epe_nas.py): the batch
 * input Jacobian (inputJacobian.ts) grouped by label; per class c, s_c = sum(log(|corrcoef(J_c)| + k)), k = 1e-5.
 * With at most 100 classes (CIFAR-10/100) the score is sum_c |s_c|; with more (ImageNet16-120) each s_c is first
 * divided by the class's sample count and the score is sum over ordered pairs |s_c - s_c'| / (number of classes).
 * NASLib's quirks, kept: a class with one sample has corrcoef 1 (numpy's value for a single variable), so
 * s_c = log(1 + k) with <= 100 classes, and with more the class is skipped (NASLib's `len()` of numpy's 0-d
 * result raises and its `except` skips it). NaN when a class's rows are constant (numpy's corrcoef is NaN).
 */
export function epeNas(
  network: Network,
  normalised: Float32Array,
  labels: ArrayLike<number>,
  backend: NumericBackend,
): number {
  return epeNasScore(batchInputJacobian(network, normalised, labels.length, backend), labels, network.config.classes);
}

export function epeNasScore(rows: readonly Float64Array[], labels: ArrayLike<number>, classes: number): number {
  const byClass = new Map<number, Float64Array[]>();
  rows.forEach((row, i) => {
    const list = byClass.get(labels[i]) ?? [];
    list.push(row);
    byClass.set(labels[i], list);
  });
  const many = classes > 100;
  const perClass: number[] = [];
  for (const members of byClass.values()) {
    if (members.length === 1) {
      if (many) continue;
      // numpy.corrcoef of one variable: c / c, i.e. 1, or NaN when the row is constant (c = 0).
      perClass.push(Math.log(Math.abs(correlationMatrix(members)[0]) + EPE_EPS));
      continue;
    }
    const corr = correlationMatrix(members);
    let s = 0;
    for (const v of corr) s += Math.log(Math.abs(v) + EPE_EPS);
    perClass.push(many ? s / members.length : s);
  }
  let score = 0;
  if (!many) {
    for (const s of perClass) score += Math.abs(s);
    return score;
  }
  for (const a of perClass) for (const b of perClass) score += Math.abs(a - b);
  return perClass.length > 0 ? score / perClass.length : 0;
}

export const epeNasProxy: ProxyDefinition = {
  id: 'zc:epe_nas',
  name: 'EPE-NAS',
  summary: 'per-label correlations of input Jacobians: sum_c |sum log(|corr| + 1e-5)| (> 100 classes: pairwise spread)',
  paper:
    'Lopes et al., EPE-NAS: Efficient Performance Estimation Without Training for Neural Architecture Search, ICANN 2021',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/epe_nas.py',
  needsData: true,
  needsLabels: true,
  compute(context) {
    return rankedLastWhenUndefined(
      epeNasScore(contextInputJacobian(context), context.inputs.labels, context.network.config.classes),
    );
  },
};
