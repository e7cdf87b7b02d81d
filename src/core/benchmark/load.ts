import envPaths from 'env-paths';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRegularFile, UnsafeFileError } from '../files/regularFile';
import { Benchmark, type DataOrigin } from './benchmark';
import {
  BENCHMARK_FILE_ROLES,
  CACHE_APP_NAME,
  DATA_DIR_ENV,
  DOWNLOAD_URL_ENV,
  PINNED_BASE_URL,
  PUBLISHED_FILES,
} from './dataSources';
import { downloadVerified, sha256Hex } from './download';
import {
  INDEX_CACHE_FILE,
  IndexCacheWriteError,
  indexCacheSupported,
  readIndexCache,
  writeIndexCache,
  type IndexCacheKey,
} from './indexCache';
import { BenchmarkDataError, HOW_TO_SUPPLY_DATA, type BenchmarkFileRole } from './errors';
import { defaultSearchStarts, findProjectRoot, sharedDataCandidates } from './projectRoot';

export interface LoadProgress {
  readonly role: BenchmarkFileRole;
  readonly phase: 'found' | 'downloading' | 'downloaded';
  readonly path: string;
  /** While downloading: bytes so far and expected. */
  readonly received?: number;
  readonly total?: number;
}

export interface LoadBenchmarkOptions {
  /** A folder holding the three files (setting `robustNas.dataPath`, CLI `--data`); when given, nothing else is tried. */
  readonly dataDir?: string;
  /** Per-user cache folder; default: env-paths('robust-nas').cache. */
  readonly cacheDir?: string;
  /** Environment to read ROBUST_NAS_DATA from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where to start looking for the project root, for the shared development copy (default: this bundle's folder). */
  readonly searchFrom?: readonly string[];
  /** Download missing files into the cache (default true). */
  readonly download?: boolean;
  /** Download base URL, ending with `/` (default: the pinned URL in data/sources.json). For tests and mirrors. */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  /**
   * Check each file's sha256 against the published one (default true). Off only for files knowingly edited, e.g.
   * the corrupted copies the tests feed to the validator; the content is validated in full either way.
   */
  readonly verifyChecksums?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LoadProgress) => void;
  /**
   * Use the binary index cache in `cacheDir` (default true; indexCache.ts): after the first load the parsed and
   * validated arrays are stored there, and later loads of the same verified files read them instead of parsing
   * the JSON. Never used for files read with `verifyChecksums: false`.
   */
  readonly indexCache?: boolean;
  /** What happened with the index cache on this load (for logs). */
  readonly onIndexCache?: (e: IndexCacheEvent) => void;
}

/**
 * The index cache on one load: `used` (the JSON was not parsed), `written` (after a load from the JSON files;
 * `replaced` says why an existing file was not used), or `not-written` (the load succeeded, the next start will
 * parse the JSON again).
 */
export type IndexCacheEvent =
  | { readonly kind: 'used'; readonly path: string }
  | { readonly kind: 'written'; readonly path: string; readonly replaced?: string }
  | { readonly kind: 'not-written'; readonly path: string; readonly problem: string; readonly replaced?: string };

/** One log line for an index cache event, and how loud it should be (the extension's and the server's logs). */
export function indexCacheLogLine(e: IndexCacheEvent): {
  readonly level: 'debug' | 'info' | 'warn';
  readonly text: string;
} {
  switch (e.kind) {
    case 'used':
      return {
        level: 'debug',
        text: `Benchmark index read from ${e.path} (the JSON files were verified, not parsed).`,
      };
    case 'written':
      return e.replaced
        ? { level: 'info', text: `Benchmark index ${e.path} rebuilt from the JSON files: the old file ${e.replaced}.` }
        : {
            level: 'debug',
            text: `Benchmark index written to ${e.path}; later starts read it instead of parsing the JSON files.`,
          };
    case 'not-written':
      return {
        level: 'warn',
        text:
          `Benchmark index ${e.path} could not be stored (${e.problem})${e.replaced ? `; the file there ${e.replaced}` : ''}. ` +
          'The data is loaded; every start parses the JSON files again until the cache folder is writable.',
      };
  }
}

/** The per-user cache folder the files are downloaded into. */
export function defaultCacheDir(): string {
  return envPaths(CACHE_APP_NAME, { suffix: '' }).cache;
}

/**
 * Files read unverified (tests' edited copies) may still be no larger than this many times the published size:
 * the paths come from settings a repository can set, and a symlink to /dev/zero must not be read forever.
 */
const UNVERIFIED_SIZE_FACTOR = 4;

/**
 * Reads a file and checks it is the published one; undefined when it does not exist. Only a regular file of the
 * published size is read (a FIFO, a device, a directory or an oversized file is refused after a `stat`, before
 * any byte is read), and never more than that size.
 */
async function readVerified(
  path: string,
  role: BenchmarkFileRole,
  verify = true,
): Promise<{ bytes: Buffer } | { problem: string; notAFile?: boolean } | undefined> {
  const want = PUBLISHED_FILES[role];
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(
      path,
      verify
        ? { maxBytes: want.bytes, exactBytes: want.bytes, what: `the published size of ${want.name}` }
        : {
            maxBytes: UNVERIFIED_SIZE_FACTOR * want.bytes,
            what: `${UNVERIFIED_SIZE_FACTOR} times the published size of ${want.name}`,
          },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof UnsafeFileError) return { problem: e.problem, notAFile: e.reason === 'not-regular' };
    return { problem: `cannot be read (${(e as Error).message})` };
  }
  if (!verify) return { bytes };
  const actual = sha256Hex(bytes);
  if (actual !== want.sha256)
    return { problem: `has sha256 ${actual}, expected ${want.sha256} (damaged or a different version)` };
  return { bytes };
}

function checkNotCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new BenchmarkDataError(
      'cancelled',
      undefined,
      undefined,
      'Loading the benchmark was cancelled',
      'Start loading again to retry.',
    );
}

/** Loads all three files from one folder the user named; every defect is an error (no fallback behind their back). */
async function fromNamedDir(
  dir: string,
  via: 'explicit' | 'env',
  verify: boolean,
): Promise<{ bytes: Record<BenchmarkFileRole, Buffer>; origins: Record<BenchmarkFileRole, DataOrigin> }> {
  const how =
    via === 'explicit' ? 'the folder given by `robustNas.dataPath` / `--data`' : `the folder in ${DATA_DIR_ENV}`;
  const bytes = {} as Record<BenchmarkFileRole, Buffer>;
  const origins = {} as Record<BenchmarkFileRole, DataOrigin>;
  for (const role of BENCHMARK_FILE_ROLES) {
    const path = join(dir, PUBLISHED_FILES[role].name);
    const r = await readVerified(path, role, verify);
    if (!r) {
      throw new BenchmarkDataError(
        'missing',
        path,
        undefined,
        `does not exist (looked in ${how})`,
        `Check that the folder holds NAS-RobBench-201_html.json, acc.json and ops.json, or stop naming it (robustNas.dataPath / --data / ${DATA_DIR_ENV}) to let Robust NAS find or download the files.`,
      );
    }
    if ('problem' in r)
      throw new BenchmarkDataError(r.notAFile ? 'not-a-file' : 'checksum', path, undefined, r.problem);
    bytes[role] = r.bytes;
    origins[role] = { path, via };
  }
  return { bytes, origins };
}

/**
 * Finds, verifies and indexes the benchmark. Search order: `dataDir`; the folder in ROBUST_NAS_DATA; per file, the
 * user cache, the shared development copy beside the project root, and finally a download from the pinned URL into
 * the cache. Every file is checked against its published sha256.
 */
export async function loadBenchmark(options: LoadBenchmarkOptions = {}): Promise<Benchmark> {
  const { signal, onProgress } = options;
  checkNotCancelled(signal);
  const envDir = (options.env ?? process.env)[DATA_DIR_ENV];
  let found: Awaited<ReturnType<typeof fromNamedDir>>;
  if (options.dataDir)
    found = await fromNamedDir(resolve(options.dataDir), 'explicit', options.verifyChecksums ?? true);
  else if (envDir) found = await fromNamedDir(resolve(envDir), 'env', options.verifyChecksums ?? true);
  else found = await fromSearch(options);
  checkNotCancelled(signal);
  for (const role of BENCHMARK_FILE_ROLES) onProgress?.({ role, phase: 'found', path: found.origins[role].path });
  const fromFiles = () => {
    const text = (role: BenchmarkFileRole) => found.bytes[role].toString('utf8');
    return Benchmark.fromTexts(
      { adversarial: text('adversarial'), standard: text('standard'), ops: text('ops') },
      found.origins,
    );
  };
  // Only verified files key the cache: their sha256 is then the published one, already checked above.
  if (!(options.indexCache ?? true) || !(options.verifyChecksums ?? true) || !indexCacheSupported()) return fromFiles();
  const key: IndexCacheKey = {
    adversarial: PUBLISHED_FILES.adversarial.sha256,
    standard: PUBLISHED_FILES.standard.sha256,
    ops: PUBLISHED_FILES.ops.sha256,
  };
  const path = join(options.cacheDir ?? defaultCacheDir(), INDEX_CACHE_FILE);
  const cached = await readIndexCache(path, key);
  checkNotCancelled(signal);
  if (cached && 'index' in cached) {
    options.onIndexCache?.({ kind: 'used', path });
    return new Benchmark(cached.index, found.origins);
  }
  const bench = fromFiles();
  const replaced = cached?.problem;
  try {
    await writeIndexCache(path, bench.index, key);
    options.onIndexCache?.({ kind: 'written', path, replaced });
  } catch (e) {
    if (!(e instanceof IndexCacheWriteError)) throw e;
    options.onIndexCache?.({ kind: 'not-written', path, problem: e.problem, replaced });
  }
  return bench;
}

/** Where missing files are downloaded from: the option, else a mirror named in ROBUST_NAS_DOWNLOAD_URL, else the pinned URL. */
function downloadBase(options: LoadBenchmarkOptions): string {
  const base = options.baseUrl ?? (options.env ?? process.env)[DOWNLOAD_URL_ENV] ?? PINNED_BASE_URL;
  return base.endsWith('/') ? base : `${base}/`;
}

async function fromSearch(options: LoadBenchmarkOptions) {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const root = (options.searchFrom ?? defaultSearchStarts())
    .map((s) => findProjectRoot(s))
    .find((r) => r !== undefined);
  const sharedDir = root ? sharedDataCandidates(root).find((d) => existsSync(d)) : undefined;
  const bytes = {} as Record<BenchmarkFileRole, Buffer>;
  const origins = {} as Record<BenchmarkFileRole, DataOrigin>;
  const problems: string[] = [];
  for (const role of BENCHMARK_FILE_ROLES) {
    const name = PUBLISHED_FILES[role].name;
    const cached = join(cacheDir, name);
    const candidates: [string, DataOrigin['via']][] = [[cached, 'cache']];
    if (sharedDir) candidates.push([join(sharedDir, name), 'shared']);
    for (const [path, via] of candidates) {
      const r = await readVerified(path, role, options.verifyChecksums ?? true);
      if (r && 'bytes' in r) {
        bytes[role] = r.bytes;
        origins[role] = { path, via };
        break;
      }
      if (r) problems.push(`${path} ${r.problem}`);
    }
    if (bytes[role]) continue;
    if (options.download === false) {
      throw new BenchmarkDataError(
        'missing',
        name,
        undefined,
        `was not found (looked in ${candidates.map(([p]) => p).join(' and ')}${problems.length ? `; ${problems.join('; ')}` : ''}) and downloading is off`,
      );
    }
    const url = downloadBase(options) + name;
    options.onProgress?.({ role, phase: 'downloading', path: url, received: 0, total: PUBLISHED_FILES[role].bytes });
    try {
      await downloadVerified(url, cached, PUBLISHED_FILES[role], {
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        onProgress: (received, total) =>
          options.onProgress?.({ role, phase: 'downloading', path: url, received, total }),
      });
    } catch (e) {
      if (e instanceof BenchmarkDataError && e.kind === 'download') {
        throw new BenchmarkDataError(
          'download',
          url,
          undefined,
          `${e.problem}; no verified copy was found locally either (looked in ${candidates.map(([p]) => p).join(' and ')})`,
          HOW_TO_SUPPLY_DATA,
        );
      }
      throw e;
    }
    const r = await readVerified(cached, role);
    if (!r || !('bytes' in r))
      throw new BenchmarkDataError(
        'checksum',
        cached,
        undefined,
        r && 'problem' in r ? r.problem : 'vanished right after download',
      );
    bytes[role] = r.bytes;
    origins[role] = { path: cached, via: 'download' };
    options.onProgress?.({ role, phase: 'downloaded', path: cached });
  }
  return { bytes, origins };
}
