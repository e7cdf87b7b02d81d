/**
 * Softmax cross-entropy of logits [K][B] against integer labels, averaged over the batch (PyTorch's
 * `CrossEntropyLoss()` default), with its gradient dLoss/dLogits ([K][B], the seed of a backward pass).
 * `reduction: 'sum'` gives per-sample loss gradients unscaled (KNAS uses per-sample gradients).
 */
export function softmaxCrossEntropy(logits: Float32Array, classes: number, labels: ArrayLike<number>, reduction: 'mean' | 'sum' = 'mean'): { loss: number; dLogits: Float32Array } {
  const b = labels.length;
  if (logits.length !== classes * b) throw new RangeError(`softmaxCrossEntropy: ${logits.length} logits for ${classes} classes x ${b} labels`);
  const dLogits = new Float32Array(classes * b);
  const scale = reduction === 'mean' ? 1 / b : 1;
  let loss = 0;
  for (let s = 0; s < b; s++) {
    const label = labels[s];
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new RangeError(`label ${label} of sample ${s} is outside 0..${classes - 1}`);
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[k * b + s]);
    let z = 0;
    for (let k = 0; k < classes; k++) z += Math.exp(logits[k * b + s] - max);
    const logZ = max + Math.log(z);
    loss += logZ - logits[label * b + s];
    for (let k = 0; k < classes; k++) dLogits[k * b + s] = scale * (Math.exp(logits[k * b + s] - logZ) - (k === label ? 1 : 0));
  }
  return { loss: loss * scale, dLogits };
}
