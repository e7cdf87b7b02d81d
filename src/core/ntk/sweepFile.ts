import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { openRegularFileSync, readRegularFileSync, UnsafeFileError } from '../files/regularFile';
import { replaceNumbers, reviveNumbers } from './cache';
import type { NtkResult } from './scores';

/**
 * An NTK sweep file: JSON Lines, append-only. Line 1 is the header (the configuration every row was computed
 * with); each further line is one isomorphism class's result, keyed by its benchmark index. A crash can only
 * leave a partial last line, which resuming drops; completed classes are never recomputed.
 */
export interface SweepHeader {
  readonly type: 'ntk-sweep';
  readonly version: 1;
  /** The NtkJobOptions (as JSON) every row used. */
  readonly config: unknown;
  /** Shard i of n (0-based), or undefined for the whole sweep. */
  readonly shard?: { readonly index: number; readonly count: number };
}

export interface SweepRow {
  readonly type: 'result';
  /** NAS-Bench-201 index of the class's evaluated (representative) cell in NAS-RobBench-201. */
  readonly index: number;
  readonly result: NtkResult;
}

export class SweepFileError extends Error {}

/** What to do about a damaged row: the sweep is resumable, so dropping the row only costs recomputing that class. */
const DAMAGED_ROW_ADVICE =
  'Delete that line (or everything from it on) and re-run the same `robust-nas ntk-sweep --out` command: it recomputes only the missing classes.';

export interface SweepContents {
  readonly header: SweepHeader;
  readonly rows: Map<number, SweepRow>;
  /** Bytes of complete lines (a partial last line starts here). */
  readonly completeBytes: number;
  readonly partialLastLine: boolean;
}

/**
 * The largest sweep file read: a full sweep is 6,466 rows of one to a few kilobytes (all six variants and the
 * baselines), under 50 MB; merged shards with duplicates stay below this. Sweep files are named by settings a
 * repository can set, so a FIFO, a device or a huge file is refused before reading.
 */
export const MAX_SWEEP_FILE_BYTES = 256 * 2 ** 20;
const SWEEP_FILE_LIMITS = { maxBytes: MAX_SWEEP_FILE_BYTES, what: 'far more than a sweep of all 6,466 classes takes' };

function unreadable(path: string, e: unknown): SweepFileError {
  if (e instanceof UnsafeFileError) return new SweepFileError(`cannot read sweep file ${e.message}`);
  if ((e as NodeJS.ErrnoException).code === 'ENOENT')
    return new SweepFileError(`cannot read sweep file ${path}: it does not exist`);
  return new SweepFileError(`cannot read sweep file ${path}: ${(e as Error).message}`);
}

export function readSweepFile(path: string): SweepContents {
  let text: string;
  try {
    text = readRegularFileSync(path, SWEEP_FILE_LIMITS).toString('utf8');
  } catch (e) {
    throw unreadable(path, e);
  }
  const lastNewline = text.lastIndexOf('\n');
  const complete = text.slice(0, lastNewline + 1);
  const lines = complete.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0)
    throw new SweepFileError(`${path} has no header line; it is not an NTK sweep file (or it is empty)`);
  let header: SweepHeader;
  try {
    header = JSON.parse(lines[0]) as SweepHeader;
  } catch {
    throw new SweepFileError(
      `${path}: the first line is not JSON; not an NTK sweep file (choose a file written by \`robust-nas ntk-sweep --out FILE\` or the NTK Sweep command)`,
    );
  }
  if (header?.type !== 'ntk-sweep' || header.version !== 1)
    throw new SweepFileError(
      `${path}: the first line is not an NTK sweep header (version 1); choose a file written by \`robust-nas ntk-sweep --out FILE\` or the NTK Sweep command`,
    );
  const rows = new Map<number, SweepRow>();
  lines.slice(1).forEach((line, k) => {
    const row = parseRowLine(line, `${path}: line ${k + 2}`);
    rows.set(row.index, row);
  });
  return { header, rows, completeBytes: Buffer.byteLength(complete), partialLastLine: lastNewline + 1 < text.length };
}

/** One result line; `where` names it in the error of a damaged row. */
function parseRowLine(line: string, where: string): SweepRow {
  let row: SweepRow;
  try {
    row = JSON.parse(line, reviveNumbers) as SweepRow;
  } catch {
    throw new SweepFileError(
      `${where} is not JSON; the file is damaged (only the last line can be partial). ${DAMAGED_ROW_ADVICE}`,
    );
  }
  if (
    row?.type !== 'result' ||
    !Number.isInteger(row.index) ||
    typeof row.result?.variants !== 'object' ||
    row.result.variants === null
  ) {
    throw new SweepFileError(
      `${where} is not an NTK result row (it needs "type": "result", an integer "index" and "result.variants"). ${DAMAGED_ROW_ADVICE}`,
    );
  }
  return row;
}

/**
 * The complete rows after byte `fromByte` (the `completeBytes` of an earlier read), and the new end of the
 * complete lines: follows a running sweep without parsing again what was read before (a full sweep file is
 * megabytes). A partial last line is left for the next read.
 */
export function readSweepRowsFrom(path: string, fromByte: number): { rows: SweepRow[]; completeBytes: number } {
  let bytes: Buffer;
  try {
    const { fd, size } = openRegularFileSync(path, SWEEP_FILE_LIMITS);
    try {
      bytes = Buffer.alloc(Math.max(0, size - fromByte));
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, fromByte + read);
        if (n === 0) break;
        read += n;
      }
      bytes = bytes.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw unreadable(path, e);
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  const rows = bytes
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => parseRowLine(line, `${path}: a line after byte ${fromByte}`));
  return { rows, completeBytes: fromByte + end };
}

/** What a lock file holds: who is writing the sweep file. */
interface SweepLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** The lock file of a sweep file: its path plus `.lock`. */
export function sweepLockPath(path: string): string {
  return `${path}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockOwner(lock: string): SweepLockOwner | undefined {
  try {
    const owner = JSON.parse(readRegularFileSync(lock, { maxBytes: 4096 }).toString('utf8')) as Partial<SweepLockOwner>;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? (owner as SweepLockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Why a sweep file could not be opened because of the file system (a missing or read-only folder, ...). */
function fileSystemProblem(path: string, e: unknown): SweepFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const folder = dirname(resolve(path));
  if (code === 'ENOENT')
    return new SweepFileError(
      `cannot write ${path}: the folder ${folder} does not exist; create it or choose another --out file`,
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new SweepFileError(
      `cannot write ${path}: permission denied (the folder ${folder} or the file is read-only); choose another --out file`,
    );
  if (code === 'EROFS')
    return new SweepFileError(
      `cannot write ${path}: ${folder} is on a read-only file system; choose another --out file`,
    );
  if (code === 'ENOTDIR')
    return new SweepFileError(
      `cannot write ${path}: a part of ${folder} is a file, not a folder; choose another --out file`,
    );
  if (code === 'ENOSPC') return new SweepFileError(`cannot write ${path}: the disk is full`);
  return new SweepFileError(`cannot write ${path}: ${(e as Error).message}`);
}

/**
 * Takes the sweep file's lock: a `.lock` file created exclusively (O_EXCL), holding the writer's pid and host.
 * Another live writer's lock is refused with who holds it; a lock left by a process of this host that no longer
 * runs (a crash, a kill -9) is taken over. A lock from another host (a shared file system) cannot be checked and
 * is refused with its owner named, so the user can delete it if that sweep is gone.
 */
function acquireLock(path: string): string {
  const lock = sweepLockPath(path);
  const me: SweepLockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify(me) + '\n', { flag: 'wx' });
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileSystemProblem(path, e);
    }
    const owner = readLockOwner(lock);
    if (owner && owner.host !== me.host) {
      throw new SweepFileError(
        `another sweep (pid ${owner.pid} on ${owner.host}, since ${owner.started}) is writing ${path}; wait for it or choose another --out file (if that sweep is no longer running, delete ${lock})`,
      );
    }
    if (owner && isAlive(owner.pid)) {
      throw new SweepFileError(
        `another sweep (pid ${owner.pid}) is writing ${path}; wait for it or choose another --out file`,
      );
    }
    // Stale (its process is gone) or unreadable (being written this instant, or damaged): move it aside
    // atomically, and put it back if it turns out to be a live writer's lock taken meanwhile.
    const aside = `${lock}.${process.pid}.stale`;
    try {
      renameSync(lock, aside);
    } catch {
      continue;
    }
    const moved = readLockOwner(aside);
    if (moved && isAlive(moved.pid) && moved.host === me.host) {
      try {
        renameSync(aside, lock);
      } catch {
        /* the lock is someone else's again */
      }
      throw new SweepFileError(
        `another sweep (pid ${moved.pid}) is writing ${path}; wait for it or choose another --out file`,
      );
    }
    rmSync(aside, { force: true });
  }
  throw new SweepFileError(
    `cannot take the lock ${lock} of ${path}: other sweeps keep creating it; wait for them or choose another --out file`,
  );
}

/** A JSON value in a message, shortened. */
function shown(value: unknown): string {
  const text = value === undefined ? 'not set' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Which settings differ between a sweep file's header and the one a run would write, e.g. `proxies: the file has
 * ["zc:snip"], this run ["zc:snip","zc:synflow"]; shard: the file has {"index":0,"count":4}, this run not set`.
 */
export function describeConfigDifference(file: SweepHeader, run: SweepHeader): string {
  const a = (file.config ?? {}) as Record<string, unknown>;
  const b = (run.config ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
  const parts = keys.map((k) => `${k}: the file has ${shown(a[k])}, this run ${shown(b[k])}`);
  if (JSON.stringify(file.shard) !== JSON.stringify(run.shard))
    parts.push(`shard: the file has ${shown(file.shard)}, this run ${shown(run.shard)}`);
  if (typeof a !== 'object' || typeof b !== 'object') parts.push('the headers are not comparable');
  return parts.join('; ') || 'the headers differ';
}

/**
 * Appends rows to a sweep file opened once; each row is one write followed by fsync. While open, the file is
 * locked (see acquireLock): two sweeps on the same file would compute every class twice and write duplicate rows,
 * and two creating it at once would lose one's rows to the other's rename.
 */
export class SweepWriter {
  private readonly fd: number;
  private readonly releaseOnExit = () => this.releaseLock();
  private locked = true;

  private constructor(
    path: string,
    private readonly lock: string,
  ) {
    this.fd = openSync(path, 'a');
    process.on('exit', this.releaseOnExit);
  }

  /**
   * Opens `path` for appending: takes its lock, creates it with `header` when missing, otherwise checks the
   * header's config is the same and drops a partial last line. Returns the rows already done. Throws
   * SweepFileError when another sweep holds the file, the options differ, or the folder is missing or read-only.
   */
  static open(path: string, header: SweepHeader): { writer: SweepWriter; done: Map<number, SweepRow> } {
    const lock = acquireLock(path);
    try {
      if (!existsSync(path)) {
        const temp = `${path}.${process.pid}.tmp`;
        try {
          writeFileSync(temp, JSON.stringify(header) + '\n');
          renameSync(temp, path);
        } catch (e) {
          rmSync(temp, { force: true });
          throw fileSystemProblem(path, e);
        }
        return { writer: new SweepWriter(path, lock), done: new Map() };
      }
      const contents = readSweepFile(path);
      if (
        JSON.stringify(contents.header.config) !== JSON.stringify(header.config) ||
        JSON.stringify(contents.header.shard) !== JSON.stringify(header.shard)
      ) {
        throw new SweepFileError(
          `${path} was written by another sweep configuration: ${describeConfigDifference(contents.header, header)}. ` +
            'Its rows cannot be mixed with these; use another --out file, or the options the file was written with to resume it',
        );
      }
      try {
        if (contents.partialLastLine) truncateSync(path, contents.completeBytes);
        return { writer: new SweepWriter(path, lock), done: contents.rows };
      } catch (e) {
        throw fileSystemProblem(path, e);
      }
    } catch (e) {
      rmSync(lock, { force: true });
      throw e;
    }
  }

  append(row: SweepRow): void {
    writeSync(this.fd, JSON.stringify(row, replaceNumbers) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
    this.releaseLock();
    process.off('exit', this.releaseOnExit);
  }

  private releaseLock(): void {
    if (!this.locked) return;
    this.locked = false;
    // Only our own lock: a stale-lock takeover by another process after a freeze must not be undone.
    if (readLockOwner(this.lock)?.pid === process.pid) rmSync(this.lock, { force: true });
  }
}

/**
 * Joins shard files (same config; any shards) into one sweep file written atomically. Returns how many classes
 * the merged file holds; duplicate indices (a shard re-run) keep the first row.
 */
export function mergeSweepFiles(inputs: readonly string[], out: string): { classes: number; duplicates: number } {
  if (inputs.length === 0) throw new SweepFileError('ntk-merge needs at least one shard file');
  const parts = inputs.map((p) => ({ path: p, ...readSweepFile(p) }));
  const config = JSON.stringify(parts[0].header.config);
  for (const p of parts) {
    if (JSON.stringify(p.header.config) !== config)
      throw new SweepFileError(
        `${p.path} was computed with different options than ${parts[0].path}; shards of one sweep must share them`,
      );
  }
  const rows = new Map<number, SweepRow>();
  let duplicates = 0;
  for (const p of parts) {
    for (const [i, r] of p.rows) {
      if (rows.has(i)) duplicates++;
      else rows.set(i, r);
    }
  }
  const header: SweepHeader = { type: 'ntk-sweep', version: 1, config: parts[0].header.config };
  const body = [...rows.keys()]
    .sort((a, b) => a - b)
    .map((i) => JSON.stringify(rows.get(i), replaceNumbers) + '\n')
    .join('');
  const text = JSON.stringify(header) + '\n' + body;
  // Replacing a file a running sweep appends to would lose its rows: hold the same lock a sweep holds.
  const lock = acquireLock(out);
  const temp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    if (readFileSync(temp, 'utf8') !== text)
      throw new SweepFileError(`${temp} did not read back as written; disk full?`);
    renameSync(temp, out);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e instanceof SweepFileError ? e : fileSystemProblem(out, e);
  } finally {
    rmSync(lock, { force: true });
  }
  return { classes: rows.size, duplicates };
}

/** The shard `i/n` (0-based i) of a list: every n-th element starting at i, so shards are balanced. */
export function shardOf<T>(items: readonly T[], index: number, count: number): T[] {
  return items.filter((_, k) => k % count === index);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new SweepFileError(
      `--shard must be i/n with 0 <= i < n (e.g. 0/8, as a Slurm array's $SLURM_ARRAY_TASK_ID/8), got '${text}'`,
    );
  return { index: Number(m[1]), count: Number(m[2]) };
}
