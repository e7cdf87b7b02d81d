import { symmetricEigenvalues } from '../eigen';
import type { NumericBackend } from '../engine/backend';
import type { Network } from '../network';
import type { ProxyDefinition } from './definition';
import { batchInputJacobian, contextInputJacobian, correlationMatrix } from './inputJacobian';
import { rankedLastWhenUndefined } from './undefinedScore';

/** NASLib's `k` in jacov.py: keeps log and 1/v finite for (near-)zero eigenvalues. */
const JACOB_COV_EPS = 1e-5;

/**
 * jacob_cov (Mellor et al., "Neural Architecture Search without Training", arXiv 2006.04647v1; Abdelfattah et
 * al., ICLR 2021), as NASLib computes it (naslib/predictors/utils/pruners/measures/jacov.py): J = the batch input
 * Jacobian of inputJacobian.ts, C = corrcoef(J) (n x n over samples), v = eig(C), score = -sum(log(v + k) +
 * 1/(v + k)), k = 1e-5. Higher is better (correlations near 0 between samples' Jacobians).
 * C is symmetric, so its eigenvalues come from our Jacobi solver (NASLib calls numpy.linalg.eig, whose
 * eigenvalues of a symmetric matrix are the same real numbers).
 * Undefined (NaN) when a row is constant, e.g. a cell whose output ignores its input; so is NASLib's score
 * (numpy's corrcoef gives NaN there).
 */
export function jacobCov(network: Network, normalised: Float32Array, n: number, backend: NumericBackend): number {
  return jacobCovScore(batchInputJacobian(network, normalised, n, backend));
}

export function jacobCovScore(rows: readonly Float64Array[]): number {
  const n = rows.length;
  const corr = correlationMatrix(rows);
  if (corr.some(Number.isNaN)) return NaN;
  let score = 0;
  for (const v of symmetricEigenvalues(corr, n)) score -= Math.log(v + JACOB_COV_EPS) + 1 / (v + JACOB_COV_EPS);
  return score;
}

export const jacobCovProxy: ProxyDefinition = {
  id: 'zc:jacob_cov',
  name: 'jacob_cov',
  summary: '-sum(log(v + 1e-5) + 1/(v + 1e-5)) over eigenvalues v of the correlation of input Jacobians (no loss)',
  paper:
    'Mellor et al., Neural Architecture Search without Training, arXiv 2006.04647v1; Abdelfattah et al., ICLR 2021',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/jacov.py',
  needsData: true,
  needsLabels: false,
  compute(context) {
    return rankedLastWhenUndefined(jacobCovScore(contextInputJacobian(context)));
  },
};
