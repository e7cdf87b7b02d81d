// Our engine against PyTorch on the TypeScript back end (fixtures: see pytorchFixtures.ts).
import { test } from 'node:test';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { checkAgainstPyTorch } from './pytorchFixtures';

test('logits and both kernels match PyTorch 1.13 (float64) within 1e-4 at C=4, N=1, n=4 (JS back end)', () => {
  checkAgainstPyTorch(jsBackend);
});
