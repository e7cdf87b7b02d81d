// im2col / col2im for [C][images][H][W] data, as src/core/ntk/engine/im2col.ts (same loops, same order of
// additions, so results are bit-identical). Addresses are bytes into the imported memory.

function outSize(size: i32, k: i32, s: i32, p: i32): i32 {
  return (size + 2 * p - k) / s + 1;
}

export function im2col(src: usize, channels: i32, h: i32, w: i32, k: i32, s: i32, p: i32, images: i32, imageOffset: i32, totalImages: i32, col: usize): void {
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
            if (oxLo > 0) memory.fill(o, 0, (<usize>oxLo) << 2);
            if (s == 1) {
              memory.copy(o + ((<usize>oxLo) << 2), row + ((<usize>(oxLo - p + kx)) << 2), (<usize>(oxHi - oxLo)) << 2);
            } else {
              for (let ox = oxLo; ox < oxHi; ox++) store<f32>(o + ((<usize>ox) << 2), load<f32>(row + ((<usize>(ox * s - p + kx)) << 2)));
            }
            if (oxHi < wo) memory.fill(o + ((<usize>oxHi) << 2), 0, (<usize>(wo - oxHi)) << 2);
            o += (<usize>wo) << 2;
          }
        }
      }
    }
  }
}

export function col2imAdd(col: usize, channels: i32, h: i32, w: i32, k: i32, s: i32, p: i32, images: i32, imageOffset: i32, totalImages: i32, dst: usize): void {
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
                const shift = ((<usize>(kx - p)) << 2);
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
