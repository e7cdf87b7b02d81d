import type { NumericBackend } from './backend';
import { tensorSize, type Param, type Tensor } from './tensor';

/** A value in the computation graph. `needsGrad` is false for constants (e.g. the zero output of a `none` edge). */
export interface Var {
  readonly id: number;
  readonly t: Tensor;
  readonly needsGrad: boolean;
}

/**
 * How a backward pass runs.
 * - `directions`: D cotangents propagated at once (exact NTK: one per sample; ordinary gradients: 1).
 * - `paramRows`: `per-direction` sums each direction's parameter gradient over the batch (one row per direction);
 *   `per-sample` keeps one row per sample (needs D = 1 and constant BN statistics, where samples do not interact).
 * - `bnStatistics`: `batch` differentiates through BN's batch mean/variance (what PyTorch autograd does);
 *   `constant` treats them as constants (the `fixed-bn` kernel).
 * - `onParamGrad` receives each parameter's gradient rows and must not keep the buffer; without it no parameter
 *   gradients are computed at all (an attack needs only the input's).
 * - `gramOnly`: the consumer only forms inner products between rows (the NTK's K += J_l J_l^T). Ops may then list
 *   a parameter's entries in any order (the same for every row) and hand over `columns` [param.size][rowCount]
 *   instead of `rows` [rowCount][param.size], whichever needs no transpose.
 */
export interface GradSpec {
  readonly directions: number;
  readonly paramRows: 'per-direction' | 'per-sample';
  readonly bnStatistics: 'batch' | 'constant';
  readonly gramOnly?: boolean;
  /** `pass`: which of several lockstep passes (Tape.backwardTogether) the rows belong to; 0 for a single pass. */
  onParamGrad?(param: Param, grads: Float32Array, rowCount: number, layout: ParamGradLayout, pass: number): void;
  /**
   * Receives the complete cotangent ([C][D][B][H][W]) of every recorded value just before the op that made it
   * runs its backward step (which may overwrite it); it must not keep the buffer. Fisher (zero-cost proxies)
   * reads the cotangents of the layers' outputs here.
   */
  onCotangent?(value: Var, cotangent: Float32Array): void;
}

/** `rows`: [rowCount][param.size]; `columns`: [param.size][rowCount]. */
export type ParamGradLayout = 'rows' | 'columns';

export interface BackwardContext {
  readonly backend: NumericBackend;
  readonly spec: GradSpec;
  /** D. */
  readonly directions: number;
  /** Where ops hand their parameter gradients (spec.onParamGrad for this pass); absent: compute none. */
  readonly paramGrad?: (param: Param, grads: Float32Array, rowCount: number, layout: ParamGradLayout) => void;
}

/** Given the output cotangent ([C][D][B][H][W]), returns each input's cotangent (null where not needed). */
export type BackwardFn = (dOut: Float32Array, ctx: BackwardContext) => (Float32Array | null)[];

/**
 * Forward-over-reverse differentiation, for Hessian-vector products (GraSP needs H g). While a tape has a
 * TangentMode, every op also computes the directional derivative ("tangent") of its output as the parameters move
 * along v (`paramTangent`), and its backward pass runs with D = 2 directions: direction 0 the cotangent g,
 * direction 1 its tangent. For the ops linear in their input (pooling, sums) and ReLU, the tangent of the
 * backward pass is the backward pass applied to the tangent, so the existing D-direction code computes it; the
 * ops with parameters or batch statistics (conv2d, linear, batchNorm) add the terms where the backward pass
 * depends on the moving weights or activations. Parameter-gradient row 1 is then (H v) for that parameter.
 * Chosen over double backward (recording the backward pass as a differentiable graph) because each op's rule is
 * a few extra products next to the code it differentiates, and no op's backward needs to become a graph.
 */
export interface TangentMode {
  /** v for parameter p; null where v is zero. */
  paramTangent(p: Param): Float32Array | null;
}

/** The backward pass of a tape in tangent mode carries (g, tangent of g): exactly 2 directions. */
export function isTangentPass(tape: Tape, ctx: BackwardContext): boolean {
  if (!tape.tangentMode) return false;
  if (ctx.directions !== 2 || ctx.spec.paramRows !== 'per-direction' || ctx.spec.gramOnly) {
    throw new Error('a tangent-mode backward pass needs 2 directions (cotangent, its tangent) and per-direction rows');
  }
  return true;
}

interface Entry {
  readonly out: Var;
  readonly inputs: readonly Var[];
  readonly backward: BackwardFn;
}

/**
 * Reverse-mode autodiff tape: ops append an entry (output, inputs, gradient rule); `backward` walks it in
 * reverse, summing cotangents of values used more than once and freeing each cotangent once consumed.
 */
export class Tape {
  private readonly entries: Entry[] = [];
  private nextId = 0;
  /** Called with every ReLU's input, for NASWOT's activation codes (Mellor et al., ICML 2021). */
  reluObserver?: (preActivation: Tensor) => void;
  /**
   * Called by every BatchNorm with the statistics it normalises with ([C*groups] means and 1/sqrt(var + eps),
   * over `count` values per channel and group): Zen-NAS reads the variances.
   */
  bnObserver?: (gamma: Param, mean: Float64Array, invStd: Float64Array, count: number) => void;
  /**
   * Called with every convolution's and linear layer's weight and output as the op is recorded (per-layer
   * statistics of the zero-cost proxies). While it is set, BatchNorm leaves its input intact instead of
   * normalising in place, so each layer's output still holds its values during the backward pass.
   */
  layerObserver?: (weight: Param, output: Var) => void;

  private retainedBytes = 0;
  /**
   * Cotangent buffers that several values hold at once, with how many (2 or more; absent: one holder). addN hands
   * its output's cotangent to every input rather than a copy to each further one (those copies took 0.5 s of a
   * full-size exact score on the calling thread). A shared buffer is read-only: an op that would work in place
   * on it writes a buffer of its own instead (isSharedCotangent), and a sum into it goes to a new buffer.
   */
  private readonly cotangentHolders = new Map<Float32Array, number>();
  /** Forward-over-reverse mode (see TangentMode); set before the forward pass. */
  tangentMode?: TangentMode;
  private readonly tangents = new Map<number, Float32Array>();

  /**
   * `retainBytes`: how much memory ops may keep from the forward pass for the backward one (conv2d keeps its
   * im2col columns instead of rebuilding them). 0 (default) for tapes whose backward never needs parameter
   * gradients or that run many times before the back end is reset (attack steps).
   */
  constructor(
    readonly backend: NumericBackend,
    private readonly retainBytes = 0,
  ) {}

  /** Reserves `bytes` of the retention budget; false when it would be exceeded (the op then recomputes). */
  tryRetain(bytes: number): boolean {
    if (this.retainedBytes + bytes > this.retainBytes) return false;
    this.retainedBytes += bytes;
    return true;
  }

  release(bytes: number): void {
    this.retainedBytes -= bytes;
  }

  /**
   * True while other values also hold `cotangent` (addN's inputs share theirs): an op's backward step must then
   * only read it. The last holder may write it.
   */
  isSharedCotangent(cotangent: Float32Array): boolean {
    return this.cotangentHolders.has(cotangent);
  }

  /** Ends one hold on a cotangent buffer; the last frees it. */
  private releaseCotangent(g: Float32Array): void {
    const holders = this.cotangentHolders.get(g);
    if (holders === undefined) this.backend.free(g);
    else if (holders > 2) this.cotangentHolders.set(g, holders - 1);
    else this.cotangentHolders.delete(g);
  }

  /** The tangent of `v` in tangent mode; null where it is zero (inputs, constants, no tangent mode). */
  tangentOf(v: Var): Float32Array | null {
    return this.tangents.get(v.id) ?? null;
  }

  /** Ops call this with their output's tangent (null: zero). */
  setTangent(v: Var, tangent: Float32Array | null): Var {
    if (tangent) this.tangents.set(v.id, tangent);
    return v;
  }

  /** A leaf value (network input). */
  leaf(t: Tensor, needsGrad = false): Var {
    return { id: this.nextId++, t, needsGrad };
  }

  /** Appends an op; its output needs a gradient when an input does or the op has parameters. */
  record(t: Tensor, inputs: readonly Var[], backward: BackwardFn, hasParams = false): Var {
    const needsGrad = hasParams || inputs.some((v) => v.needsGrad);
    const out: Var = { id: this.nextId++, t, needsGrad };
    this.entries.push({ out, inputs, backward });
    return out;
  }

  /**
   * Runs the backward pass from `root` with cotangent `seed` ([C][D][B][H][W] of root). Returns the cotangents
   * reaching the requested leaves.
   */
  backward(root: Var, seed: Float32Array, spec: GradSpec, wantLeaves: readonly Var[] = []): Map<number, Float32Array> {
    return Tape.backwardTogether([{ tape: this, root, seed, wantLeaves }], spec)[0];
  }

  /**
   * Backward passes over several tapes with the same structure (the same network recorded on different batches),
   * entry by entry in lockstep: every parameter's gradient rows arrive from all passes one after another
   * (`pass` = index into `runs`) before the next parameter's, so a consumer can form inner products across
   * passes layer by layer without keeping whole Jacobians. The exact NTK of several input sets uses it: each set
   * is its own BN batch, and a direction of one set has no cotangent on another set's samples, so separate passes
   * do none of the work that stacking the sets into one batch would waste.
   */
  static backwardTogether(runs: readonly BackwardRun[], spec: GradSpec): Map<number, Float32Array>[] {
    const D = spec.directions;
    if (spec.paramRows === 'per-sample' && (D !== 1 || spec.bnStatistics !== 'constant')) {
      throw new Error('per-sample parameter gradients need one direction and constant BN statistics');
    }
    const length = runs[0].tape.entries.length;
    if (runs.some((r) => r.tape.entries.length !== length))
      throw new Error('backwardTogether: the tapes differ in structure');
    const states = runs.map((run, pass) => {
      const { tape, root, seed } = run;
      tape.cotangentHolders.clear();
      if (seed.length !== tensorSize(root.t) * D)
        throw new RangeError(`seed has ${seed.length} values, expected ${tensorSize(root.t) * D}`);
      const onParamGrad = spec.onParamGrad?.bind(spec);
      const paramGrad =
        onParamGrad &&
        ((p: Param, g: Float32Array, rows: number, layout: ParamGradLayout) => onParamGrad(p, g, rows, layout, pass));
      // An owned copy: ops may work in place on the cotangent they receive.
      const start = tape.backend.allocUninitialized(seed.length);
      start.set(seed);
      const ctx: BackwardContext = { backend: tape.backend, spec, directions: D, paramGrad };
      return { ctx, grads: new Map<number, Float32Array>([[root.id, start]]) };
    });
    for (let e = length - 1; e >= 0; e--) {
      runs.forEach((run, k) => run.tape.step(e, states[k].grads, states[k].ctx));
    }
    return runs.map((run, k) => {
      const keep = new Set((run.wantLeaves ?? []).map((v) => v.id));
      const result = new Map<number, Float32Array>();
      for (const [id, g] of states[k].grads) {
        if (!keep.has(id)) run.tape.releaseCotangent(g);
        else if (!run.tape.isSharedCotangent(g)) result.set(id, g);
        else {
          // The caller owns what it gets: a copy of a buffer another leaf holds too.
          const copy = run.tape.backend.allocUninitialized(g.length);
          copy.set(g);
          result.set(id, copy);
          run.tape.releaseCotangent(g);
        }
      }
      return result;
    });
  }

  /** Propagates the cotangent of entry `e`'s output (if any) to its inputs. */
  private step(e: number, grads: Map<number, Float32Array>, ctx: BackwardContext): void {
    const { out, inputs, backward } = this.entries[e];
    const dOut = grads.get(out.id);
    if (!dOut) return;
    grads.delete(out.id);
    ctx.spec.onCotangent?.(out, dOut);
    // Ops may return dOut itself as an input's cotangent (in-place backward; addN to every input): each time is
    // one holder, and this step's own hold ends.
    const dIns = backward(dOut, ctx);
    const handedOn = dIns.filter((d) => d === dOut).length;
    if (handedOn === 0) this.releaseCotangent(dOut);
    else if (handedOn > 1) this.cotangentHolders.set(dOut, (this.cotangentHolders.get(dOut) ?? 1) + handedOn - 1);
    dIns.forEach((dIn, k) => {
      if (!dIn) return;
      const v = inputs[k];
      if (!v.needsGrad) {
        this.releaseCotangent(dIn);
        return;
      }
      const prev = grads.get(v.id);
      if (!prev) grads.set(v.id, dIn);
      else if (this.isSharedCotangent(prev)) {
        // prev + dIn (the in-place sum's order) into a buffer of v's own.
        const sum = this.backend.allocUninitialized(prev.length);
        sum.set(prev);
        this.backend.addInto(sum, dIn, sum.length);
        this.releaseCotangent(prev);
        this.releaseCotangent(dIn);
        grads.set(v.id, sum);
      } else {
        this.backend.addInto(prev, dIn, prev.length);
        this.releaseCotangent(dIn);
      }
    });
  }
}

export interface BackwardRun {
  readonly tape: Tape;
  readonly root: Var;
  readonly seed: Float32Array;
  readonly wantLeaves?: readonly Var[];
}
