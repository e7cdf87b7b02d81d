// AssemblyScript source of the NTK engine's WebAssembly SIMD128 kernels (built by scripts/build-wasm.mjs into
// wasm/build/kernels.wasm; no binaries are committed). Memory is imported: the TypeScript side owns every buffer
// and passes byte addresses. Arithmetic order matches src/core/ntk/engine/gemmJs.ts exactly (each C element
// starts from beta*C and adds A[i][p]*B[p][j] for p in order, f32 multiply then f32 add, no FMA), so both back
// ends give bit-identical results in the SIMD128 builds. alpha != 1 is applied by the caller to a copy of A (f32(alpha*a), the same
// product the TypeScript GEMM forms), which keeps a multiply out of the inner loop.
// The relaxed-SIMD builds (kernels-fma*.wasm) fuse each multiply-add instead (lib/madd.ts): faster, rounded once,
// so they match the TypeScript GEMM to rounding rather than bit for bit.
import { madd } from './lib/madd';

/**
 * Layout markers for gemmAccumulate's A operand, resolved at compile time (AssemblyScript generics are
 * monomorphised, so `sizeof<L>()` folds to a constant and the unused branch disappears).
 * Strided: element (i, p) at a + 4*(i*ars + p*acs). Panels: A packed along p in panels of 8 (im2colPacked's
 * layout with R = `panelRows` rows): element (i, p) at a + 4*(((p >> 3)*R + i)*8 + (p & 7)).
 */
type Strided = u8;
type Panels = u16;

/** C[i][j] = beta*C[i][j] for an m x n block. */
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>(i * ldc)) << 2);
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= n; j += 4) v128.store(row + ((<usize>j) << 2), f32x4.splat(0));
      for (; j < n; j++) store<f32>(row + ((<usize>j) << 2), 0);
    } else {
      for (; j + 4 <= n; j += 4) v128.store(row + ((<usize>j) << 2), f32x4.mul(vb, v128.load(row + ((<usize>j) << 2))));
      for (; j < n; j++) store<f32>(row + ((<usize>j) << 2), beta * load<f32>(row + ((<usize>j) << 2)));
    }
  }
}

/**
 * C (+)= A * B, B not transposed (row-major, leading dimension ldb); A strided (element (i, p) at
 * a + 4*(i*ars + p*acs), so A^T is ars = 1, acs = lda) or in panels (see Panels; then ars = 8, acs = 1). Register block 4 rows x 8 columns (8 accumulators,
 * shared/notes/ntk-engine.md: a 6-row block spills). Column blocks outside, row blocks inside, so the k x 8 panel
 * of B stays in L1 while all rows of A pass over it. With `loadC` false the accumulators start at zero instead
 * of C's values (beta = 0: saves a pass that zeroes C and another that reads it; 0 + x = x, so results are the
 * same as zeroing first).
 */
function gemmAccumulate<L>(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  ars: i32,
  acs: i32,
  panelRows: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  loadC: bool,
): void {
  const bStride = (<usize>ldb) << 2;
  const acsBytes = (<usize>acs) << 2;
  // Panels: a row's next panel starts R*8 floats after the current one's start; after 8 steps of 4 bytes, jump.
  const panelJump = (<usize>(panelRows * 8 - 8)) << 2;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const bj = b + ((<usize>j) << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = c + ((<usize>(i * ldc + j)) << 2);
      const c1 = c0 + ((<usize>ldc) << 2);
      const c2 = c1 + ((<usize>ldc) << 2);
      const c3 = c2 + ((<usize>ldc) << 2);
      const zero = f32x4.splat(0);
      let x00 = zero,
        x01 = zero,
        x10 = zero,
        x11 = zero,
        x20 = zero,
        x21 = zero,
        x30 = zero,
        x31 = zero;
      if (loadC) {
        x00 = v128.load(c0);
        x01 = v128.load(c0, 16);
        x10 = v128.load(c1);
        x11 = v128.load(c1, 16);
        x20 = v128.load(c2);
        x21 = v128.load(c2, 16);
        x30 = v128.load(c3);
        x31 = v128.load(c3, 16);
      }
      let a0 = a + ((<usize>(i * ars)) << 2);
      let a1 = a0 + ((<usize>ars) << 2);
      let a2 = a1 + ((<usize>ars) << 2);
      let a3 = a2 + ((<usize>ars) << 2);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const s0 = v128.load32_splat(a0);
        const s1 = v128.load32_splat(a1);
        const s2 = v128.load32_splat(a2);
        const s3 = v128.load32_splat(a3);
        x00 = madd(s0, b0, x00);
        x01 = madd(s0, b1, x01);
        x10 = madd(s1, b0, x10);
        x11 = madd(s1, b1, x11);
        x20 = madd(s2, b0, x20);
        x21 = madd(s2, b1, x21);
        x30 = madd(s3, b0, x30);
        x31 = madd(s3, b1, x31);
        a0 += acsBytes;
        a1 += acsBytes;
        a2 += acsBytes;
        a3 += acsBytes;
        if (sizeof<L>() == sizeof<Panels>() && (p & 7) == 7) {
          a0 += panelJump;
          a1 += panelJump;
          a2 += panelJump;
          a3 += panelJump;
        }
        bp += bStride;
      }
      v128.store(c0, x00);
      v128.store(c0, x01, 16);
      v128.store(c1, x10);
      v128.store(c1, x11, 16);
      v128.store(c2, x20);
      v128.store(c2, x21, 16);
      v128.store(c3, x30);
      v128.store(c3, x31, 16);
    }
    for (; i < m; i++) {
      const c0 = c + ((<usize>(i * ldc + j)) << 2);
      let x0 = f32x4.splat(0),
        x1 = f32x4.splat(0);
      if (loadC) {
        x0 = v128.load(c0);
        x1 = v128.load(c0, 16);
      }
      let a0 = a + ((<usize>(i * ars)) << 2);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        const s0 = v128.load32_splat(a0);
        x0 = madd(s0, v128.load(bp), x0);
        x1 = madd(s0, v128.load(bp, 16), x1);
        a0 += acsBytes;
        if (sizeof<L>() == sizeof<Panels>() && (p & 7) == 7) a0 += panelJump;
        bp += bStride;
      }
      v128.store(c0, x0);
      v128.store(c0, x1, 16);
    }
  }
  for (; j + 4 <= n; j += 4) {
    const bj = b + ((<usize>j) << 2);
    for (let i = 0; i < m; i++) {
      const c0 = c + ((<usize>(i * ldc + j)) << 2);
      let x0 = loadC ? v128.load(c0) : f32x4.splat(0);
      let a0 = a + ((<usize>(i * ars)) << 2);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        x0 = madd(v128.load32_splat(a0), v128.load(bp), x0);
        a0 += acsBytes;
        if (sizeof<L>() == sizeof<Panels>() && (p & 7) == 7) a0 += panelJump;
        bp += bStride;
      }
      v128.store(c0, x0);
    }
  }
  for (; j < n; j++) {
    const bj = b + ((<usize>j) << 2);
    for (let i = 0; i < m; i++) {
      const c0 = c + ((<usize>(i * ldc + j)) << 2);
      let x: f32 = loadC ? load<f32>(c0) : 0;
      let a0 = a + ((<usize>(i * ars)) << 2);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        x = x + load<f32>(a0) * load<f32>(bp);
        a0 += acsBytes;
        if (sizeof<L>() == sizeof<Panels>() && (p & 7) == 7) a0 += panelJump;
        bp += bStride;
      }
      store<f32>(c0, x);
    }
  }
}

/**
 * The microkernel for the layouts every large product here can be given in: A in panels of 8 along k with R rows
 * (Panels above) and B one contiguous 8-column panel (element (p, j) at b + 4*(p*8 + j)). Each 4 x 8 block of C
 * walks one pointer into each operand, loading the four rows of A at fixed offsets (32 bytes apart inside a
 * panel) and two steps per loop iteration, so per step the loop spends two pointer updates besides its 6 loads
 * and 8 multiply-adds, where gemmAccumulate spends five and a branch. Same products, same order (p ascending)
 * as gemmAccumulate: bit-identical. Returns the rows done (m rounded down to 4); the caller does the rest.
 */
function panelRowBlocks(m: i32, k: i32, a: usize, R: i32, b: usize, c: usize, ldc: i32, loadC: bool): i32 {
  // After the 8 steps of a panel the row pointer has moved 32 bytes; the row's next panel is R*32 bytes on.
  const panelJump = (<usize>(R - 1)) << 5;
  const k8 = k & ~7;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = c + ((<usize>(i * ldc)) << 2);
    const c1 = c0 + ((<usize>ldc) << 2);
    const c2 = c1 + ((<usize>ldc) << 2);
    const c3 = c2 + ((<usize>ldc) << 2);
    const zero = f32x4.splat(0);
    let x00 = zero,
      x01 = zero,
      x10 = zero,
      x11 = zero,
      x20 = zero,
      x21 = zero,
      x30 = zero,
      x31 = zero;
    if (loadC) {
      x00 = v128.load(c0);
      x01 = v128.load(c0, 16);
      x10 = v128.load(c1);
      x11 = v128.load(c1, 16);
      x20 = v128.load(c2);
      x21 = v128.load(c2, 16);
      x30 = v128.load(c3);
      x31 = v128.load(c3, 16);
    }
    let ap = a + ((<usize>i) << 5);
    let bp = b;
    for (let q = 0; q < k8; q += 8) {
      for (let t = 0; t < 8; t++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const s0 = v128.load32_splat(ap);
        const s1 = v128.load32_splat(ap, 32);
        const s2 = v128.load32_splat(ap, 64);
        const s3 = v128.load32_splat(ap, 96);
        x00 = madd(s0, b0, x00);
        x01 = madd(s0, b1, x01);
        x10 = madd(s1, b0, x10);
        x11 = madd(s1, b1, x11);
        x20 = madd(s2, b0, x20);
        x21 = madd(s2, b1, x21);
        x30 = madd(s3, b0, x30);
        x31 = madd(s3, b1, x31);
        ap += 4;
        bp += 32;
      }
      ap += panelJump;
    }
    for (let p = k8; p < k; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const s0 = v128.load32_splat(ap);
      const s1 = v128.load32_splat(ap, 32);
      const s2 = v128.load32_splat(ap, 64);
      const s3 = v128.load32_splat(ap, 96);
      x00 = madd(s0, b0, x00);
      x01 = madd(s0, b1, x01);
      x10 = madd(s1, b0, x10);
      x11 = madd(s1, b1, x11);
      x20 = madd(s2, b0, x20);
      x21 = madd(s2, b1, x21);
      x30 = madd(s3, b0, x30);
      x31 = madd(s3, b1, x31);
      ap += 4;
      bp += 32;
    }
    v128.store(c0, x00);
    v128.store(c0, x01, 16);
    v128.store(c1, x10);
    v128.store(c1, x11, 16);
    v128.store(c2, x20);
    v128.store(c2, x21, 16);
    v128.store(c3, x30);
    v128.store(c3, x31, 16);
  }
  return i;
}

/**
 * C (+)= A * B for one B panel of `nr` <= 8 columns (element (p, j) at b + 4*(p*8 + j)): the panel microkernel
 * when A is in panels and the panel is full, gemmAccumulate for the rest.
 */
function gemmOnePanel(
  m: i32,
  nr: i32,
  k: i32,
  a: usize,
  ars: i32,
  acs: i32,
  aPanelRows: i32,
  b: usize,
  c: usize,
  ldc: i32,
  loadC: bool,
): void {
  if (aPanelRows <= 0) {
    gemmAccumulate<Strided>(m, nr, k, a, ars, acs, 0, b, 8, c, ldc, loadC);
    return;
  }
  const done = nr == 8 ? panelRowBlocks(m, k, a, aPanelRows, b, c, ldc, loadC) : 0;
  if (done < m)
    gemmAccumulate<Panels>(
      m - done,
      nr,
      k,
      a + ((<usize>done) << 5),
      8,
      1,
      aPanelRows,
      b,
      8,
      c + ((<usize>(done * ldc)) << 2),
      ldc,
      loadC,
    );
}

/**
 * Writes the row-major [m][k] matrix A (leading dimension lda) in panels of 8 along k (Panels; R = m), so the
 * products that read it can use the panel microkernel. The last panel's columns past k are not written (never read).
 */
export function packRowPanels(a: usize, lda: i32, m: i32, k: i32, dst: usize): void {
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>(i * lda)) << 2);
    for (let p = 0; p < k; p++) {
      store<f32>(dst + ((<usize>((((p >> 3) * m + i) << 3) + (p & 7))) << 2), load<f32>(row + ((<usize>p) << 2)));
    }
  }
}

/**
 * Packs B^T's rows p0.. (kk of them) for columns 0..cols-1 into 8-column panels: element (p, j) at
 * dst + 4*(((j >> 3)*kk + p)*8 + (j & 7)), B^T(p, j) = src[j*lds + p]. Each panel is then one contiguous kk x 8
 * block that the microkernel walks with stride 8. (Walking the rows of a row-major [kk][cols] copy instead, with
 * cols a power of two in every NAS-Bench-201 shape, mapped all kk rows of a panel to the same few L1 sets, and the
 * weight-gradient GEMMs ran at 4-14 GFLOP/s.) Eight source rows are read side by side, each sequentially.
 */
function packTransposedPanels(src: usize, lds: i32, kk: i32, cols: i32, dst: usize): void {
  for (let j0 = 0; j0 < cols; j0 += 8) {
    const nr = min(8, cols - j0);
    const panel = dst + ((<usize>(j0 * kk)) << 2);
    for (let jj = 0; jj < nr; jj++) {
      const s = src + ((<usize>((j0 + jj) * lds)) << 2);
      const d = panel + ((<usize>jj) << 2);
      for (let p = 0; p < kk; p++) store<f32>(d + ((<usize>(p * 8)) << 2), load<f32>(s + ((<usize>p) << 2)));
    }
  }
}

/**
 * Row-major sgemm, C = op(A) * op(B) + beta * C, in chunks of kc along k so the panels of B stay in cache
 * whatever k is (weight gradients have k = B*H*W, tens of thousands). A transposed B is packed, kc rows of B^T
 * at a time, into `scratch` (at least kc * (n rounded up to 8) floats) in 8-column panels (packTransposedPanels). Chunking keeps every C element's sum in p order: each chunk
 * continues from the f32 value the previous one stored. `aPanelRows` > 0: A (not transposed) is in panels of 8
 * along k with that many rows (im2colPacked's layout); kc must then be a multiple of 8.
 */
export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  aPanelRows: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  scratch: usize,
  kc: i32,
): void {
  if (beta != 0 || k == 0) scaleC(m, n, beta, c, ldc);
  const panels = aPanelRows > 0;
  const ars = panels ? 8 : transA ? 1 : lda;
  const acs = panels ? 1 : transA ? lda : 1;
  for (let p0 = 0; p0 < k; p0 += kc) {
    const kk = min(kc, k - p0);
    const aChunk = a + ((<usize>(panels ? (p0 >> 3) * aPanelRows * 8 : p0 * acs)) << 2);
    const loadC = p0 > 0 || beta != 0;
    if (transB) {
      packTransposedPanels(b + ((<usize>p0) << 2), ldb, kk, n, scratch);
      for (let j0 = 0; j0 < n; j0 += 8) {
        gemmOnePanel(
          m,
          min(8, n - j0),
          kk,
          aChunk,
          ars,
          acs,
          aPanelRows,
          scratch + ((<usize>(j0 * kk)) << 2),
          c + ((<usize>j0) << 2),
          ldc,
          loadC,
        );
      }
      continue;
    }
    const bChunk = b + ((<usize>(p0 * ldb)) << 2);
    if (panels) gemmAccumulate<Panels>(m, n, kk, aChunk, ars, acs, aPanelRows, bChunk, ldb, c, ldc, loadC);
    else gemmAccumulate<Strided>(m, n, kk, aChunk, ars, acs, 0, bChunk, ldb, c, ldc, loadC);
  }
}

/**
 * C = op(A) * B + beta * C with B given as panels of 8 columns (im2colPacked's layout: element (p, j) at
 * ((j >> 3) * k + p) * 8 + (j & 7)); the last panel may be narrower than 8. Each panel is one column block of
 * gemmAccumulate (or the panel microkernel, when `aPanelRows` > 0 says A, not transposed, is in panels: see
 * packRowPanels), so every C element's sum runs in p order exactly as in gemm.
 */
export function gemmPackedB(
  transA: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  aPanelRows: i32,
  b: usize,
  beta: f32,
  c: usize,
  ldc: i32,
): void {
  if (beta != 0 || k == 0) scaleC(m, n, beta, c, ldc);
  const ars = aPanelRows > 0 ? 8 : transA ? 1 : lda;
  const acs = aPanelRows > 0 ? 1 : transA ? lda : 1;
  const panelBytes = (<usize>(k * 8)) << 2;
  for (let j0 = 0; j0 < n; j0 += 8) {
    gemmOnePanel(
      m,
      min(8, n - j0),
      k,
      a,
      ars,
      acs,
      aPanelRows,
      b + <usize>(j0 >> 3) * panelBytes,
      c + ((<usize>j0) << 2),
      ldc,
      beta != 0,
    );
  }
}

/**
 * C = A * B for one full 8-column panel B (element (p, j) at b + 4*(p*8 + j)), C not read: the direct
 * convolution's panels. A strided (element (i, p) at a + 4*(i*ars + p)) or, with aPanelRows > 0, in panels.
 */
export function gemmPanel(m: i32, k: i32, a: usize, ars: i32, aPanelRows: i32, b: usize, c: usize, ldc: i32): void {
  gemmOnePanel(m, 8, k, a, aPanelRows > 0 ? 8 : ars, 1, aPanelRows, b, c, ldc, false);
}
