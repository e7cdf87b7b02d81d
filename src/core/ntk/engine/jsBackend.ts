import type { NumericBackend } from './backend';
import { gemmJs } from './gemmJs';

/** The plain TypeScript back end: ordinary garbage-collected Float32Arrays and {@link gemmJs}. */
export function jsBackend(): NumericBackend {
  return {
    name: 'js',
    alloc: (length) => new Float32Array(length),
    free: () => {},
    gemm: gemmJs,
    reset: () => {},
  };
}
