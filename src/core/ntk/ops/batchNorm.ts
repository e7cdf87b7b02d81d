import * as elementwise from '../engine/elementwise';
import { isTangentPass, type BackwardContext, type Tape, type Var } from '../engine/tape';
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
 * in place on the incoming cotangent unless other values share it (Tape.isSharedCotangent). The loops are the back
 * end's elementwise kernels (engine/elementwise.ts).
 * Tangent mode (engine/tape.ts TangentMode; batch statistics, one group): see bnTangent and bnTangentBackward.
 */
export function batchNorm(tape: Tape, x: Var, gamma: Param, beta: Param, options: BatchNormOptions = {}): Var {
  const { c, b, h, w } = x.t;
  const groups = options.groups ?? 1;
  if (b % groups !== 0) throw new RangeError(`batchNorm: batch ${b} is not divisible into ${groups} groups`);
  if (gamma.size !== c || beta.size !== c)
    throw new RangeError(`batchNorm ${gamma.name}: ${c} channels, parameters have ${gamma.size}`);
  const be = tape.backend;
  const hw = h * w;
  const stats = { mean: be.allocF64(c * groups), invStd: be.allocF64(c * groups) };
  if (options.frozen) {
    stats.mean.set(options.frozen.mean);
    stats.invStd.set(options.frozen.invStd);
  } else {
    be.bnStatistics(x.t.data, c, b, groups, hw, stats.mean, stats.invStd, BN_EPS);
  }
  tape.bnObserver?.(gamma, stats.mean, stats.invStd, (b / groups) * hw);
  // A layer observer reads the convolution's output in the backward pass (Tape.layerObserver): keep it.
  const xhat = options.overwriteInput && !tape.layerObserver ? x.t.data : be.allocUninitialized(c * b * hw);
  const y = be.allocUninitialized(c * b * hw);
  be.bnForward(x.t.data, xhat, y, c, b, groups, hw, stats.mean, stats.invStd, gamma.data, beta.data);
  const out: Tensor = { c, b, h, w, data: y };
  const tangent = tape.tangentMode
    ? bnTangent(
        be.alloc(c * b * hw),
        tape.tangentOf(x),
        xhat,
        stats.invStd,
        gamma,
        beta,
        { c, b, hw, groups, frozen: !!options.frozen },
        tape.tangentMode,
      )
    : null;

  const recorded = tape.record(
    out,
    [x],
    (dOut: Float32Array, ctx: BackwardContext) => {
      const D = ctx.directions;
      const onParamGrad = ctx.paramGrad;
      const tangentPass = isTangentPass(tape, ctx);
      if (tangentPass && ctx.spec.bnStatistics !== 'batch')
        throw new Error('batchNorm: tangent mode differentiates through batch statistics only');
      const correction =
        tangentPass && tangent ? bnTangentBackward(dOut, xhat, stats.invStd, gamma, tangent, { c, b, hw }) : null;
      const constant = ctx.spec.bnStatistics === 'constant';
      // The input gradient's per-group sums of dOut and dOut * xhat, taken in the parameter gradients' pass.
      const sumsBuffer = onParamGrad && x.needsGrad && !constant ? be.allocUninitialized(4 * c * D * groups) : null;
      const groupSums = sumsBuffer
        ? { groups, sums: new Float64Array(sumsBuffer.buffer, sumsBuffer.byteOffset, 2 * c * D * groups) }
        : undefined;
      if (onParamGrad) {
        const perSample = ctx.spec.paramRows === 'per-sample';
        const rowsCount = perSample ? b : D;
        const dGamma = be.alloc(rowsCount * c);
        const dBeta = be.alloc(rowsCount * c);
        be.bnParamGrads(dOut, xhat, c, D, b, hw, dGamma, dBeta, perSample, groupSums);
        if (correction) for (let ch = 0; ch < c; ch++) dGamma[c + ch] += correction.dGamma[ch];
        onParamGrad(gamma, dGamma, rowsCount, 'rows');
        onParamGrad(beta, dBeta, rowsCount, 'rows');
        be.free(dGamma);
        be.free(dBeta);
      }
      if (!x.needsGrad) return [null];
      // In place, unless other values still hold dOut (an addN's inputs: Tape.isSharedCotangent).
      const dX = tape.isSharedCotangent(dOut) ? be.allocUninitialized(dOut.length) : dOut;
      be.bnBackward(dOut, xhat, c, D, b, groups, hw, gamma.data, stats.invStd, constant, groupSums?.sums, dX);
      if (sumsBuffer) be.free(sumsBuffer);
      if (correction) {
        const m = b * hw;
        for (let ch = 0; ch < c; ch++) {
          const o = (ch * 2 + 1) * m;
          for (let i = 0; i < m; i++) dX[o + i] += correction.dInput[ch * m + i];
        }
      }
      return [dX];
    },
    true,
  );
  if (tangent) tape.setTangent(recorded, tangent.dy);
  return recorded;
}

interface BnShape {
  readonly c: number;
  readonly b: number;
  readonly hw: number;
}

/** Forward tangents of BN in training mode, kept for its backward pass. */
interface BnTangent {
  /** Tangent of the output, [C][B][H][W]. */
  readonly dy: Float32Array;
  /** Tangent of xhat; null when the input has none (then xhat does not move). */
  readonly dXhat: Float64Array | null;
  /** Per channel, s * mean(xhat * dx) = -(tangent of s) / s, s = 1/sqrt(var + eps). */
  readonly dLogScale: Float64Array;
  /** Tangents of gamma (null: zero). */
  readonly dGamma: Float32Array | null;
}

/**
 * y = gamma * xhat + beta, xhat = (x - mean) * s. With m values per channel and mean(.) over them:
 * dxhat = s * (dx - mean(dx) - xhat * mean(xhat * dx)), ds / s = -s * mean(xhat * dx), and
 * dy = gamma * dxhat + dgamma * xhat + dbeta, written into `dy`. Null when nothing moves.
 */
function bnTangent(
  dy: Float32Array,
  dx: Float32Array | null,
  xhat: Float32Array,
  invStd: Float64Array,
  gamma: Param,
  beta: Param,
  shape: BnShape & { groups: number; frozen: boolean },
  mode: { paramTangent(p: Param): Float32Array | null },
): BnTangent | null {
  const { c, b, hw, groups, frozen } = shape;
  const dGamma = mode.paramTangent(gamma);
  const dBeta = mode.paramTangent(beta);
  if (!dx && !dGamma && !dBeta) return null;
  if (groups !== 1 || frozen) throw new Error('batchNorm: tangent mode supports one group with batch statistics');
  const m = b * hw;
  const dXhat = dx ? new Float64Array(c * m) : null;
  const dLogScale = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const o = ch * m;
    const s = invStd[ch];
    if (dx && dXhat) {
      let meanDx = 0;
      let meanXhatDx = 0;
      for (let i = o; i < o + m; i++) {
        meanDx += dx[i];
        meanXhatDx += xhat[i] * dx[i];
      }
      meanDx /= m;
      meanXhatDx /= m;
      dLogScale[ch] = s * meanXhatDx;
      for (let i = o; i < o + m; i++) dXhat[i] = s * (dx[i] - meanDx - xhat[i] * meanXhatDx);
    }
    const g = gamma.data[ch];
    const dg = dGamma ? dGamma[ch] : 0;
    const db = dBeta ? dBeta[ch] : 0;
    for (let i = o; i < o + m; i++) dy[i] = (dXhat ? g * dXhat[i] : 0) + dg * xhat[i] + db;
  }
  return { dy, dXhat, dLogScale, dGamma };
}

/**
 * The terms BN's backward pass gains in tangent mode, from g = direction 0 of dOut (read before the in-place
 * backward overwrites it). With P(u) = u - mean(u) - xhat * mean(xhat * u), the input gradient is
 * gamma * s * P(g); its tangent is gamma * s * P(dg) (what bnBackward computes on direction 1) plus
 * s * (dgamma - gamma * s * mean(xhat * dx)) * P(g) - gamma * s * (dxhat * mean(xhat * g) + xhat * mean(dxhat * g)).
 * The gamma gradient sum(g * xhat) gains sum(g * dxhat).
 */
function bnTangentBackward(
  dOut: Float32Array,
  xhat: Float32Array,
  invStd: Float64Array,
  gamma: Param,
  t: BnTangent,
  shape: BnShape,
): { dInput: Float64Array; dGamma: Float64Array } {
  const { c, b, hw } = shape;
  const m = b * hw;
  const dInput = new Float64Array(c * m);
  const dGamma = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const go = ch * 2 * m;
    const xo = ch * m;
    const s = invStd[ch];
    const g = gamma.data[ch];
    let meanG = 0;
    let meanXhatG = 0;
    let meanDxhatG = 0;
    for (let i = 0; i < m; i++) {
      const gi = dOut[go + i];
      meanG += gi;
      meanXhatG += xhat[xo + i] * gi;
      if (t.dXhat) meanDxhatG += t.dXhat[xo + i] * gi;
    }
    dGamma[ch] = meanDxhatG;
    meanG /= m;
    meanXhatG /= m;
    meanDxhatG /= m;
    const projected = s * ((t.dGamma ? t.dGamma[ch] : 0) - g * t.dLogScale[ch]);
    for (let i = 0; i < m; i++) {
      const xh = xhat[xo + i];
      const p = dOut[go + i] - meanG - xh * meanXhatG;
      const dxh = t.dXhat ? t.dXhat[xo + i] : 0;
      dInput[xo + i] = projected * p - g * s * (dxh * meanXhatG + xh * meanDxhatG);
    }
  }
  return { dInput, dGamma };
}

/** The statistics batchNorm would use for `x` (for freezing them in tests). */
export function batchStatistics(t: Tensor, groups = 1): { mean: Float64Array; invStd: Float64Array } {
  const mean = new Float64Array(t.c * groups);
  const invStd = new Float64Array(t.c * groups);
  elementwise.bnStatistics(t.data, t.c, t.b, groups, t.h * t.w, mean, invStd, BN_EPS);
  return { mean, invStd };
}
