import { CELL_COUNT } from '../space/cell';
import { DATASET_IDS, type DatasetId } from '../space/cost';
import { BenchmarkDataError, type BenchmarkFileRole } from './errors';
import {
  ADVERSARIAL_METRIC_IDS,
  METRIC_INFO,
  SOURCE_DATASET_NAME,
  STANDARD_METRIC_IDS,
  type MetricId,
} from './metrics';
import { lookupTable } from '../lookupTable';

/**
 * Readers of the three files NAS-RobBench-201 publishes (format: /work/shared/data/nas-robbench-201/README.md, i.e.
 * the project-page repository TT2408/nasrobbench201hp, folder files/). Each file is a JavaScript assignment
 * (`acc=` / `arch=`) followed by JSON. Everything is validated: a defect anywhere is a {@link BenchmarkDataError}
 * naming the file, the key and the problem, never a silently wrong number later.
 */

/** One column of a results file: which dataset and metric it holds. */
export interface ResultColumn {
  readonly dataset: DatasetId;
  readonly metric: MetricId;
  /** The header name in the file, e.g. `cifar10#val_pgd_8_acc`. */
  readonly header: string;
}

/** A validated results file. */
export interface ResultsTable {
  readonly columns: readonly ResultColumn[];
  /** Evaluated indices, ascending. */
  readonly evaluatedIndices: Int32Array;
  /** Row-major values: row r (evaluatedIndices[r]) column c at r * columns.length + c. */
  readonly values: Float64Array;
  /** For every index 0..15624, the evaluated index the file says it stands for (itself when evaluated). */
  readonly representativeOf: Int32Array;
}

/** The header each results file must have, column by column, in the published order. */
export function expectedColumns(role: 'adversarial' | 'standard'): ResultColumn[] {
  const metrics: readonly MetricId[] = role === 'adversarial' ? ADVERSARIAL_METRIC_IDS : STANDARD_METRIC_IDS;
  const out: ResultColumn[] = [];
  for (const dataset of DATASET_IDS) {
    for (const metric of metrics) {
      // Jung et al. (2023) measured common corruptions only on CIFAR-10/100 (there is no ImageNet16-120-C).
      if (metric === 'std:corruption' && dataset === 'imagenet16-120') continue;
      out.push({
        dataset,
        metric,
        header: `${SOURCE_DATASET_NAME[role][dataset]}#${METRIC_INFO[metric].sourceColumn}`,
      });
    }
  }
  return out;
}

const ASSIGNED_NAME: Readonly<Record<BenchmarkFileRole, string>> = lookupTable({
  adversarial: 'acc',
  standard: 'acc',
  ops: 'arch',
});

/** Strips `name=` and parses the JSON after it. */
function parseAssignment(text: string, role: BenchmarkFileRole, file: string): unknown {
  const eq = text.indexOf('=');
  const name = ASSIGNED_NAME[role];
  if (eq < 0 || text.slice(0, eq).trim() !== name) {
    throw new BenchmarkDataError(
      'syntax',
      file,
      undefined,
      `does not start with '${name}=' followed by JSON (got ${JSON.stringify(text.slice(0, 20))})`,
    );
  }
  const body = text
    .slice(eq + 1)
    .trimEnd()
    .replace(/;$/, '');
  try {
    return JSON.parse(body);
  } catch (e) {
    const truncated = /end of (JSON )?input|Unterminated/i.test(String(e));
    throw new BenchmarkDataError(
      'syntax',
      file,
      undefined,
      `is not valid JSON after '${name}=' (${(e as Error).message})${truncated ? '; the file looks truncated' : ''}`,
    );
  }
}

function isIndexKey(key: string): boolean {
  return /^(0|[1-9]\d{0,4})$/.test(key) && Number(key) < CELL_COUNT;
}

/** Reads `NAS-RobBench-201_html.json` (role `adversarial`) or `acc.json` (role `standard`). */
export function parseResultsFile(text: string, role: 'adversarial' | 'standard', file: string): ResultsTable {
  const data = parseAssignment(text, role, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new BenchmarkDataError(
      'shape',
      file,
      undefined,
      `holds ${Array.isArray(data) ? 'an array' : typeof data}, expected an object keyed by NAS-Bench-201 index`,
    );
  }
  const obj = data as Record<string, unknown>;

  const columns = expectedColumns(role);
  const header = obj[''];
  if (!Array.isArray(header)) {
    throw new BenchmarkDataError('header', file, '', 'has no header row (an array of column names under the key "")');
  }
  const want = columns.map((c) => c.header);
  if (header.length !== want.length || header.some((h, i) => h !== want[i])) {
    const i = header.length === want.length ? header.findIndex((h, j) => h !== want[j]) : -1;
    const detail =
      i >= 0
        ? `column ${i + 1} is ${JSON.stringify(header[i])}, expected ${JSON.stringify(want[i])}`
        : `has ${header.length} columns, expected ${want.length}`;
    throw new BenchmarkDataError('header', file, '', `header ${detail} (expected exactly ${want.join(', ')})`);
  }

  // All of "0".."15624" present and nothing else: the index loop below finds a missing key; the count, an extra one.
  const keys = Object.keys(obj);
  if (keys.length > CELL_COUNT + 1) {
    const extra = keys.find((k) => k !== '' && !isIndexKey(k)) ?? '';
    throw new BenchmarkDataError('keys', file, extra, `is not a NAS-Bench-201 index 0..${CELL_COUNT - 1}`);
  }

  const width = columns.length;
  const evaluated: number[] = [];
  const rowValues = new Float64Array(CELL_COUNT * width);
  let filled = 0;
  const pointers = new Int32Array(CELL_COUNT).fill(-1);
  for (let index = 0; index < CELL_COUNT; index++) {
    const key = String(index);
    const v = obj[key];
    if (v === undefined) {
      throw new BenchmarkDataError(
        'keys',
        file,
        key,
        `is missing: the file has ${keys.length - 1} index keys, expected all ${CELL_COUNT}`,
      );
    }
    if (Array.isArray(v)) {
      if (v.length !== width)
        throw new BenchmarkDataError(
          'shape',
          file,
          key,
          `has ${v.length} values, expected ${width} (one per header column)`,
        );
      for (let c = 0; c < width; c++) {
        const x = v[c];
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          throw new BenchmarkDataError(
            'shape',
            file,
            key,
            `value ${c + 1} (${want[c]}) is ${JSON.stringify(x)}, expected a number`,
          );
        }
        if (x < 0 || x > 1)
          throw new BenchmarkDataError(
            'range',
            file,
            key,
            `value ${c + 1} (${want[c]}) is ${x}, outside [0, 1] (accuracies are fractions)`,
          );
        rowValues[filled++] = x;
      }
      evaluated.push(index);
      pointers[index] = index;
    } else {
      // The adversarial file writes the representative's index as a string, acc.json as a number.
      const ref =
        role === 'adversarial'
          ? typeof v === 'string' && isIndexKey(v)
            ? Number(v)
            : NaN
          : typeof v === 'number' && Number.isInteger(v)
            ? v
            : NaN;
      if (!(ref >= 0 && ref < CELL_COUNT)) {
        throw new BenchmarkDataError(
          'shape',
          file,
          key,
          `holds ${JSON.stringify(v)}, expected ${width} accuracies or ${role === 'adversarial' ? 'a string' : 'a number'} naming the evaluated index it is isomorphic to`,
        );
      }
      pointers[index] = ref;
    }
  }
  for (let index = 0; index < CELL_COUNT; index++) {
    const ref = pointers[index];
    if (pointers[ref] !== ref) {
      throw new BenchmarkDataError(
        'reference',
        file,
        String(index),
        `points to index ${ref}, which holds no results (references must name an evaluated index)`,
      );
    }
  }
  return {
    columns,
    evaluatedIndices: Int32Array.from(evaluated),
    values: rowValues.slice(0, filled),
    representativeOf: pointers,
  };
}

/** Reads `ops.json`: for every index 0..15624, the cell's code number (the six-digit op code read in base 5). */
export function parseOpsFile(text: string, file: string): Int32Array {
  const data = parseAssignment(text, 'ops', file);
  if (!Array.isArray(data))
    throw new BenchmarkDataError(
      'shape',
      file,
      undefined,
      `holds ${data === null ? 'null' : typeof data}, expected an array of ${CELL_COUNT} op codes`,
    );
  if (data.length !== CELL_COUNT)
    throw new BenchmarkDataError(
      'keys',
      file,
      undefined,
      `has ${data.length} op codes, expected ${CELL_COUNT} (one per NAS-Bench-201 index)`,
    );
  const codeNumbers = new Int32Array(CELL_COUNT);
  const seenAt = new Int32Array(CELL_COUNT).fill(-1);
  for (let index = 0; index < CELL_COUNT; index++) {
    const code = data[index];
    if (typeof code !== 'string' || !/^[0-4]{6}$/.test(code)) {
      throw new BenchmarkDataError(
        'op-code',
        file,
        String(index),
        `holds ${JSON.stringify(code)}, expected a six-digit op code of digits 0-4 (0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg pool)`,
      );
    }
    let n = 0;
    for (let k = 0; k < 6; k++) n = n * 5 + (code.charCodeAt(k) - 48);
    if (seenAt[n] >= 0)
      throw new BenchmarkDataError(
        'op-code',
        file,
        String(index),
        `repeats op code ${code} of index ${seenAt[n]}; every cell must appear exactly once`,
      );
    seenAt[n] = index;
    codeNumbers[index] = n;
  }
  return codeNumbers;
}
