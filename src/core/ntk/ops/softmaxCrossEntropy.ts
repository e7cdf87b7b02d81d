/**
 * Softmax cross-entropy of logits [K][B] against integer labels, averaged over the batch (PyTorch's
 * `CrossEntropyLoss()` default), with its gradient dLoss/dLogits ([K][B], the seed of a backward pass).
 * `reduction: 'sum'` gives per-sample loss gradients unscaled (KNAS uses per-sample gradients).
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  reduction: 'mean' | 'sum' = 'mean',
): { loss: number; dLogits: Float32Array } {
  return softmaxCrossEntropyInto(logits, classes, labels, reduction, new Float32Array(classes * labels.length));
}

/** {@link softmaxCrossEntropy} with the gradient in float64 (Hessian-vector products checked in float64). */
export function softmaxCrossEntropy64(
  logits: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
): { loss: number; dLogits: Float64Array } {
  return softmaxCrossEntropyInto(logits, classes, labels, 'mean', new Float64Array(classes * labels.length));
}

function softmaxCrossEntropyInto<T extends Float32Array | Float64Array>(
  logits: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
  reduction: 'mean' | 'sum',
  dLogits: T,
): { loss: number; dLogits: T } {
  const b = labels.length;
  if (logits.length !== classes * b)
    throw new RangeError(`softmaxCrossEntropy: ${logits.length} logits for ${classes} classes x ${b} labels`);
  const scale = reduction === 'mean' ? 1 / b : 1;
  let loss = 0;
  for (let s = 0; s < b; s++) {
    const label = labels[s];
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new RangeError(`label ${label} of sample ${s} is outside 0..${classes - 1}`);
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[k * b + s]);
    let z = 0;
    for (let k = 0; k < classes; k++) z += Math.exp(logits[k * b + s] - max);
    const logZ = max + Math.log(z);
    loss += logZ - logits[label * b + s];
    for (let k = 0; k < classes; k++)
      dLogits[k * b + s] = scale * (Math.exp(logits[k * b + s] - logZ) - (k === label ? 1 : 0));
  }
  return { loss: loss * scale, dLogits };
}

/**
 * Tangent of the mean cross-entropy's logit gradient as the logits move by dLogits (both [K][B]): per sample,
 * (p * dz - p * <p, dz>) / B with p = softmax(z), the softmax Jacobian applied to dz (for Hessian-vector products).
 */
export function softmaxCrossEntropyGradientTangent(
  logits: Float32Array,
  dLogits: ArrayLike<number>,
  classes: number,
  b: number,
): Float64Array {
  if (logits.length !== classes * b || dLogits.length !== classes * b)
    throw new RangeError(`softmaxCrossEntropyGradientTangent: expected ${classes * b} logits`);
  const out = new Float64Array(classes * b);
  const p = new Float64Array(classes);
  for (let s = 0; s < b; s++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[k * b + s]);
    let z = 0;
    for (let k = 0; k < classes; k++) z += p[k] = Math.exp(logits[k * b + s] - max);
    let pDz = 0;
    for (let k = 0; k < classes; k++) {
      p[k] /= z;
      pDz += p[k] * dLogits[k * b + s];
    }
    for (let k = 0; k < classes; k++) out[k * b + s] = (p[k] * (dLogits[k * b + s] - pDz)) / b;
  }
  return out;
}
