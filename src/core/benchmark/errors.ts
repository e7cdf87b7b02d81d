/**
 * Typed failures of loading the benchmark. Every message names the file, the key (when there is one) and the
 * problem, and ends with what the user can do, so the CLI, the status bar and the language server can show it as is.
 */

/** Which of the three published files. */
export type BenchmarkFileRole = 'adversarial' | 'standard' | 'ops';

export type BenchmarkDataErrorKind =
  /** Not `acc=`/`arch=` followed by JSON, or JSON that does not parse (often a truncated download). */
  | 'syntax'
  /** The header row `""` is missing or its columns are not the expected ones. */
  | 'header'
  /** An index key is missing, extra, or the object/array has the wrong size. */
  | 'keys'
  /** A value of the wrong type or length. */
  | 'shape'
  /** An accuracy outside [0, 1] or not finite. */
  | 'range'
  /** A non-evaluated index points at something other than an evaluated index. */
  | 'reference'
  /** The data's representative disagrees with the one computed from the cell structure. */
  | 'isomorphism'
  /** ops.json holds something other than a six-digit code of digits 0-4. */
  | 'op-code'
  /** The file's sha256 is not the published one. */
  | 'checksum'
  /** The file is not where it was looked for. */
  | 'missing'
  /** The path names a FIFO, a device, a directory or a socket (e.g. a symlink to /dev/zero), not a regular file. */
  | 'not-a-file'
  /** Downloading failed (network, HTTP status, timeout). */
  | 'download'
  /** The caller cancelled loading. */
  | 'cancelled';

/** What to tell the user when the files are not there (not found, or the download failed). */
export const HOW_TO_SUPPLY_DATA =
  'Point Robust NAS at a folder holding NAS-RobBench-201_html.json, acc.json and ops.json (the setting ' +
  '`robustNas.dataPath`, the CLI option `--data DIR`, or the environment variable ROBUST_NAS_DATA), or load again ' +
  'when online to download them.';

/** What to tell the user when a copy was found but is not the published file (truncated, edited, another version). */
export const HOW_TO_REPLACE_DAMAGED_DATA =
  'Replace it with the published file (its size and sha256 are in data/sources.json), or point Robust NAS at a ' +
  'good copy (the setting `robustNas.dataPath`, the CLI option `--data DIR`, or ROBUST_NAS_DATA). A damaged copy in ' +
  'the download cache is replaced by a verified download on the next load.';

/** The remedy each kind of failure calls for. */
function defaultRemedy(kind: BenchmarkDataErrorKind): string {
  if (kind === 'missing' || kind === 'download') return HOW_TO_SUPPLY_DATA;
  if (kind === 'cancelled') return 'Start loading again to retry.';
  return HOW_TO_REPLACE_DAMAGED_DATA;
}

export class BenchmarkDataError extends Error {
  override readonly name = 'BenchmarkDataError';
  constructor(
    readonly kind: BenchmarkDataErrorKind,
    /** Path or URL of the file at fault; undefined when the failure is not about one file. */
    readonly file: string | undefined,
    /** The JSON key (NAS-Bench-201 index, or `""` for the header) at fault, when there is one. */
    readonly key: string | undefined,
    /** The problem alone, without the remedy, e.g. `has 17 values, expected 18`. */
    readonly problem: string,
    /** What to do; defaults to the remedy of `kind` ({@link HOW_TO_SUPPLY_DATA} or {@link HOW_TO_REPLACE_DAMAGED_DATA}). */
    readonly remedy: string = defaultRemedy(kind),
  ) {
    const where = file === undefined ? '' : key === undefined ? `${file}: ` : `${file}, key ${JSON.stringify(key)}: `;
    super(`${where}${problem}. ${remedy}`);
  }
}
