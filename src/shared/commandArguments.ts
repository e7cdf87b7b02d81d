import { isAccuracyMetricId, isMetricId, type AccuracyMetricId, type MetricId } from '../core/benchmark/metrics';
import { hasOwnKey } from '../core/lookupTable';
import type { NtkConfig } from '../core/ntk/jobOptions';
import { KERNEL_KINDS } from '../core/ntk/kernel';
import { NETWORK_SIZES } from '../core/ntk/network';
import { NTK_VARIANTS, type NtkVariant } from '../core/ntk/scores';
import type { SweepScope } from '../core/ntk/sweepScope';
import { DATASET_IDS, type DatasetId } from '../core/space/cost';

/**
 * Arguments of commands, checked before use. Commands are reached from hover and CodeLens links, the walkthrough,
 * webviews and other extensions, so their arguments are untrusted input: each one is checked for its type and
 * range here and rejected with a sentence naming what is wrong (never coerced into something else, never used
 * half-checked). Which arguments may stand in for a prompt is the commands' own rule (docs/workspace-trust.md):
 * arguments preselect answers; they never answer a question about files or long work.
 */
export class CommandArgumentError extends Error {}

function fail(what: string, expected: string, got: unknown): never {
  const shown =
    typeof got === 'string'
      ? `'${got.length > 60 ? got.slice(0, 60) + '…' : got}'`
      : typeof got === 'object'
        ? got === null
          ? 'null'
          : Array.isArray(got)
            ? 'a list'
            : 'an object'
        : String(got);
  throw new CommandArgumentError(`${what} must be ${expected}, got ${shown}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own field of an argument object (never one inherited through its prototype). */
function field(record: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

export function integerArgument(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    fail(what, `a whole number from ${min} to ${max}`, value);
  return value;
}

function numberArgument(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    fail(what, `a number from ${min} to ${max}`, value);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail(what, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

export function datasetArgument(value: unknown, what = 'the dataset'): DatasetId {
  return oneOf(value, DATASET_IDS, what);
}

export function metricArgument(value: unknown, what = 'the metric'): MetricId {
  if (typeof value !== 'string' || !isMetricId(value))
    fail(what, 'a metric id such as clean, pgd@8, autoattack or params', value);
  return value;
}

/** An accuracy metric, for what only an accuracy can be (the `robustNas.metric` setting): not `params` or `flops`. */
export function accuracyMetricArgument(value: unknown, what = 'the metric'): AccuracyMetricId {
  if (typeof value !== 'string' || !isAccuracyMetricId(value))
    fail(what, 'an accuracy metric id such as clean, pgd@8 or autoattack', value);
  return value;
}

/** `undefined` when absent, else the checked value. */
export function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/**
 * An NTK configuration passed as an argument (the hover card's "Compute NTK scores" link passes the one it looked
 * stored results up with): every field checked as the settings are, and its `inputs` may only be the configured
 * `robustNas.ntk.inputs` or synthetic inputs, so no argument can name a folder to read.
 */
export function ntkConfigArgument(value: unknown, configuredInputs: string): NtkConfig {
  if (!isRecord(value)) fail('the NTK configuration', 'an object', value);
  const f = (name: string) => field(value, name);
  const size = f('size');
  if (typeof size !== 'string' || !hasOwnKey(NETWORK_SIZES, size))
    fail('the NTK network size', `one of ${Object.keys(NETWORK_SIZES).join(', ')}`, size);
  const variants = f('variants');
  if (!Array.isArray(variants) || variants.length === 0 || variants.length > NTK_VARIANTS.length)
    fail('the NTK kernels', `a list of ${NTK_VARIANTS.join(', ')}`, variants);
  const inputs = f('inputs');
  if (typeof inputs !== 'string' || !(inputs === configuredInputs || /^synthetic(:[a-z0-9-]+)?$/.test(inputs))) {
    fail(
      'the NTK inputs of a command argument',
      `synthetic or the configured robustNas.ntk.inputs ('${configuredInputs}'); other folders are chosen in the settings`,
      inputs,
    );
  }
  return {
    size,
    channels: optional(f('channels'), (v) => integerArgument(v, 1, 256, 'the NTK channels')),
    cellsPerStage: optional(f('cellsPerStage'), (v) => integerArgument(v, 1, 32, 'the NTK cells per stage')),
    kernel: oneOf(f('kernel'), KERNEL_KINDS, 'the NTK kernel'),
    variants: [...new Set(variants.map((v, i) => oneOf<NtkVariant>(v, NTK_VARIANTS, `NTK kernel ${i + 1}`)))],
    attack: oneOf(f('attack'), ['pgd', 'fgsm'] as const, 'the NTK attack'),
    eps: numberArgument(f('eps'), 0, 255, 'the NTK attack radius (1/255 units)'),
    steps: optional(f('steps'), (v) => integerArgument(v, 1, 1000, 'the PGD steps')),
    stepSize: optional(f('stepSize'), (v) => numberArgument(v, 0, 255, 'the PGD step size')),
    randomStart: optional(f('randomStart'), (v) =>
      typeof v === 'boolean' ? v : fail('randomStart', 'true or false', v),
    ),
    tradeOff: optional(f('tradeOff'), (v) => numberArgument(v, 0, 1, "the joint kernels' trade-off")),
    inputs,
    n: integerArgument(f('n'), 1, 1024, 'the number of NTK inputs'),
    seed: integerArgument(f('seed'), 0, 2 ** 32 - 1, 'the NTK seed'),
    baselines: optional(f('baselines'), (v) => (typeof v === 'boolean' ? v : fail('baselines', 'true or false', v))),
    dataset: optional(f('dataset'), (v) => datasetArgument(v, 'the NTK dataset')),
  };
}

/** The classes of an NTK sweep, passed as an argument: all, a sample of k, or the top k by a metric. */
export function sweepScopeArgument(value: unknown, classes: number): SweepScope {
  if (!isRecord(value)) fail('the sweep scope', "an object such as { kind: 'sample', k: 100 }", value);
  const kind = oneOf(field(value, 'kind'), ['all', 'sample', 'top'] as const, 'the sweep scope kind');
  if (kind === 'all') return { kind };
  const k = integerArgument(field(value, 'k'), 1, classes, 'the sweep size k');
  if (kind === 'sample') return { kind, k };
  return { kind, k, dataset: datasetArgument(field(value, 'dataset')), metric: metricArgument(field(value, 'metric')) };
}

/** An absolute file path (a string or a `file:` URI's path), without NUL bytes. */
export function absolutePathArgument(value: unknown, what: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 4096 ||
    value.includes('\0') ||
    !(/^\//.test(value) || /^[A-Za-z]:[\\/]/.test(value))
  ) {
    fail(what, 'an absolute file path', value);
  }
  return value;
}
