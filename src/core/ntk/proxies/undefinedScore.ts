/**
 * NASLib's ZeroCost predictor (naslib/predictors/zerocost.py, `query`) replaces a NaN or infinite score by -1e8,
 * so a network whose score is undefined ranks below every other. jacob_cov and EPE-NAS are NaN and Zen-NAS is
 * -Infinity for a cell whose output ignores its input (numpy's corrcoef of constant rows; log 0); we keep
 * NASLib's rule so rankings match NAS-Bench-Suite-Zero's.
 */
export const UNDEFINED_SCORE = -1e8;

export function rankedLastWhenUndefined(score: number): number {
  return Number.isFinite(score) ? score : UNDEFINED_SCORE;
}
