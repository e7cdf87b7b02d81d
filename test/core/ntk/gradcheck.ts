// Finite-difference gradient checking shared by the op tests: a random cotangent w turns any op into the scalar
// L = <w, op(x)>, whose analytic gradient (one backward pass, D = 1, summed rows) is compared with central
// differences in float64 arithmetic on float32 forward passes.
import assert from 'node:assert/strict';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { Tape, type GradSpec, type Var } from '../../../src/core/ntk/engine/tape';
import { makeParam, tensorSize, type Param, type Tensor } from '../../../src/core/ntk/engine/tensor';
import { Rng } from '../../../src/core/ntk/rng';

export function randomTensor(rng: Rng, c: number, b: number, h: number, w: number, scale = 1): Tensor {
  const data = new Float32Array(c * b * h * w);
  for (let i = 0; i < data.length; i++) data[i] = (2 * rng.uniform() - 1) * scale;
  return { c, b, h, w, data };
}

export function randomParam(rng: Rng, name: string, shape: number[], scale = 1): Param {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = (2 * rng.uniform() - 1) * scale;
  return makeParam(name, shape, data);
}

export type Build = (tape: Tape, x: Var) => Var;

function scalar(build: Build, x: Tensor, w: Float32Array): number {
  const tape = new Tape(jsBackend());
  const y = build(tape, tape.leaf(x));
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * y.t.data[i];
  return s;
}

/** Checks d<w, build(x)>/dx and /dparams at `probes` random coordinates each. */
export function checkGradients(
  build: Build,
  x: Tensor,
  params: readonly Param[],
  options: { seed?: number; probes?: number; h?: number; tol?: number; bnStatistics?: 'batch' | 'constant' } = {},
): void {
  const rng = new Rng(options.seed ?? 7);
  const probes = options.probes ?? 12;
  const h = options.h ?? 1e-2;
  const tol = options.tol ?? 2e-2;
  const tape = new Tape(jsBackend());
  const xv = tape.leaf(x, true);
  const y = build(tape, xv);
  const w = new Float32Array(tensorSize(y.t));
  for (let i = 0; i < w.length; i++) w[i] = 2 * rng.uniform() - 1;
  const paramGrads = new Map<Param, Float64Array>();
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics: options.bnStatistics ?? 'batch',
    onParamGrad: (p, rows) => {
      const g = paramGrads.get(p) ?? new Float64Array(p.size);
      for (let i = 0; i < p.size; i++) g[i] += rows[i];
      paramGrads.set(p, g);
    },
  };
  const dx = tape.backward(y, w.slice(), spec, [xv]).get(xv.id);
  assert.ok(dx, 'input gradient missing');
  const compare = (analytic: number, values: Float32Array, i: number, label: string) => {
    const old = values[i];
    values[i] = old + h;
    const up = scalar(build, x, w);
    values[i] = old - h;
    const down = scalar(build, x, w);
    values[i] = old;
    const numeric = (up - down) / (2 * h);
    const err = Math.abs(analytic - numeric) / Math.max(1e-2, Math.abs(numeric), Math.abs(analytic));
    assert.ok(
      err < tol,
      `${label}: analytic ${analytic} vs finite difference ${numeric} (relative error ${err.toExponential(2)})`,
    );
  };
  for (let t = 0; t < probes; t++) {
    const i = rng.int(x.data.length);
    compare(dx[i], x.data, i, `d/dx[${i}]`);
  }
  for (const p of params) {
    const g = paramGrads.get(p) ?? new Float64Array(p.size);
    for (let t = 0; t < Math.min(probes, p.size); t++) {
      const i = rng.int(p.size);
      compare(g[i], p.data, i, `d/d${p.name}[${i}]`);
    }
  }
}
