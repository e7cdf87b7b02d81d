import { DATASET_IDS, type DatasetId } from '../core/space/cost';
import { isMetricId, METRIC_IDS, type MetricId } from '../core/benchmark/metrics';

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

export interface RobustNasSettings {
  /** Dataset whose results are emphasised in hovers and shown in inlay hints. */
  dataset: DatasetId;
  /** Metric shown in inlay hints and used to rank completions and Top Architectures. */
  metric: MetricId;
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
}

export const DEFAULT_SETTINGS: RobustNasSettings = {
  dataset: 'cifar10',
  metric: 'pgd@8',
  inlayHints: { enabled: true },
  diagnostics: { isomorphismSeverity: 'information' },
  codeLens: { enabled: false },
  dataPath: '',
  languages: ['python', 'jupyter', 'yaml', 'json', 'jsonc', 'markdown', 'plaintext', 'toml', 'shellscript', 'log', 'csv'],
  filePatterns: ['**/*.log', '**/*.ipynb'],
  trace: { server: 'off' },
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

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Raw `robustNas` configuration section -> typed settings, each bad or missing value replaced by its default. */
export function coerceSettings(raw: unknown): RobustNasSettings {
  const r = record(raw);
  const d = DEFAULT_SETTINGS;
  return {
    dataset: pick(r.dataset, DATASET_IDS, d.dataset),
    metric: typeof r.metric === 'string' && isMetricId(r.metric) ? r.metric : d.metric,
    inlayHints: { enabled: bool(record(r.inlayHints).enabled, d.inlayHints.enabled) },
    diagnostics: {
      isomorphismSeverity: pick(record(r.diagnostics).isomorphismSeverity, ISOMORPHISM_SEVERITIES, d.diagnostics.isomorphismSeverity),
    },
    codeLens: { enabled: bool(record(r.codeLens).enabled, d.codeLens.enabled) },
    dataPath: typeof r.dataPath === 'string' ? r.dataPath : d.dataPath,
    languages: strings(r.languages, d.languages),
    filePatterns: strings(r.filePatterns, d.filePatterns),
    trace: { server: pick(record(r.trace).server, TRACE_LEVELS, d.trace.server) },
  };
}

/**
 * The allowed values of every enumerated setting, by key below `robustNas.`; package.json's `enum` lists must equal
 * these (test/server/settingsContract.test.ts).
 */
export const SETTING_ENUMS: Readonly<Record<string, readonly string[]>> = {
  dataset: DATASET_IDS,
  metric: METRIC_IDS,
  'diagnostics.isomorphismSeverity': ISOMORPHISM_SEVERITIES,
  'trace.server': TRACE_LEVELS,
};
