import type { NumericBackend } from './backend';
import { gemmJs, gemmPackedBJs } from './gemmJs';
import { convSameTwoStep } from './convSame';
import * as elementwise from './elementwise';
import {
  winogradConvReference,
  winogradFilterReference,
  winogradWeightGradientReference,
  winogradWeightsReference,
} from './winograd';
import { col2imAdd, im2col, im2colPacked } from './im2col';

/** The plain TypeScript back end: ordinary garbage-collected Float32Arrays and {@link gemmJs}. */
export function jsBackend(): NumericBackend {
  const backend: NumericBackend = {
    name: 'js',
    alloc: (length) => new Float32Array(length),
    allocUninitialized: (length) => new Float32Array(length),
    free: () => {},
    gemm: gemmJs,
    gemmPackedB: gemmPackedBJs,
    convSame: (x) => convSameTwoStep(backend, x),
    winogradConv: (x) => winogradConvReference(backend, x),
    winogradWeightGradient: (x) => winogradWeightGradientReference(backend, x),
    winogradWeights: (x) => winogradWeightsReference(x),
    winogradFilter: (x) => winogradFilterReference(x),
    im2colPacked,
    im2col,
    col2imAdd,
    reset: () => {},
    // Plain arrays, collected by the garbage collector.
    mark: () => 0,
    releaseTo: () => {},
    allocF64: (length) => new Float64Array(length),
    ...elementwise,
    dispose: () => {},
  };
  return backend;
}
