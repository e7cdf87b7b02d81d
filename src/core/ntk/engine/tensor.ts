/**
 * Activations are stored channel-major, [C][B][H][W]: every convolution over the whole batch is then a single
 * GEMM (weights [Cout][Cin*k*k] times im2col [Cin*k*k][B*H*W]), the layout the prototype study found fastest
 * (shared/notes/ntk-engine.md). Cotangents carry D "directions" (vector-Jacobian products run together) as an
 * extra batch-like axis: [C][D][B][H][W].
 */
export interface Tensor {
  readonly c: number;
  readonly b: number;
  readonly h: number;
  readonly w: number;
  readonly data: Float32Array;
}

export function tensorSize(t: { c: number; b: number; h: number; w: number }): number {
  return t.c * t.b * t.h * t.w;
}

/** A trainable parameter; `shape` follows PyTorch's (conv [Cout][Cin][k][k], linear [out][in]). */
export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly data: Float32Array;
}

export function makeParam(name: string, shape: readonly number[], data: Float32Array): Param {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size)
    throw new RangeError(`parameter ${name}: ${data.length} values for shape [${shape.join(',')}]`);
  return { name, shape, size, data };
}
