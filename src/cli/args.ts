import type { ArchRecord, BenchmarkApi, CellConstraint } from '../core/benchmark/api';
import { METRIC_IDS, isMetricId, type MetricId } from '../core/benchmark/metrics';
import { parseConstraints } from '../core/benchmark/parseConstraints';
import { DATASET_IDS, type DatasetId } from '../core/space/cost';
import { editDistance } from '../core/space/suggest';
import type { OptionValues } from './command';
import { CliError } from './errors';
import { caretLines } from './format/caret';
import { lookupTable } from '../core/lookupTable';

/** Names people use for the datasets, to the ids of cost.ts. */
const DATASET_ALIASES: Readonly<Record<string, DatasetId>> = lookupTable({
  cifar10: 'cifar10',
  'cifar-10': 'cifar10',
  c10: 'cifar10',
  cifar100: 'cifar100',
  'cifar-100': 'cifar100',
  c100: 'cifar100',
  'imagenet16-120': 'imagenet16-120',
  imagenet16: 'imagenet16-120',
  imagenet: 'imagenet16-120',
  in16: 'imagenet16-120',
});

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let d = Infinity;
  for (const c of candidates) {
    const e = editDistance(word.toLowerCase(), c.toLowerCase());
    if (e < d) [best, d] = [c, e];
  }
  return d <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function unknown(what: string, value: string, valid: readonly string[]): CliError {
  const guess = closest(value, valid);
  return new CliError(
    `Unknown ${what} '${value}'${guess ? `: did you mean '${guess}'?` : '.'} Valid: ${valid.join(', ')}.`,
  );
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredOption(values: OptionValues, name: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new CliError(`Missing --${name}.`);
  return v;
}

export function parseDataset(text: string): DatasetId {
  const d = DATASET_ALIASES[text.toLowerCase()];
  if (!d) throw unknown('dataset', text, DATASET_IDS);
  return d;
}

export function parseMetric(text: string): MetricId {
  if (!isMetricId(text)) throw unknown('metric', text, METRIC_IDS);
  return text;
}

export function datasetOption(values: OptionValues, fallback?: DatasetId): DatasetId {
  const v = stringOption(values, 'dataset');
  if (v === undefined) {
    if (fallback) return fallback;
    throw new CliError(`Missing --dataset (one of ${DATASET_IDS.join(', ')}).`);
  }
  return parseDataset(v);
}

/** A whole number option within [min, max]. */
export function intOption(
  values: OptionValues,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) {
    throw new CliError(
      `--${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` >= ${min}`}, got '${v}'.`,
    );
  }
  return Number(v);
}

/** Resolves a positional architecture (any encoding); a bad one is echoed with carets under each problem. */
export function resolveArch(
  bench: BenchmarkApi,
  input: string | undefined,
  what = 'an architecture (string, 6-digit code, index 0..15624 or NASLib tuple)',
): ArchRecord {
  if (input === undefined) throw new CliError(`Missing argument: ${what}.`);
  const r = bench.resolve(input);
  if (r.ok) return r.arch;
  // parseCellEncoding reports offsets in the trimmed text; echo that text so the carets line up.
  const shown = input.trim();
  return failArch(shown, r.errors);
}

function failArch(shown: string, errors: readonly { offset: number; length: number; message: string }[]): never {
  throw new CliError('Cannot read the architecture:', caretLines(shown, errors));
}

/** `--where 'edge 2->3 = skip, no avg_pool'`; errors echoed with carets. */
export function whereOption(values: OptionValues): CellConstraint[] {
  const text = stringOption(values, 'where');
  if (text === undefined) return [];
  const r = parseConstraints(text);
  if (r.ok) return r.constraints;
  throw new CliError('Cannot read --where:', caretLines(text, r.errors));
}
