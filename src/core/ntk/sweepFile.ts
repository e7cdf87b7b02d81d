import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
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
const DAMAGED_ROW_ADVICE = 'Delete that line (or everything from it on) and re-run the same `robust-nas ntk-sweep --out` command: it recomputes only the missing classes.';

export interface SweepContents {
  readonly header: SweepHeader;
  readonly rows: Map<number, SweepRow>;
  /** Bytes of complete lines (a partial last line starts here). */
  readonly completeBytes: number;
  readonly partialLastLine: boolean;
}

export function readSweepFile(path: string): SweepContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SweepFileError(`cannot read sweep file ${path}: ${(e as Error).message}`);
  }
  const lastNewline = text.lastIndexOf('\n');
  const complete = text.slice(0, lastNewline + 1);
  const lines = complete.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) throw new SweepFileError(`${path} has no header line; it is not an NTK sweep file (or it is empty)`);
  let header: SweepHeader;
  try {
    header = JSON.parse(lines[0]) as SweepHeader;
  } catch {
    throw new SweepFileError(`${path}: the first line is not JSON; not an NTK sweep file (choose a file written by \`robust-nas ntk-sweep --out FILE\` or the NTK Sweep command)`);
  }
  if (header?.type !== 'ntk-sweep' || header.version !== 1) throw new SweepFileError(`${path}: the first line is not an NTK sweep header (version 1); choose a file written by \`robust-nas ntk-sweep --out FILE\` or the NTK Sweep command`);
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
    throw new SweepFileError(`${where} is not JSON; the file is damaged (only the last line can be partial). ${DAMAGED_ROW_ADVICE}`);
  }
  if (row?.type !== 'result' || !Number.isInteger(row.index) || typeof row.result?.variants !== 'object' || row.result.variants === null) {
    throw new SweepFileError(`${where} is not an NTK result row (it needs "type": "result", an integer "index" and "result.variants"). ${DAMAGED_ROW_ADVICE}`);
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
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
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
    throw new SweepFileError(`cannot read sweep file ${path}: ${(e as Error).message}`);
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  const rows = bytes.subarray(0, end).toString('utf8').split('\n').filter((l) => l.length > 0)
    .map((line) => parseRowLine(line, `${path}: a line after byte ${fromByte}`));
  return { rows, completeBytes: fromByte + end };
}

/** Appends rows to a sweep file opened once; each row is one write followed by fsync. */
export class SweepWriter {
  private readonly fd: number;

  private constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  /**
   * Opens `path` for appending: creates it with `header` when missing, otherwise checks the header's config is
   * the same and drops a partial last line. Returns the rows already done.
   */
  static open(path: string, header: SweepHeader): { writer: SweepWriter; done: Map<number, SweepRow> } {
    if (!existsSync(path)) {
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(header) + '\n');
      renameSync(temp, path);
      return { writer: new SweepWriter(path), done: new Map() };
    }
    const contents = readSweepFile(path);
    if (JSON.stringify(contents.header.config) !== JSON.stringify(header.config) || JSON.stringify(contents.header.shard) !== JSON.stringify(header.shard)) {
      throw new SweepFileError(`${path} was written with different options or shard (${JSON.stringify(contents.header.config)}, shard ${JSON.stringify(contents.header.shard)}); use another --out file or the same options`);
    }
    if (contents.partialLastLine) truncateSync(path, contents.completeBytes);
    return { writer: new SweepWriter(path), done: contents.rows };
  }

  append(row: SweepRow): void {
    writeSync(this.fd, JSON.stringify(row, replaceNumbers) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
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
    if (JSON.stringify(p.header.config) !== config) throw new SweepFileError(`${p.path} was computed with different options than ${parts[0].path}; shards of one sweep must share them`);
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
  const body = [...rows.keys()].sort((a, b) => a - b).map((i) => JSON.stringify(rows.get(i), replaceNumbers) + '\n').join('');
  const text = JSON.stringify(header) + '\n' + body;
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  if (readFileSync(temp, 'utf8') !== text) throw new SweepFileError(`${temp} did not read back as written; disk full?`);
  renameSync(temp, out);
  return { classes: rows.size, duplicates };
}

/** The shard `i/n` (0-based i) of a list: every n-th element starting at i, so shards are balanced. */
export function shardOf<T>(items: readonly T[], index: number, count: number): T[] {
  return items.filter((_, k) => k % count === index);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new SweepFileError(`--shard must be i/n with 0 <= i < n (e.g. 0/8, as a Slurm array's $SLURM_ARRAY_TASK_ID/8), got '${text}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
