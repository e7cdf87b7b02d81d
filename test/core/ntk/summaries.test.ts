import assert from 'node:assert/strict';
import { test } from 'node:test';
import { symmetricEigenvalues } from '../../../src/core/ntk/eigen';
import { logAbsDeterminant, subMatrix, summarizeKernel } from '../../../src/core/ntk/summaries';
import { Rng } from '../../../src/core/ntk/rng';

/** Q diag(values) Q^T for a random orthogonal Q (Gram-Schmidt), so the eigenvalues are known exactly. */
function withEigenvalues(values: number[], seed: number): Float64Array {
  const n = values.length;
  const rng = new Rng(seed);
  const q: number[][] = [];
  for (let i = 0; i < n; i++) {
    let v = Array.from({ length: n }, () => rng.uniform() - 0.5);
    for (const u of q) {
      const d = v.reduce((s, x, k) => s + x * u[k], 0);
      v = v.map((x, k) => x - d * u[k]);
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) m[i * n + j] = values.reduce((s, lam, k) => s + lam * q[k][i] * q[k][j], 0);
  return m;
}

test('Jacobi eigenvalues recover a known spectrum, including a tiny eigenvalue to relative accuracy', () => {
  const values = [1e-6, 0.5, 2, 3, 1000, 7, 7];
  const m = withEigenvalues(values, 3);
  const eig = symmetricEigenvalues(m, values.length);
  const expected = [...values].sort((a, b) => a - b);
  eig.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-9 * 1000, `eigenvalue ${i}: ${v} vs ${expected[i]}`));
  const s = summarizeKernel(m, values.length);
  assert.ok(Math.abs(s.trace - values.reduce((a, b) => a + b, 0)) < 1e-8);
  assert.ok(Math.abs(s.frobenius - Math.hypot(...values)) < 1e-8);
  assert.ok(Math.abs(s.conditionNumber / 1e9 - 1) < 1e-2);
  assert.throws(() => symmetricEigenvalues([1, 2, 3], 2), /3 entries/);
});

test('log-determinant: Cholesky for positive definite, eigenvalues otherwise, -Infinity when singular', () => {
  const values = [0.5, 2, 4];
  assert.ok(Math.abs(logAbsDeterminant(withEigenvalues(values, 1), 3) - Math.log(4)) < 1e-10);
  assert.ok(Math.abs(logAbsDeterminant(withEigenvalues([-1, 2, 3], 2), 3) - Math.log(6)) < 1e-9);
  assert.equal(logAbsDeterminant(new Float64Array([1, 1, 1, 1]), 2), -Infinity);
});

test('subMatrix picks rows and columns', () => {
  const m = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...subMatrix(m, 3, [0, 2])], [1, 3, 7, 9]);
  assert.deepEqual([...subMatrix(m, 3, [1], [0, 2])], [4, 6]);
});
