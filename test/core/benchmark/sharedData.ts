// Test helper (not a test): the shared copy of the published files, read straight from disk with JSON.parse, so
// tests can compare the Benchmark's answers with the files themselves. The data is never copied into the repo.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot, sharedDataCandidates } from '../../../src/core/benchmark/projectRoot';

export function sharedDataDir(): string {
  const root = findProjectRoot(__dirname);
  const dir = root ? sharedDataCandidates(root).find((d) => existsSync(d)) : undefined;
  if (!dir)
    throw new Error(
      'tests need the shared NAS-RobBench-201 copy at ../shared/data/nas-robbench-201 beside the project root',
    );
  return dir;
}

export function readPublished(name: string): unknown {
  const text = readFileSync(join(sharedDataDir(), name), 'utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1));
}

export const rawAdversarial = () => readPublished('NAS-RobBench-201_html.json') as Record<string, number[] | string>;
export const rawStandard = () => readPublished('acc.json') as Record<string, number[] | number>;
export const rawOps = () => readPublished('ops.json') as string[];
