import type { NumericBackend } from './engine/backend';
import { Tape, type GradSpec, type ParamGradLayout } from './engine/tape';
import type { Tensor } from './engine/tensor';
import type { Network } from './network';

/**
 * Which NTK: `exact` differentiates through BN's batch statistics (what a PyTorch per-sample loop with
 * `retain_graph` computes; n vector-Jacobian products), `fixed-bn` holds them constant (all per-sample gradients
 * from one batched backward pass). They are different kernels (shared/notes/ntk-engine.md).
 */
export const KERNEL_KINDS = ['fixed-bn', 'exact'] as const;
export type KernelKind = (typeof KERNEL_KINDS)[number];

/**
 * Memory the forward pass of the fixed-bn kernel may keep for the backward one (convolution columns, rebuilt
 * when over budget): all of them at proxy size; at full size, n = 32, some within the 1.5 GB. The exact
 * kernel keeps none: its n-direction cotangents need the memory, and rebuilding columns is a small part of its
 * n-fold backward pass.
 */
const RETAINED_COLUMNS_BYTES = 256 * 2 ** 20;

/**
 * Theta = J J^T for the samples of `input` ([3][G*n][H][W], G groups of n samples, each group normalised by its
 * own BN statistics as if it were a separate batch), with J_i = d(sum of logits of sample i)/d(all parameters).
 * K is accumulated layer by layer (K += J_l J_l^T) as each parameter's gradient rows appear; the full J never
 * exists. Returns the (G*n) x (G*n) matrix in float64, row-major.
 * - fixed-bn: one forward and one backward pass over the stacked batch, per-sample gradient rows.
 * - exact: one tape per group (its own batch), n directions each, run backward in lockstep so that every
 *   parameter's rows of all groups meet (Tape.backwardTogether): the cross-group blocks need them together.
 */
export function ntkGram(
  network: Network,
  input: Tensor,
  groups: number,
  kind: KernelKind,
  backend: NumericBackend,
): Float64Array {
  const total = input.b;
  const n = total / groups;
  const classes = network.config.classes;
  const gram = new Float64Array(total * total);
  // Rows of the pass-th block are samples pass*rowsPerPass .. (pass+1)*rowsPerPass - 1 of the Gram matrix.
  const rowsPerPass = kind === 'exact' ? n : total;
  const block = backend.alloc(rowsPerPass * rowsPerPass);
  interface Rows {
    readonly grads: Float32Array;
    readonly layout: ParamGradLayout;
  }
  /** gram block (p, q) += A_p B_q^T over one parameter's entries; mirrored for p != q. */
  const accumulate = (a: Rows, p: number, b: Rows, q: number, size: number): void => {
    const r = rowsPerPass;
    if (a.layout === 'rows') {
      backend.gemm({
        transA: false,
        transB: true,
        m: r,
        n: r,
        k: size,
        alpha: 1,
        a: a.grads,
        aOffset: 0,
        lda: size,
        b: b.grads,
        bOffset: 0,
        ldb: size,
        beta: 0,
        c: block,
        cOffset: 0,
        ldc: r,
      });
    } else {
      backend.gemm({
        transA: true,
        transB: false,
        m: r,
        n: r,
        k: size,
        alpha: 1,
        a: a.grads,
        aOffset: 0,
        lda: r,
        b: b.grads,
        bOffset: 0,
        ldb: r,
        beta: 0,
        c: block,
        cOffset: 0,
        ldc: r,
      });
    }
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        gram[(p * r + i) * total + q * r + j] += block[i * r + j];
        if (p !== q) gram[(q * r + j) * total + p * r + i] += block[i * r + j];
      }
    }
  };
  // Copies of earlier passes' rows of the parameter in flight (passes arrive in order for each parameter).
  const earlier = new Map<string, Rows[]>();
  const passes = kind === 'exact' ? groups : 1;
  const spec: GradSpec = {
    directions: kind === 'exact' ? n : 1,
    paramRows: kind === 'exact' ? 'per-direction' : 'per-sample',
    bnStatistics: kind === 'exact' ? 'batch' : 'constant',
    gramOnly: true,
    onParamGrad: (param, grads, rowCount, layout, pass) => {
      if (rowCount !== rowsPerPass)
        throw new Error(`ntkGram: ${param.name} gave ${rowCount} gradient rows, expected ${rowsPerPass}`);
      const current = { grads, layout };
      const previous = earlier.get(param.name) ?? [];
      previous.forEach((rows, p) => accumulate(rows, p, current, pass, param.size));
      accumulate(current, pass, current, pass, param.size);
      if (pass < passes - 1) {
        const copy = backend.allocUninitialized(grads.length);
        copy.set(grads);
        earlier.set(param.name, [...previous, { grads: copy, layout }]);
      } else {
        previous.forEach((rows) => backend.free(rows.grads));
        earlier.delete(param.name);
      }
    },
  };
  if (kind === 'fixed-bn') {
    const tape = new Tape(backend, RETAINED_COLUMNS_BYTES);
    const logits = network.forward(tape, tape.leaf(input), groups);
    const seed = backend.alloc(classes * total);
    seed.fill(1);
    tape.backward(logits, seed, spec);
  } else {
    // Direction d is the cotangent "sum of the logits of sample d": one-hot over samples, ones over classes.
    const seed = backend.alloc(classes * n * n);
    for (let k = 0; k < classes; k++) for (let d = 0; d < n; d++) seed[(k * n + d) * n + d] = 1;
    const runs = Array.from({ length: groups }, (_, g) => {
      const tape = new Tape(backend);
      const root = network.forward(tape, tape.leaf(groupSlice(input, groups, g, backend)), 1);
      return { tape, root, seed };
    });
    Tape.backwardTogether(runs, spec);
  }
  return gram;
}

/** Samples g*n .. (g+1)*n - 1 of a [C][G*n][H][W] tensor as their own [C][n][H][W] tensor. */
function groupSlice(t: Tensor, groups: number, g: number, backend: NumericBackend): Tensor {
  const n = t.b / groups;
  const plane = t.h * t.w;
  const data = backend.allocUninitialized(t.c * n * plane);
  for (let c = 0; c < t.c; c++)
    data.set(t.data.subarray((c * t.b + g * n) * plane, (c * t.b + (g + 1) * n) * plane), c * n * plane);
  return { c: t.c, b: n, h: t.h, w: t.w, data };
}

/** Logits [classes][B] of the network on `input` (BN with batch statistics over each of `groups` slices). */
export function forwardLogits(network: Network, input: Tensor, groups: number, backend: NumericBackend): Float32Array {
  const tape = new Tape(backend);
  return network.forward(tape, tape.leaf(input), groups).t.data.slice();
}
