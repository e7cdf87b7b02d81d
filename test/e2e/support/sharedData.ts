import { existsSync } from 'node:fs';
import { findProjectRoot, sharedDataCandidates } from '../../../src/core/benchmark/projectRoot';

/**
 * The shared NAS-RobBench-201 copy beside the checkout (never copied into the repo). The VS Code server gets it as
 * the `robustNas.dataPath` setting: an installed VSIX lives in the server's temporary extensions folder, from where
 * the extension's own search for the checkout's `../shared` cannot find it.
 */
export function sharedDataDir(): string {
  const root = findProjectRoot(__dirname);
  const dir = root ? sharedDataCandidates(root).find((d) => existsSync(d)) : undefined;
  if (!dir)
    throw new Error(
      'The end-to-end tests need the shared NAS-RobBench-201 copy at ../shared/data/nas-robbench-201 beside the project root.',
    );
  return dir;
}
