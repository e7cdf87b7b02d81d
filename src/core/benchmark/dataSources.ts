import sources from '../../../data/sources.json';
import type { BenchmarkFileRole } from './errors';
import { lookupTable } from '../lookupTable';

/**
 * The pinned NAS-RobBench-201 files (data/sources.json: URLs and checksums only, never data): the authors'
 * project-page repository at a fixed commit, so a download is byte-identical to what the checksums describe.
 */
export interface PublishedFile {
  readonly role: BenchmarkFileRole;
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}

export const BENCHMARK_FILE_ROLES: readonly BenchmarkFileRole[] = ['adversarial', 'standard', 'ops'];

export const PUBLISHED_FILES: Readonly<Record<BenchmarkFileRole, PublishedFile>> = lookupTable({
  adversarial: { role: 'adversarial', ...sources.files.adversarial },
  standard: { role: 'standard', ...sources.files.standard },
  ops: { role: 'ops', ...sources.files.ops },
});

/** Base URL the files are downloaded from (ends with `/`). */
export const PINNED_BASE_URL: string = sources.baseUrl;

/** App name for the per-user cache directory (env-paths). */
export const CACHE_APP_NAME = 'robust-nas';

/** Environment variable naming a mirror to download the three files from instead of the pinned URL (checksums still apply). */
export const DOWNLOAD_URL_ENV = 'ROBUST_NAS_DOWNLOAD_URL';

/** Environment variable naming a directory that holds the three files. */
export const DATA_DIR_ENV = 'ROBUST_NAS_DATA';
