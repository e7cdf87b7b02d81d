import type { NumericBackend } from './backend';
import { gemmJs } from './gemmJs';
import { col2imAdd, im2col } from './im2col';

/** The plain TypeScript back end: ordinary garbage-collected Float32Arrays and {@link gemmJs}. */
export function jsBackend(): NumericBackend {
  return {
    name: 'js',
    alloc: (length) => new Float32Array(length),
    free: () => {},
    gemm: gemmJs,
    im2col,
    col2imAdd,
    reset: () => {},
    dispose: () => {},
  };
}
