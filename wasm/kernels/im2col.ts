// im2col / col2im for [C][images][H][W] data, as src/core/ntk/engine/im2col.ts (same loops, same order of
// additions, so results are bit-identical). Addresses are bytes into the imported memory.

function outSize(size: i32, k: i32, s: i32, p: i32): i32 {
  return (size + 2 * p - k) / s + 1;
}

export function im2col(
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  k: i32,
  s: i32,
  p: i32,
  images: i32,
  imageOffset: i32,
  totalImages: i32,
  col: usize,
): void {
  const ho = outSize(h, k, s, p);
  const wo = outSize(w, k, s, p);
  const hw = h * w;
  const cols = images * ho * wo;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        let o = col + ((<usize>(((c * k + ky) * k + kx) * cols)) << 2);
        // Output columns whose input column ix = ox*s - p + kx lies inside the image.
        let oxLo = 0;
        while (oxLo < wo && oxLo * s - p + kx < 0) oxLo++;
        let oxHi = wo;
        while (oxHi > oxLo && (oxHi - 1) * s - p + kx >= w) oxHi--;
        for (let m = 0; m < images; m++) {
          const base = (c * totalImages + imageOffset + m) * hw;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy * s - p + ky;
            if (iy < 0 || iy >= h) {
              memory.fill(o, 0, (<usize>wo) << 2);
              o += (<usize>wo) << 2;
              continue;
            }
            const row = src + ((<usize>(base + iy * w)) << 2);
            // Rows are short (4 to 32 floats): inline stores beat memory.fill/memory.copy calls here.
            for (let ox = 0; ox < oxLo; ox++) store<f32>(o + ((<usize>ox) << 2), 0);
            if (s == 1) {
              const shifted = row + ((<usize>(kx - p)) << 2);
              let ox = oxLo;
              for (; ox + 4 <= oxHi; ox += 4)
                v128.store(o + ((<usize>ox) << 2), v128.load(shifted + ((<usize>ox) << 2)));
              for (; ox < oxHi; ox++) store<f32>(o + ((<usize>ox) << 2), load<f32>(shifted + ((<usize>ox) << 2)));
            } else {
              for (let ox = oxLo; ox < oxHi; ox++)
                store<f32>(o + ((<usize>ox) << 2), load<f32>(row + ((<usize>(ox * s - p + kx)) << 2)));
            }
            for (let ox = oxHi; ox < wo; ox++) store<f32>(o + ((<usize>ox) << 2), 0);
            o += (<usize>wo) << 2;
          }
        }
      }
    }
  }
}

export function col2imAdd(
  col: usize,
  channels: i32,
  h: i32,
  w: i32,
  k: i32,
  s: i32,
  p: i32,
  images: i32,
  imageOffset: i32,
  totalImages: i32,
  dst: usize,
): void {
  const ho = outSize(h, k, s, p);
  const wo = outSize(w, k, s, p);
  const hw = h * w;
  const cols = images * ho * wo;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        let o = col + ((<usize>(((c * k + ky) * k + kx) * cols)) << 2);
        let oxLo = 0;
        while (oxLo < wo && oxLo * s - p + kx < 0) oxLo++;
        let oxHi = wo;
        while (oxHi > oxLo && (oxHi - 1) * s - p + kx >= w) oxHi--;
        for (let m = 0; m < images; m++) {
          const base = (c * totalImages + imageOffset + m) * hw;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy * s - p + ky;
            if (iy >= 0 && iy < h) {
              const row = dst + ((<usize>(base + iy * w)) << 2);
              if (s == 1) {
                let ox = oxLo;
                const shift = (<usize>(kx - p)) << 2;
                for (; ox + 4 <= oxHi; ox += 4) {
                  const d = row + ((<usize>ox) << 2) + shift;
                  v128.store(d, f32x4.add(v128.load(d), v128.load(o + ((<usize>ox) << 2))));
                }
                for (; ox < oxHi; ox++) {
                  const d = row + ((<usize>ox) << 2) + shift;
                  store<f32>(d, load<f32>(d) + load<f32>(o + ((<usize>ox) << 2)));
                }
              } else {
                for (let ox = oxLo; ox < oxHi; ox++) {
                  const d = row + ((<usize>(ox * s - p + kx)) << 2);
                  store<f32>(d, load<f32>(d) + load<f32>(o + ((<usize>ox) << 2)));
                }
              }
            }
            o += (<usize>wo) << 2;
          }
        }
      }
    }
  }
}

/**
 * Writes one panel of a stride-1 column matrix at `at`: for each row (channel, ky, kx) in order, the 8 input values
 * output pixels ox0..ox0+7 of output row oy see (zero outside the image). Returns the address after it. At the left
 * and right borders the 8 loads reach up to `p` floats outside the row (still inside memory: the heap starts 64 KB
 * in); lanes outside the image are masked to zero.
 */
export function gatherPanel(
  image: usize,
  channelStride: usize,
  channels: i32,
  h: i32,
  w: i32,
  k: i32,
  p: i32,
  oy: i32,
  ox0: i32,
  at: usize,
): usize {
  const zero = i32x4.splat(0);
  const lanes = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  const width = i32x4.splat(w);
  for (let c = 0; c < channels; c++) {
    const chan = image + <usize>c * channelStride;
    for (let ky = 0; ky < k; ky++) {
      const iy = oy - p + ky;
      const inside = iy >= 0 && iy < h;
      const row = chan + ((<usize>(iy * w)) << 2);
      for (let kx = 0; kx < k; kx++) {
        if (!inside) {
          v128.store(at, zero);
          v128.store(at, zero, 16);
        } else {
          const ix = ox0 - p + kx;
          const from = row + ((<usize>ix) << 2);
          let lo = v128.load(from);
          let hi = v128.load(from, 16);
          if (ix < 0 || ix + 8 > w) {
            const idx = i32x4.add(i32x4.splat(ix), lanes);
            const idx4 = i32x4.add(idx, four);
            lo = v128.and(lo, v128.and(i32x4.ge_s(idx, zero), i32x4.lt_s(idx, width)));
            hi = v128.and(hi, v128.and(i32x4.ge_s(idx4, zero), i32x4.lt_s(idx4, width)));
          }
          v128.store(at, lo);
          v128.store(at, hi, 16);
        }
        at += 32;
      }
    }
  }
  return at;
}

/**
 * im2col into the GEMM's packed-B layout: the column matrix [rows][cols] stored as panels of 8 columns,
 * element (r, j) at ((j >> 3) * rows + r) * 8 + (j & 7). A convolution's GEMM then reads each k x 8 panel
 * contiguously instead of 8 floats from each of k rows that lie B*H*W floats apart (which measured 13 instead of
 * 18 GFLOP/s at 16 channels). Panels are written one after another (output pixels outside, kernel taps inside),
 * so stores are sequential and the few input rows a panel reads stay in L1. Same values as im2col.
 */
export function im2colPacked(
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  k: i32,
  s: i32,
  p: i32,
  images: i32,
  imageOffset: i32,
  totalImages: i32,
  dst: usize,
): void {
  const ho = outSize(h, k, s, p);
  const wo = outSize(w, k, s, p);
  const hw = h * w;
  const plane = ho * wo;
  const cols = images * plane;
  const imageStride = (<usize>(totalImages * hw)) << 2;
  if ((wo & 7) == 0 && s == 1) {
    // Each panel is 8 pixels of one output row.
    let at = dst;
    for (let m = 0; m < images; m++) {
      const image = src + ((<usize>((imageOffset + m) * hw)) << 2);
      for (let oy = 0; oy < ho; oy++) {
        for (let ox0 = 0; ox0 < wo; ox0 += 8) at = gatherPanel(image, imageStride, channels, h, w, k, p, oy, ox0, at);
      }
    }
    return;
  }
  // General geometry (strided, or rows narrower than a panel): element by element, pixel counters per panel.
  const rows = channels * k * k;
  for (let j0 = 0; j0 < cols; j0 += 8) {
    const width = min(8, cols - j0);
    for (let c = 0; c < channels; c++) {
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          const r = (c * k + ky) * k + kx;
          const panel = dst + ((<usize>((j0 >> 3) * rows + r) * 8) << 2);
          for (let e = 0; e < width; e++) {
            const j = j0 + e;
            const m = j / plane;
            const q = j - m * plane;
            const oy = q / wo;
            const ox = q - oy * wo;
            const iy = oy * s - p + ky;
            const ix = ox * s - p + kx;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            store<f32>(
              panel + ((<usize>e) << 2),
              inside ? load<f32>(src + ((<usize>((c * totalImages + imageOffset + m) * hw + iy * w + ix)) << 2)) : 0,
            );
          }
        }
      }
    }
  }
}
