/**
 * im2col / col2im for [C][images][H][W] data: a convolution becomes one GEMM with weights [Cout][C*k*k].
 * Row (c*k + ky)*k + kx of the column matrix matches PyTorch's weight layout [Cout][Cin][kH][kW].
 * `imageOffset`/`totalImages` address a slice of images inside a larger [C][totalImages][H][W] array, so
 * cotangents with D directions ([C][D*B][H][W]) can be processed in chunks.
 */
export interface ConvGeometry {
  readonly channels: number;
  readonly h: number;
  readonly w: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

export function convOutputSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

export function im2col(
  src: Float32Array,
  g: ConvGeometry,
  images: number,
  imageOffset: number,
  totalImages: number,
  col: Float32Array,
): void {
  const cols = images * convOutputSize(g.h, g.kernel, g.stride, g.pad) * convOutputSize(g.w, g.kernel, g.stride, g.pad);
  columnsInto(src, g, images, imageOffset, totalImages, col, (r, j) => r * cols + j);
}

/** Writes element (r, j) of the column matrix of `images` images to dst[at(r, j)]. */
function columnsInto(
  src: Float32Array,
  g: ConvGeometry,
  images: number,
  imageOffset: number,
  totalImages: number,
  dst: Float32Array,
  at: (r: number, j: number) => number,
): void {
  const { channels, h, w, kernel: k, stride: s, pad: p } = g;
  const ho = convOutputSize(h, k, s, p);
  const wo = convOutputSize(w, k, s, p);
  const hw = h * w;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        const r = (c * k + ky) * k + kx;
        let j = 0;
        for (let m = 0; m < images; m++) {
          const base = (c * totalImages + imageOffset + m) * hw;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy * s - p + ky;
            for (let ox = 0; ox < wo; ox++, j++) {
              const ix = ox * s - p + kx;
              dst[at(r, j)] = iy >= 0 && iy < h && ix >= 0 && ix < w ? src[base + iy * w + ix] : 0;
            }
          }
        }
      }
    }
  }
}

/** Adds the column matrix back into image space (the adjoint of {@link im2col}). */
export function col2imAdd(
  col: Float32Array,
  g: ConvGeometry,
  images: number,
  imageOffset: number,
  totalImages: number,
  dst: Float32Array,
): void {
  const { channels, h, w, kernel: k, stride: s, pad: p } = g;
  const ho = convOutputSize(h, k, s, p);
  const wo = convOutputSize(w, k, s, p);
  const hw = h * w;
  const cols = images * ho * wo;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        let o = ((c * k + ky) * k + kx) * cols;
        for (let m = 0; m < images; m++) {
          const base = (c * totalImages + imageOffset + m) * hw;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy * s - p + ky;
            if (iy < 0 || iy >= h) {
              o += wo;
              continue;
            }
            const row = base + iy * w;
            for (let ox = 0; ox < wo; ox++, o++) {
              const ix = ox * s - p + kx;
              if (ix >= 0 && ix < w) dst[row + ix] += col[o];
            }
          }
        }
      }
    }
  }
}

/** Offset of element (row r, column j) of a [rows][cols] matrix stored as panels of 8 columns (GEMM packed B). */
export function packedIndex(rows: number, r: number, j: number): number {
  return ((j >> 3) * rows + r) * 8 + (j & 7);
}

/** Floats a [rows][cols] matrix takes in the 8-column panel layout (the last panel padded to 8). */
export function packedSize(rows: number, cols: number): number {
  return rows * Math.ceil(cols / 8) * 8;
}

/** {@link im2col} written in the GEMM's packed-B layout ({@link packedIndex}): same values, panel order. */
export function im2colPacked(
  src: Float32Array,
  g: ConvGeometry,
  images: number,
  imageOffset: number,
  totalImages: number,
  dst: Float32Array,
): void {
  const rows = g.channels * g.kernel * g.kernel;
  columnsInto(src, g, images, imageOffset, totalImages, dst, (r, j) => packedIndex(rows, r, j));
}
