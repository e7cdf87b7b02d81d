import type { BackwardContext, Tape, Var } from '../engine/tape';
import type { Param, Tensor } from '../engine/tensor';

/** PyTorch's BatchNorm2d default epsilon. */
export const BN_EPS = 1e-5;

export interface BatchNormOptions {
  /**
   * The batch is `groups` independent batches of B/groups samples, each normalised with its own statistics, as
   * if run through the network separately (used to get Theta(X, X') for two input sets in one pass).
   */
  readonly groups?: number;
  /** Use these statistics ([C*groups] each) instead of the batch's: tests use it to check the fixed-bn kernel. */
  readonly frozen?: { readonly mean: Float64Array; readonly invStd: Float64Array };
}

/**
 * BatchNorm2d with affine parameters and batch statistics (training mode, biased variance, as PyTorch normalises).
 * Statistics are accumulated in float64 (shared/notes/ntk-engine.md). The backward pass either differentiates
 * through the statistics (`bnStatistics: 'batch'`, the exact kernel) or holds them constant (`fixed-bn`).
 */
export function batchNorm(tape: Tape, x: Var, gamma: Param, beta: Param, options: BatchNormOptions = {}): Var {
  const { c, b, h, w } = x.t;
  const groups = options.groups ?? 1;
  if (b % groups !== 0) throw new RangeError(`batchNorm: batch ${b} is not divisible into ${groups} groups`);
  if (gamma.size !== c || beta.size !== c) throw new RangeError(`batchNorm ${gamma.name}: ${c} channels, parameters have ${gamma.size}`);
  const be = tape.backend;
  const bg = b / groups;
  const hw = h * w;
  const m = bg * hw;
  const xs = x.t.data;
  const { mean, invStd } = options.frozen ?? batchStatistics(x.t, groups);
  const xhat = be.alloc(c * b * hw);
  const y = be.alloc(c * b * hw);
  for (let ch = 0; ch < c; ch++) {
    const ga = gamma.data[ch];
    const bt = beta.data[ch];
    for (let g = 0; g < groups; g++) {
      const mu = mean[ch * groups + g];
      const is = invStd[ch * groups + g];
      const start = (ch * b + g * bg) * hw;
      for (let i = start; i < start + m; i++) {
        const v = (xs[i] - mu) * is;
        xhat[i] = v;
        y[i] = ga * xhat[i] + bt;
      }
    }
  }
  const out: Tensor = { c, b, h, w, data: y };

  return tape.record(out, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    const D = ctx.directions;
    const perSample = ctx.spec.paramRows === 'per-sample';
    const rowsCount = perSample ? b : D;
    const dGamma = be.alloc(rowsCount * c);
    const dBeta = be.alloc(rowsCount * c);
    for (let ch = 0; ch < c; ch++) {
      for (let d = 0; d < D; d++) {
        for (let s = 0; s < b; s++) {
          const o = ((ch * D + d) * b + s) * hw;
          const xo = (ch * b + s) * hw;
          let sg = 0;
          let sb = 0;
          for (let p = 0; p < hw; p++) {
            sg += dOut[o + p] * xhat[xo + p];
            sb += dOut[o + p];
          }
          const row = perSample ? s : d;
          dGamma[row * c + ch] += sg;
          dBeta[row * c + ch] += sb;
        }
      }
    }
    ctx.spec.onParamGrad(gamma, dGamma, rowsCount);
    ctx.spec.onParamGrad(beta, dBeta, rowsCount);
    be.free(dGamma);
    be.free(dBeta);
    if (!x.needsGrad) return [null];
    const dX = be.alloc(c * D * b * hw);
    const constant = ctx.spec.bnStatistics === 'constant';
    for (let ch = 0; ch < c; ch++) {
      const ga = gamma.data[ch];
      for (let d = 0; d < D; d++) {
        for (let g = 0; g < groups; g++) {
          const scale = ga * invStd[ch * groups + g];
          const o = ((ch * D + d) * b + g * bg) * hw;
          const xo = (ch * b + g * bg) * hw;
          if (constant) {
            for (let i = 0; i < m; i++) dX[o + i] = scale * dOut[o + i];
            continue;
          }
          // d/dx of gamma*(x-mean)*invStd with mean and variance of this group depending on x.
          let s1 = 0;
          let s2 = 0;
          for (let i = 0; i < m; i++) {
            s1 += dOut[o + i];
            s2 += dOut[o + i] * xhat[xo + i];
          }
          const a1 = s1 / m;
          const a2 = s2 / m;
          for (let i = 0; i < m; i++) dX[o + i] = scale * (dOut[o + i] - a1 - xhat[xo + i] * a2);
        }
      }
    }
    return [dX];
  }, true);
}

/** The statistics batchNorm would use for `x` (for freezing them in tests). */
export function batchStatistics(t: Tensor, groups = 1): { mean: Float64Array; invStd: Float64Array } {
  const { c, b, h, w, data } = t;
  const bg = b / groups;
  const m = bg * h * w;
  const mean = new Float64Array(c * groups);
  const invStd = new Float64Array(c * groups);
  for (let ch = 0; ch < c; ch++) {
    for (let g = 0; g < groups; g++) {
      const start = (ch * b + g * bg) * h * w;
      let s = 0;
      for (let i = start; i < start + m; i++) s += data[i];
      const mu = s / m;
      let v = 0;
      for (let i = start; i < start + m; i++) v += (data[i] - mu) * (data[i] - mu);
      mean[ch * groups + g] = mu;
      invStd[ch * groups + g] = 1 / Math.sqrt(v / m + BN_EPS);
    }
  }
  return { mean, invStd };
}
