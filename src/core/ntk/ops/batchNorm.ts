import * as elementwise from '../engine/elementwise';
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
  /**
   * The input is this op's alone (a convolution's output that nothing else reads, forward or backward): the
   * normalised values then overwrite it instead of taking a buffer of their own, a quarter of the activation
   * memory of NAS-Bench-201's ReLU-conv-BN edges.
   */
  readonly overwriteInput?: boolean;
}

/**
 * BatchNorm2d with affine parameters and batch statistics (training mode, biased variance, as PyTorch normalises).
 * Statistics are accumulated in float64 (shared/notes/ntk-engine.md). The backward pass either differentiates
 * through the statistics (`bnStatistics: 'batch'`, the exact kernel) or holds them constant (`fixed-bn`); it works
 * in place on the incoming cotangent. The loops are the back end's elementwise kernels (engine/elementwise.ts).
 */
export function batchNorm(tape: Tape, x: Var, gamma: Param, beta: Param, options: BatchNormOptions = {}): Var {
  const { c, b, h, w } = x.t;
  const groups = options.groups ?? 1;
  if (b % groups !== 0) throw new RangeError(`batchNorm: batch ${b} is not divisible into ${groups} groups`);
  if (gamma.size !== c || beta.size !== c) throw new RangeError(`batchNorm ${gamma.name}: ${c} channels, parameters have ${gamma.size}`);
  const be = tape.backend;
  const hw = h * w;
  const stats = { mean: be.allocF64(c * groups), invStd: be.allocF64(c * groups) };
  if (options.frozen) {
    stats.mean.set(options.frozen.mean);
    stats.invStd.set(options.frozen.invStd);
  } else {
    be.bnStatistics(x.t.data, c, b, groups, hw, stats.mean, stats.invStd, BN_EPS);
  }
  // A layer observer reads the convolution's output in the backward pass (Tape.layerObserver): keep it.
  const xhat = options.overwriteInput && !tape.layerObserver ? x.t.data : be.allocUninitialized(c * b * hw);
  const y = be.allocUninitialized(c * b * hw);
  be.bnForward(x.t.data, xhat, y, c, b, groups, hw, stats.mean, stats.invStd, gamma.data, beta.data);
  const out: Tensor = { c, b, h, w, data: y };

  return tape.record(out, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    const D = ctx.directions;
    const onParamGrad = ctx.paramGrad;
    if (onParamGrad) {
      const perSample = ctx.spec.paramRows === 'per-sample';
      const rowsCount = perSample ? b : D;
      const dGamma = be.alloc(rowsCount * c);
      const dBeta = be.alloc(rowsCount * c);
      be.bnParamGrads(dOut, xhat, c, D, b, hw, dGamma, dBeta, perSample);
      onParamGrad(gamma, dGamma, rowsCount, 'rows');
      onParamGrad(beta, dBeta, rowsCount, 'rows');
      be.free(dGamma);
      be.free(dBeta);
    }
    if (!x.needsGrad) return [null];
    be.bnBackward(dOut, xhat, c, D, b, groups, hw, gamma.data, stats.invStd, ctx.spec.bnStatistics === 'constant');
    return [dOut];
  }, true);
}

/** The statistics batchNorm would use for `x` (for freezing them in tests). */
export function batchStatistics(t: Tensor, groups = 1): { mean: Float64Array; invStd: Float64Array } {
  const mean = new Float64Array(t.c * groups);
  const invStd = new Float64Array(t.c * groups);
  elementwise.bnStatistics(t.data, t.c, t.b, groups, t.h * t.w, mean, invStd, BN_EPS);
  return { mean, invStd };
}
