import { BenchmarkDataError } from './errors';

/**
 * Why the benchmark could not be loaded, as a user needs to be told: the files are not there (and nothing tried to
 * fetch them), they are not there and the download failed (offline, blocked, HTTP error), or a copy was found but is
 * damaged (truncated, edited, another version). Each calls for different actions, so the UI tells them apart.
 */
export type DataProblemKind = 'missing' | 'download-failed' | 'damaged' | 'cancelled';

export interface DataProblem {
  readonly kind: DataProblemKind;
  /** One line for a status bar, a notification or a view: what is wrong, without the remedy. */
  readonly summary: string;
  /** The loader's whole message (file, key, problem, remedy), for the log and a tooltip. */
  readonly detail: string;
}

/**
 * Longest problem text kept in a summary, so that the whole line fits a notification in two lines; the rest stays
 * in `detail` (the log).
 */
const SUMMARY_PROBLEM_CHARS = 60;

function clip(text: string): string {
  return text.length <= SUMMARY_PROBLEM_CHARS ? text : `${text.slice(0, SUMMARY_PROBLEM_CHARS - 1)}…`;
}

function baseName(path: string): string {
  return path.replace(/[?#].*$/, '').replace(/^.*[\\/]/, '');
}

/** The folder part of a file path ('' for a bare name or a URL). */
function folderOf(path: string): string {
  if (/^[a-z]+:\/\//i.test(path)) return '';
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at > 0 ? path.slice(0, at) : '';
}

/** Classifies any error thrown by `loadBenchmark` (others count as damaged data: something was read and rejected). */
export function describeDataProblem(error: unknown): DataProblem {
  const detail = error instanceof Error ? error.message : String(error);
  if (!(error instanceof BenchmarkDataError)) {
    return { kind: 'damaged', summary: `Benchmark data unusable: ${clip(detail)}`, detail };
  }
  const e = error;
  const file = e.file ? baseName(e.file) : 'the data';
  switch (e.kind) {
    case 'missing': {
      // A folder the user named: say which, so a wrong setting is seen at once.
      const folder = e.file ? folderOf(e.file) : '';
      return {
        kind: 'missing',
        summary: `Benchmark data not found (${file} is missing${folder ? ` in ${folder}` : ''})`,
        detail,
      };
    }
    case 'download':
      return {
        kind: 'download-failed',
        summary: `No benchmark data: the download failed (${clip(e.problem.split(';')[0].replace(/^the server answered /, ''))})`,
        detail,
      };
    case 'cancelled':
      return { kind: 'cancelled', summary: 'Loading the benchmark data was cancelled', detail };
    default: {
      // The whole path: it is the file to replace.
      const where = e.file && folderOf(e.file) ? e.file : file;
      return { kind: 'damaged', summary: `Benchmark data damaged: ${where} ${clip(e.problem)}`, detail };
    }
  }
}
