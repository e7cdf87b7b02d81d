import { DATASET_IDS, type DatasetId } from '../core/space/cost';
import { ACCURACY_METRIC_IDS, isAccuracyMetricId, type AccuracyMetricId } from '../core/benchmark/metrics';
import { KERNEL_KINDS, type KernelKind } from '../core/ntk/kernel';
import { NETWORK_SIZES, type NetworkSizeName } from '../core/ntk/network';
import { DEFAULT_NTK_CONFIG, type NtkConfig } from '../core/ntk/jobOptions';
import { NTK_VARIANTS, type NtkVariant } from '../core/ntk/scores';
import { lookupTable } from '../core/lookupTable';

/**
 * Robust NAS settings (`robustNas.*`), as the server and the extension use them. Raw values from the client are
 * coerced to these types with defaults instead of throwing (the vscode-eslint way): a typo in settings.json must not
 * take the language server down. Adding a setting: add it here, in DEFAULT_SETTINGS, in coerceSettings, and in
 * package.json `contributes.configuration` (a test keeps the two in sync).
 */
export const ISOMORPHISM_SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type IsomorphismSeverity = (typeof ISOMORPHISM_SEVERITIES)[number];
export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];
export const NTK_SIZE_NAMES = Object.keys(NETWORK_SIZES) as NetworkSizeName[];
export const NTK_ATTACKS = ['pgd', 'fgsm'] as const;

/**
 * The NTK configuration of Compute NTK Scores, NTK Sweep and the hover card (which shows stored results of exactly
 * this configuration). Defaults are `robust-nas ntk`'s; `channels` / `cellsPerStage` 0 keep the size's own.
 */
export interface NtkSettings {
  size: NetworkSizeName;
  channels: number;
  cellsPerStage: number;
  kernel: KernelKind;
  variants: NtkVariant[];
  attack: (typeof NTK_ATTACKS)[number];
  /** L-infinity radius in 1/255 pixel units. */
  eps: number;
  /** `synthetic` or `<dataset>:<folder>`; synthetic inputs take the shape of `robustNas.dataset`. */
  inputs: string;
  n: number;
  seed: number;
}

export interface RobustNasSettings {
  /** Dataset whose results are emphasised in hovers and shown in inlay hints. */
  dataset: DatasetId;
  /** Metric shown in inlay hints and used to rank completions and Top Architectures. */
  metric: AccuracyMetricId;
  inlayHints: { enabled: boolean };
  diagnostics: { isomorphismSeverity: IsomorphismSeverity };
  codeLens: { enabled: boolean };
  /** Directory holding the three NAS-RobBench-201 files; empty = the default search order. */
  dataPath: string;
  /** Language ids the language server serves. */
  languages: string[];
  /** Extra glob patterns of files served whatever their language (e.g. `**∕*.log`). */
  filePatterns: string[];
  trace: { server: TraceLevel };
  ntk: NtkSettings;
}

export const DEFAULT_SETTINGS: RobustNasSettings = {
  dataset: 'cifar10',
  metric: 'pgd@8',
  inlayHints: { enabled: true },
  diagnostics: { isomorphismSeverity: 'information' },
  codeLens: { enabled: false },
  dataPath: '',
  languages: [
    'python',
    'jupyter',
    'yaml',
    'json',
    'jsonc',
    'markdown',
    'plaintext',
    'toml',
    'shellscript',
    'log',
    'csv',
  ],
  filePatterns: ['**/*.log', '**/*.ipynb'],
  trace: { server: 'off' },
  ntk: {
    size: DEFAULT_NTK_CONFIG.size,
    channels: 0,
    cellsPerStage: 0,
    kernel: DEFAULT_NTK_CONFIG.kernel,
    variants: [...DEFAULT_NTK_CONFIG.variants],
    attack: DEFAULT_NTK_CONFIG.attack,
    eps: DEFAULT_NTK_CONFIG.eps,
    inputs: DEFAULT_NTK_CONFIG.inputs,
    n: DEFAULT_NTK_CONFIG.n,
    seed: DEFAULT_NTK_CONFIG.seed,
  },
};

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function strings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : [...fallback];
}

/** An integer in [min, max], else the fallback. */
function integer(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

function numberIn(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

function coerceNtk(raw: unknown): NtkSettings {
  const r = record(raw);
  const d = DEFAULT_SETTINGS.ntk;
  const variants = strings(r.variants, d.variants).filter((v): v is NtkVariant =>
    (NTK_VARIANTS as readonly string[]).includes(v),
  );
  return {
    size: pick(r.size, NTK_SIZE_NAMES, d.size),
    channels: integer(r.channels, 0, 256, d.channels),
    cellsPerStage: integer(r.cellsPerStage, 0, 32, d.cellsPerStage),
    kernel: pick(r.kernel, KERNEL_KINDS, d.kernel),
    variants: variants.length ? [...new Set(variants)] : [...d.variants],
    attack: pick(r.attack, NTK_ATTACKS, d.attack),
    eps: numberIn(r.eps, 0, 255, d.eps),
    inputs: typeof r.inputs === 'string' && r.inputs.trim() ? r.inputs.trim() : d.inputs,
    n: integer(r.n, 1, 1024, d.n),
    seed: integer(r.seed, 0, 2 ** 32 - 1, d.seed),
  };
}

/** The core's NTK configuration for these settings (synthetic inputs shaped like the configured dataset). */
export function ntkConfigOf(settings: Pick<RobustNasSettings, 'ntk' | 'dataset'>): NtkConfig {
  const n = settings.ntk;
  return {
    size: n.size,
    channels: n.channels || undefined,
    cellsPerStage: n.cellsPerStage || undefined,
    kernel: n.kernel,
    variants: n.variants,
    attack: n.attack,
    eps: n.eps,
    inputs: n.inputs,
    n: n.n,
    seed: n.seed,
    dataset: settings.dataset,
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Raw `robustNas` configuration section -> typed settings, each bad or missing value replaced by its default. */
export function coerceSettings(raw: unknown): RobustNasSettings {
  const r = record(raw);
  const d = DEFAULT_SETTINGS;
  return {
    dataset: pick(r.dataset, DATASET_IDS, d.dataset),
    metric: typeof r.metric === 'string' && isAccuracyMetricId(r.metric) ? r.metric : d.metric,
    inlayHints: { enabled: bool(record(r.inlayHints).enabled, d.inlayHints.enabled) },
    diagnostics: {
      isomorphismSeverity: pick(
        record(r.diagnostics).isomorphismSeverity,
        ISOMORPHISM_SEVERITIES,
        d.diagnostics.isomorphismSeverity,
      ),
    },
    codeLens: { enabled: bool(record(r.codeLens).enabled, d.codeLens.enabled) },
    dataPath: typeof r.dataPath === 'string' ? r.dataPath : d.dataPath,
    languages: strings(r.languages, d.languages),
    filePatterns: strings(r.filePatterns, d.filePatterns),
    trace: { server: pick(record(r.trace).server, TRACE_LEVELS, d.trace.server) },
    ntk: coerceNtk(r.ntk),
  };
}

/**
 * The allowed values of every enumerated setting, by key below `robustNas.`; package.json's `enum` lists must equal
 * these (test/server/settingsContract.test.ts).
 */
export const SETTING_ENUMS: Readonly<Record<string, readonly string[]>> = lookupTable({
  dataset: DATASET_IDS,
  metric: ACCURACY_METRIC_IDS,
  'diagnostics.isomorphismSeverity': ISOMORPHISM_SEVERITIES,
  'trace.server': TRACE_LEVELS,
  'ntk.size': NTK_SIZE_NAMES,
  'ntk.kernel': KERNEL_KINDS,
  'ntk.attack': NTK_ATTACKS,
});

/** Allowed items of array settings whose items are enumerated (package.json `items.enum`). */
export const SETTING_ITEM_ENUMS: Readonly<Record<string, readonly string[]>> = lookupTable({
  'ntk.variants': NTK_VARIANTS,
});

/**
 * Settings that name folders the extension and the server read (the benchmark data, the NTK inputs). A repository's
 * `.vscode/settings.json` must not point them anywhere while its folder is untrusted: package.json lists them as
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, so VS Code ignores their workspace values in
 * Restricted Mode, and the extension and server apply the same rule themselves (docs/workspace-trust.md).
 * Keys below `robustNas.`; a test keeps package.json in step.
 */
export const RESTRICTED_SETTING_KEYS = ['dataPath', 'ntk.inputs'] as const;
export type RestrictedSettingKey = (typeof RESTRICTED_SETTING_KEYS)[number];

/** The values of the restricted settings, as the user (not the workspace) set them. */
export interface RestrictedSettingValues {
  readonly dataPath: string;
  readonly ntkInputs: string;
}

export function restrictedValuesOf(settings: Pick<RobustNasSettings, 'dataPath' | 'ntk'>): RestrictedSettingValues {
  return { dataPath: settings.dataPath, ntkInputs: settings.ntk.inputs };
}

/** `settings` with the restricted settings replaced by `values` (the untrusted workspace's own values dropped). */
export function withRestrictedValues(settings: RobustNasSettings, values: RestrictedSettingValues): RobustNasSettings {
  const coerced = coerceSettings({ dataPath: values.dataPath, ntk: { inputs: values.ntkInputs } });
  return { ...settings, dataPath: coerced.dataPath, ntk: { ...settings.ntk, inputs: coerced.ntk.inputs } };
}
