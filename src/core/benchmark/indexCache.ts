import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { DirectoryError, makeDirectory } from '../files/directory';
import { readRegularFile, UnsafeFileError } from '../files/regularFile';
import { CELL_COUNT } from '../space/cell';
import type { BenchmarkIndex } from './benchmark';
import type { BenchmarkFileRole } from './errors';
import { BENCHMARK_FILE_ROLES } from './dataSources';
import { expectedColumns } from './publishedFiles';

/**
 * The binary index cache (issue 14): after a load from the three JSON files has validated everything and computed
 * every representative from the cell structure, those arrays ({@link BenchmarkIndex}) are written to one file in
 * the user cache, so that later starts (language server, extension, CLI) read about 2 MB of typed arrays instead of
 * parsing 3.5 MB of JSON and recomputing 15,625 canonical forms.
 *
 * The file is never trusted blindly. It is keyed by the sha256 of the three data files it was built from (the files
 * are still read and verified on every start; only their parsing is skipped), by {@link INDEX_FORMAT_VERSION} and
 * by a digest of the column layout the code expects, and it carries the sha256 of its payload. Any mismatch, a
 * wrong length, a failed checksum or arrays that are not structurally sound (a permutation of op codes,
 * representatives that are the smallest member of their class, values in [0, 1]) make it count as absent: the
 * caller loads from the JSON files and writes it again. Writes go to a temporary file renamed over the target, so a
 * crash or a second process writing at the same time never leaves a half-written index.
 *
 * Layout (little-endian; typed arrays are read in place, so the cache is used only on little-endian machines, i.e.
 * every platform VS Code runs on):
 *
 * | offset | bytes | what |
 * |---:|---:|---|
 * | 0 | 8 | magic `RNASIDX\0` |
 * | 8 | 4 | format version |
 * | 12 | 4 | cell count (15,625) |
 * | 16 | 4 | evaluated cells n |
 * | 20 | 4 | columns of NAS-RobBench-201_html.json (18) |
 * | 24 | 4 | columns of acc.json (17) |
 * | 28 | 4 | payload bytes |
 * | 32 | 32 | sha256 of the expected column headers (the layout the code reads) |
 * | 64 | 96 | sha256 of NAS-RobBench-201_html.json, acc.json, ops.json (the key) |
 * | 160 | 32 | sha256 of the payload |
 * | 192 | | payload: code numbers (int32 x 15,625), representatives (int32 x 15,625), evaluated indices (int32 x n), zero padding to 8 bytes, adversarial values (float64 x n x 18), standard values (float64 x n x 17) |
 */

/** Bump whenever the meaning of any stored array changes; older files are then rebuilt. */
export const INDEX_FORMAT_VERSION = 1;
/** The file's name inside the cache folder (beside the downloaded data files). */
export const INDEX_CACHE_FILE = 'benchmark-index.bin';

const MAGIC = Buffer.from('RNASIDX\0', 'latin1');
const HEADER_BYTES = 192;
const OFFSET = {
  version: 8,
  cells: 12,
  evaluated: 16,
  adversarialWidth: 20,
  standardWidth: 24,
  payloadBytes: 28,
  layout: 32,
  key: 64,
  checksum: 160,
} as const;

/** sha256 (hex) of each data file the index is built from. */
export type IndexCacheKey = Readonly<Record<BenchmarkFileRole, string>>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** Digest of the column headers the code expects, in order: a reordered or added column invalidates old files. */
function layoutDigest(): Buffer {
  const headers = (['adversarial', 'standard'] as const).map((role) => expectedColumns(role).map((c) => c.header));
  return sha256(Buffer.from(JSON.stringify([CELL_COUNT, headers]), 'utf8'));
}

const widths = () => ({
  adversarial: expectedColumns('adversarial').length,
  standard: expectedColumns('standard').length,
});

/** Byte offsets of the payload's arrays for n evaluated cells. */
function payloadLayout(n: number) {
  const w = widths();
  const codeNumbers = 0;
  const representative = codeNumbers + 4 * CELL_COUNT;
  const evaluated = representative + 4 * CELL_COUNT;
  const adversarial = Math.ceil((evaluated + 4 * n) / 8) * 8;
  const standard = adversarial + 8 * n * w.adversarial;
  const end = standard + 8 * n * w.standard;
  return { codeNumbers, representative, evaluated, adversarial, standard, end, widths: w };
}

/** Whether typed arrays can be read from the file in place (the layout is little-endian). */
export const indexCacheSupported = (): boolean => endianness() === 'LE';

/** The index as the bytes of a cache file built from files with these sha256s. Deterministic. */
export function encodeBenchmarkIndex(index: BenchmarkIndex, key: IndexCacheKey): Buffer {
  const n = index.evaluatedIndices.length;
  const layout = payloadLayout(n);
  if (
    index.adversarialValues.length !== n * layout.widths.adversarial ||
    index.standardValues.length !== n * layout.widths.standard
  ) {
    throw new RangeError('the benchmark index does not have the column layout the cache stores');
  }
  const out = Buffer.alloc(HEADER_BYTES + layout.end);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(INDEX_FORMAT_VERSION, OFFSET.version);
  out.writeUInt32LE(CELL_COUNT, OFFSET.cells);
  out.writeUInt32LE(n, OFFSET.evaluated);
  out.writeUInt32LE(layout.widths.adversarial, OFFSET.adversarialWidth);
  out.writeUInt32LE(layout.widths.standard, OFFSET.standardWidth);
  out.writeUInt32LE(layout.end, OFFSET.payloadBytes);
  layoutDigest().copy(out, OFFSET.layout);
  BENCHMARK_FILE_ROLES.forEach((role, k) => Buffer.from(key[role], 'hex').copy(out, OFFSET.key + 32 * k));
  const payload = out.subarray(HEADER_BYTES);
  const put = (array: Int32Array | Float64Array, at: number) =>
    payload.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
  put(index.codeNumbers, layout.codeNumbers);
  put(index.representative, layout.representative);
  put(index.evaluatedIndices, layout.evaluated);
  put(index.adversarialValues, layout.adversarial);
  put(index.standardValues, layout.standard);
  sha256(payload).copy(out, OFFSET.checksum);
  return out;
}

/** Why the arrays cannot be a benchmark index (undefined when they are sound). Linear in the data: under 1 ms. */
function structuralProblem(index: BenchmarkIndex): string | undefined {
  const { codeNumbers, representative, evaluatedIndices } = index;
  const seen = new Uint8Array(CELL_COUNT);
  for (let i = 0; i < CELL_COUNT; i++) {
    const c = codeNumbers[i];
    if (!(c >= 0 && c < CELL_COUNT) || seen[c]) return `op code number ${c} of index ${i} is out of range or repeated`;
    seen[c] = 1;
  }
  let e = 0;
  for (let i = 0; i < CELL_COUNT; i++) {
    const r = representative[i];
    // The representative is the smallest index of the class, so it is <= i and its own representative.
    if (!(r >= 0 && r <= i) || representative[r] !== r)
      return `representative ${r} of index ${i} is not a class representative`;
    if (r === i) {
      if (evaluatedIndices[e] !== i) return `evaluated index ${e} is ${evaluatedIndices[e]}, expected ${i}`;
      e++;
    }
  }
  if (e !== evaluatedIndices.length)
    return `lists ${evaluatedIndices.length} evaluated indices, the representatives give ${e}`;
  for (const values of [index.adversarialValues, index.standardValues]) {
    for (let k = 0; k < values.length; k++) {
      // NaN fails both comparisons, so it is refused too.
      if (!(values[k] >= 0 && values[k] <= 1)) return `value ${values[k]} is not an accuracy in [0, 1]`;
    }
  }
  return undefined;
}

/**
 * Reads cache file bytes back into an index, or says why they cannot be used (each reason is a rebuild): not an
 * index file, another format version or column layout, built from other data files (stale), truncated, damaged
 * (payload checksum), or structurally unsound.
 */
export function decodeBenchmarkIndex(
  bytes: Buffer,
  key: IndexCacheKey,
): { index: BenchmarkIndex } | { problem: string } {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return {
      problem:
        bytes.length < HEADER_BYTES && MAGIC.subarray(0, bytes.length).equals(bytes.subarray(0, MAGIC.length))
          ? `is truncated (${bytes.length} bytes, shorter than its header)`
          : 'is not a Robust NAS index file',
    };
  }
  const version = bytes.readUInt32LE(OFFSET.version);
  if (version !== INDEX_FORMAT_VERSION)
    return { problem: `has format version ${version}, this version of Robust NAS reads ${INDEX_FORMAT_VERSION}` };
  if (!bytes.subarray(OFFSET.layout, OFFSET.layout + 32).equals(layoutDigest()))
    return { problem: 'was written for another column layout' };
  const stale = BENCHMARK_FILE_ROLES.filter(
    (role, k) => !bytes.subarray(OFFSET.key + 32 * k, OFFSET.key + 32 * (k + 1)).equals(Buffer.from(key[role], 'hex')),
  );
  if (stale.length)
    return { problem: `was built from other data files (the sha256 of the ${stale.join(', ')} file differs)` };
  const n = bytes.readUInt32LE(OFFSET.evaluated);
  const layout = payloadLayout(n);
  if (
    bytes.readUInt32LE(OFFSET.cells) !== CELL_COUNT ||
    n < 1 ||
    n > CELL_COUNT ||
    bytes.readUInt32LE(OFFSET.adversarialWidth) !== layout.widths.adversarial ||
    bytes.readUInt32LE(OFFSET.standardWidth) !== layout.widths.standard ||
    bytes.readUInt32LE(OFFSET.payloadBytes) !== layout.end
  ) {
    return { problem: 'has an inconsistent header' };
  }
  if (bytes.length !== HEADER_BYTES + layout.end) {
    return {
      problem: `has ${bytes.length} bytes, expected ${HEADER_BYTES + layout.end} (${bytes.length < HEADER_BYTES + layout.end ? 'truncated' : 'extra bytes'})`,
    };
  }
  const payload = bytes.subarray(HEADER_BYTES);
  if (!sha256(payload).equals(bytes.subarray(OFFSET.checksum, OFFSET.checksum + 32)))
    return { problem: 'is damaged (its payload checksum differs)' };
  // Views need their element alignment; the header is a multiple of 8, so only the buffer's own offset matters.
  const aligned = payload.byteOffset % 8 === 0 ? payload : Buffer.from(payload);
  const { buffer, byteOffset } = aligned;
  const index: BenchmarkIndex = {
    codeNumbers: new Int32Array(buffer, byteOffset + layout.codeNumbers, CELL_COUNT),
    representative: new Int32Array(buffer, byteOffset + layout.representative, CELL_COUNT),
    evaluatedIndices: new Int32Array(buffer, byteOffset + layout.evaluated, n),
    adversarialValues: new Float64Array(buffer, byteOffset + layout.adversarial, n * layout.widths.adversarial),
    standardValues: new Float64Array(buffer, byteOffset + layout.standard, n * layout.widths.standard),
  };
  const problem = structuralProblem(index);
  return problem ? { problem: `holds unsound data (${problem})` } : { index };
}

/** The largest file an index can be (every cell evaluated): anything bigger is not read. */
const maxIndexFileBytes = () => HEADER_BYTES + payloadLayout(CELL_COUNT).end;

/**
 * The cached index in `file` when it exists and is sound for data files with these sha256s; `{ problem }` when a
 * file is there but cannot be used (the caller rebuilds it); undefined when there is none. Only a regular file of
 * at most the largest possible index size is read (hostile-input.md: a FIFO or /dev/zero there is refused).
 */
export async function readIndexCache(
  file: string,
  key: IndexCacheKey,
): Promise<{ index: BenchmarkIndex } | { problem: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, {
      maxBytes: maxIndexFileBytes(),
      what: 'the largest possible benchmark index',
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { problem: e instanceof UnsafeFileError ? e.problem : `cannot be read (${(e as Error).message})` };
  }
  return decodeBenchmarkIndex(bytes, key);
}

/** The index could not be stored; the load itself succeeded, only the next start will parse the files again. */
export class IndexCacheWriteError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file} could not be written (${problem}); the next start will read the JSON files again`);
    this.name = 'IndexCacheWriteError';
  }
}

/** Writes the index atomically (temporary file in the same folder, then rename); throws {@link IndexCacheWriteError}. */
export async function writeIndexCache(file: string, index: BenchmarkIndex, key: IndexCacheKey): Promise<void> {
  const bytes = encodeBenchmarkIndex(index, key);
  const dir = dirname(file);
  const temp = join(dir, `.${INDEX_CACHE_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    // Not mkdir({ recursive: true }), which never returns for some paths (under /proc): hostile-input.md.
    await makeDirectory(dir);
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      e instanceof DirectoryError
        ? e.message
        : code === 'EACCES' || code === 'EPERM'
          ? `${dir} is not writable`
          : code === 'EROFS'
            ? `${dir} is on a read-only file system`
            : code === 'ENOSPC'
              ? 'the disk is full'
              : code === 'EISDIR'
                ? `${file} is a folder`
                : (e as Error).message;
    throw new IndexCacheWriteError(file, why);
  }
}
