import { symmetricEigenvalues } from './eigen';

/** Scalar summaries of one kernel matrix. */
export interface KernelSummary {
  /** ||K||_F, the paper's "NTK score" (after Xu et al., 2021). */
  readonly frobenius: number;
  readonly trace: number;
  readonly minEigenvalue: number;
  readonly maxEigenvalue: number;
  /** maxEigenvalue / minEigenvalue; Infinity when the smallest eigenvalue is not positive (singular in float64). */
  readonly conditionNumber: number;
}

export function summarizeKernel(k: ArrayLike<number>, n: number): KernelSummary {
  let frob = 0;
  let trace = 0;
  for (let i = 0; i < n * n; i++) frob += k[i] * k[i];
  for (let i = 0; i < n; i++) trace += k[i * n + i];
  const eig = symmetricEigenvalues(k, n);
  const minEigenvalue = eig[0];
  const maxEigenvalue = eig[n - 1];
  return {
    frobenius: Math.sqrt(frob),
    trace,
    minEigenvalue,
    maxEigenvalue,
    conditionNumber: minEigenvalue > 0 ? maxEigenvalue / minEigenvalue : Infinity,
  };
}

/** The rows/columns `rows` of an n x n matrix, as a new square matrix. */
export function subMatrix(
  k: ArrayLike<number>,
  n: number,
  rows: readonly number[],
  cols: readonly number[] = rows,
): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (out[i * cols.length + j] = k[r * n + c])));
  return out;
}

/**
 * log |det K| of a symmetric matrix (NASWOT's score, Mellor et al., ICML 2021, uses numpy's slogdet):
 * Cholesky when K is positive definite, otherwise the sum of log |eigenvalue| (-Infinity when singular).
 */
export function logAbsDeterminant(k: ArrayLike<number>, n: number): number {
  const l = Float64Array.from(k);
  let logDet = 0;
  let positive = true;
  for (let j = 0; j < n && positive; j++) {
    let d = l[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    if (!(d > 0)) {
      positive = false;
      break;
    }
    const root = Math.sqrt(d);
    l[j * n + j] = root;
    logDet += 2 * Math.log(root);
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / root;
    }
  }
  if (positive) return logDet;
  let sum = 0;
  for (const v of symmetricEigenvalues(k, n)) sum += Math.log(Math.abs(v));
  return sum;
}
