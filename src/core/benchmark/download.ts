import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BenchmarkDataError } from './errors';
import { makeDirectory } from '../files/directory';

export interface DownloadOptions {
  /** Cancels the download; the partial file is removed and a `cancelled` error thrown. */
  readonly signal?: AbortSignal;
  /** Gives up after this many milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  /** Bytes received so far and the expected total. */
  readonly onProgress?: (received: number, total: number) => void;
}

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 60_000;

/** Lower-case hex sha256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Downloads `url` to `dest`, verifying size and sha256 before the file appears there: the body goes to a temporary
 * file in the same directory and is renamed over `dest` only once verified (rename within a directory is atomic), so
 * a failed, cancelled or corrupt download never replaces a good copy.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  expected: { sha256: string; bytes: number },
  options: DownloadOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failed = (problem: string) => new BenchmarkDataError('download', url, undefined, problem);
  const rethrow = (e: unknown): never => {
    if (e instanceof BenchmarkDataError) throw e;
    if (options.signal?.aborted)
      throw new BenchmarkDataError('cancelled', url, undefined, 'download cancelled', 'Start loading again to retry.');
    if (timeout.aborted)
      throw failed(
        `no complete response within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`,
      );
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw failed(`could not be downloaded (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  };

  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal });
    if (!response.ok || !response.body)
      throw failed(`the server answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      chunks.push(chunk);
      received += chunk.byteLength;
      if (received > expected.bytes) throw failed(`sent more than the expected ${expected.bytes} bytes`);
      options.onProgress?.(received, expected.bytes);
    }
    bytes = Buffer.concat(chunks);
  } catch (e) {
    rethrow(e);
  }
  bytes = bytes!;
  if (bytes.byteLength !== expected.bytes)
    throw failed(`sent ${bytes.byteLength} bytes, expected ${expected.bytes} (truncated download)`);
  const actual = sha256Hex(bytes);
  if (actual !== expected.sha256)
    throw failed(`has sha256 ${actual}, expected ${expected.sha256} (corrupted download)`);

  const temp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    // Not mkdir({ recursive: true }), which never returns for some paths (under /proc).
    await makeDirectory(dirname(dest));
    await writeFile(temp, bytes);
    await rename(temp, dest);
  } catch (e) {
    await rm(temp, { force: true });
    throw new BenchmarkDataError(
      'download',
      dest,
      undefined,
      `could not be written (${(e as Error).message})`,
      'Check that the cache directory is writable, or point Robust NAS at a folder holding the files (`robustNas.dataPath`, `--data DIR`, or ROBUST_NAS_DATA).',
    );
  }
}
