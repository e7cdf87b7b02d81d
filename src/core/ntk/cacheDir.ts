import { join } from 'node:path';
import { defaultCacheDir } from '../benchmark/load';

/**
 * Where computed NTK scores are kept between runs: $ROBUST_NAS_NTK_CACHE, else `ntk` in the benchmark's download
 * cache. The CLI, the extension and the language server all use it, so a score computed by one is seen by the others.
 */
export function defaultNtkCacheDir(): string {
  return process.env.ROBUST_NAS_NTK_CACHE || join(defaultCacheDir(), 'ntk');
}
