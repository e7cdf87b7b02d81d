import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * Reading a file whose path comes from a setting, an environment variable or a repository (data files, dataset
 * files, sweep files, cache entries) without trusting what is there. A path can name a FIFO (opening it blocks
 * a libuv thread for good), a character device such as /dev/zero (reading it never ends), a directory, or a
 * huge file. So: `stat` first and refuse anything but a regular file (symlinks are followed, and it is their
 * target that must be regular) larger than the caller's bound; open without blocking; check the opened file
 * again with `fstat` (the path may have been swapped in between); and read at most the bound, so a file that
 * grows while it is read, or a /proc file that reports size 0, still cannot make us read more.
 */
export class UnsafeFileError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong, without the path, e.g. "is a FIFO (named pipe), not a regular file". */
    readonly problem: string,
    /** `not-regular`: a FIFO, device, directory or socket; `size`: a regular file of the wrong size. */
    readonly reason: 'not-regular' | 'size',
  ) {
    super(`${path} ${problem}`);
    this.name = 'UnsafeFileError';
  }
}

export interface RegularFileLimits {
  /** Refuse files larger than this many bytes (and never read more). */
  readonly maxBytes: number;
  /** Refuse files of any other size (e.g. a published file's known size). */
  readonly exactBytes?: number;
  /** Words for the bound in messages, e.g. "the published size of acc.json". */
  readonly what?: string;
}

/** The kind of a non-regular file, for messages. */
export function fileKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a file with these stats must not be read; undefined when it may be. */
function refusal(path: string, s: Stats, limits: RegularFileLimits): UnsafeFileError | undefined {
  if (!s.isFile()) return new UnsafeFileError(path, `is ${fileKind(s)}, not a regular file`, 'not-regular');
  const bound = limits.what ? ` (${limits.what})` : '';
  // Size 0 may be a /proc file whose size is unknown until read: read it, within the bound.
  if (limits.exactBytes !== undefined && s.size !== limits.exactBytes && s.size !== 0)
    return new UnsafeFileError(
      path,
      `has ${s.size} bytes, expected ${limits.exactBytes}${bound}; truncated or a different file`,
      'size',
    );
  if (s.size > limits.maxBytes)
    return new UnsafeFileError(
      path,
      `has ${s.size} bytes, more than the ${limits.maxBytes} such a file can have${bound}`,
      'size',
    );
  return undefined;
}

// O_NONBLOCK keeps open() of a FIFO from waiting for a writer (POSIX; undefined on Windows, where the stat
// check before opening is what refuses it). Regular files ignore it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function tooLong(path: string, limits: RegularFileLimits): UnsafeFileError {
  return new UnsafeFileError(
    path,
    `holds more than the ${capOf(limits)} bytes it may have${limits.what ? ` (${limits.what})` : ''}; it is growing or not an ordinary file`,
    'size',
  );
}

/**
 * Opens a regular file within `limits` for reading (e.g. records at offsets); the caller closes the descriptor.
 * Throws UnsafeFileError for anything else, ENOENT as is.
 */
export function openRegularFileSync(path: string, limits: RegularFileLimits): { fd: number; size: number } {
  const before = refusal(path, statSync(path), limits);
  if (before) throw before;
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const s = fstatSync(fd);
    const problem = refusal(path, s, limits);
    if (problem) throw problem;
    return { fd, size: s.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Reads a regular file of at most `limits.maxBytes` bytes; throws UnsafeFileError for anything else, ENOENT as is. */
export function readRegularFileSync(path: string, limits: RegularFileLimits): Buffer {
  const { fd, size } = openRegularFileSync(path, limits);
  try {
    const cap = capOf(limits);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize(size, total, cap));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return checkedLength(path, joined(chunks, total), limits);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > cap) throw tooLong(path, limits);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The chunks as one buffer. A file whose size was reported arrives in one chunk (allocated uninitialised; only the
 * bytes read are kept), which is returned as is: no second copy of a 2.5 MB data file on every start.
 */
function joined(chunks: Buffer[], total: number): Buffer {
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function capOf(limits: RegularFileLimits): number {
  return Math.min(limits.exactBytes ?? limits.maxBytes, limits.maxBytes);
}

/** The reported size in one read (plus one byte to notice more), or 64 KiB steps when it said 0; never past cap + 1. */
function chunkSize(reported: number, total: number, cap: number): number {
  return Math.max(1, Math.min(Math.max(reported - total + 1, 64 * 1024), cap + 1 - total));
}

function checkedLength(path: string, bytes: Buffer, limits: RegularFileLimits): Buffer {
  if (limits.exactBytes !== undefined && bytes.length !== limits.exactBytes) {
    throw new UnsafeFileError(
      path,
      `has ${bytes.length} bytes, expected ${limits.exactBytes}${limits.what ? ` (${limits.what})` : ''}; truncated or a different file`,
      'size',
    );
  }
  return bytes;
}

/** {@link readRegularFileSync} without blocking the event loop (the language server's and the extension's loads). */
export async function readRegularFile(path: string, limits: RegularFileLimits): Promise<Buffer> {
  const before = refusal(path, await stat(path), limits);
  if (before) throw before;
  const handle = await open(path, OPEN_FLAGS);
  try {
    const s = await handle.stat();
    const problem = refusal(path, s, limits);
    if (problem) throw problem;
    const cap = capOf(limits);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize(s.size, total, cap));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return checkedLength(path, joined(chunks, total), limits);
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) throw tooLong(path, limits);
    }
  } finally {
    await handle.close();
  }
}
