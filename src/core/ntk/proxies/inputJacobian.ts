import type { NumericBackend } from '../engine/backend';
import { Tape, type GradSpec } from '../engine/tape';
import { normalisePixels } from '../inputs/inputSet';
import type { Network } from '../network';
import type { ProxyContext } from './definition';

/**
 * NASLib's `get_batch_jacobian` (naslib/predictors/utils/pruners/measures/jacov.py and epe_nas.py, after
 * Mellor et al.'s nas-without-training): x.grad after `net(x).backward(ones_like(y))`, i.e. the gradient of the
 * sum of all logits of the batch w.r.t. the network's (normalised) input, with BatchNorm in training mode (batch
 * statistics, differentiated through, as PyTorch autograd does). Because the statistics couple the samples, row i
 * is d(sum over the whole batch)/d(x_i), not d(sum of sample i's logits)/d(x_i).
 * `normalised` is [3][n][H][W] (what the network reads). Returns the rows sample-major, [n][3*H*W]; the order of
 * the entries within a row is ours (channel, pixel), the same for every row, which is all a correlation needs.
 * A cell whose output ignores its input gets all-zero rows (attack.ts explains why PyTorch does too).
 */
export function batchInputJacobian(
  network: Network,
  normalised: Float32Array,
  n: number,
  backend: NumericBackend,
): Float64Array[] {
  const size = network.config.inputSize;
  const data = backend.alloc(normalised.length);
  data.set(normalised);
  const tape = new Tape(backend);
  const x = tape.leaf({ c: 3, b: n, h: size, w: size, data }, true);
  const logits = network.forward(tape, x);
  const seed = backend.alloc(logits.t.data.length);
  seed.fill(1);
  const spec: GradSpec = { directions: 1, paramRows: 'per-direction', bnStatistics: 'batch' };
  const dx = tape.backward(logits, seed, spec, [x]).get(x.id);
  const plane = size * size;
  return Array.from({ length: n }, (_, s) => {
    const row = new Float64Array(3 * plane);
    if (dx)
      for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) row[c * plane + p] = dx[(c * n + s) * plane + p];
    return row;
  });
}

const jacobians = new WeakMap<ProxyContext, Float64Array[]>();

/** {@link batchInputJacobian} of a context's network and inputs, computed once for jacob_cov and EPE-NAS. */
export function contextInputJacobian(context: ProxyContext): Float64Array[] {
  let rows = jacobians.get(context);
  if (!rows) {
    const { network, inputs, backend } = context;
    rows = batchInputJacobian(network, normalisePixels(inputs.pixels, inputs.dataset), inputs.count, backend);
    jacobians.set(context, rows);
  }
  return rows;
}

/**
 * numpy.corrcoef of the rows (each row one variable): Pearson correlations in float64, clipped to [-1, 1] as numpy
 * clips them. A constant row has no defined correlation: its entries are NaN, as numpy's (0/0) are.
 */
export function correlationMatrix(rows: readonly Float64Array[]): Float64Array {
  const m = rows.length;
  const centred = rows.map((r) => {
    let mean = 0;
    for (let i = 0; i < r.length; i++) mean += r[i];
    mean /= r.length;
    return r.map((v) => v - mean);
  });
  const cov = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let s = 0;
      const ra = centred[a];
      const rb = centred[b];
      for (let i = 0; i < ra.length; i++) s += ra[i] * rb[i];
      cov[a * m + b] = s;
      cov[b * m + a] = s;
    }
  }
  const corr = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const v = cov[a * m + b] / Math.sqrt(cov[a * m + a]) / Math.sqrt(cov[b * m + b]);
      corr[a * m + b] = Number.isNaN(v) ? NaN : Math.max(-1, Math.min(1, v));
    }
  }
  return corr;
}
