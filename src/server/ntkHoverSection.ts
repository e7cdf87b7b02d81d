import { basename } from 'node:path';
import { ntkJobOptions, type NtkConfig } from '../core/ntk/jobOptions';
import type { NtkJobOptions } from '../core/ntk/pool';
import type { FoundNtkResult } from '../core/ntk/resultLookup';
import type { NtkResult, NtkVariant } from '../core/ntk/scores';
import type { SweepRow } from '../core/ntk/sweepFile';
import type { Cell } from '../core/space/cell';
import { DATASET_IDS, DATASET_SHAPE } from '../core/space/cost';
import { formatKernelNumber } from '../shared/ntkFormat';
import { ntkConfigOf, type RobustNasSettings } from '../shared/settings';
import { markdownCode, markdownText } from './markdown';

/** What the hover needs to show stored NTK results; the server never computes any. */
export interface NtkHoverStore {
  /** `onSkipped` hears why a stored row of this class was not used (damaged, planted, another configuration). */
  find(
    cell: Cell,
    representativeIndex: number | undefined,
    options: NtkJobOptions,
    onSkipped?: (why: string) => void,
  ): FoundNtkResult | undefined;
  /** Rows of the known sweep files computed with `options`, by benchmark index. */
  sweepRows(options: NtkJobOptions): ReadonlyMap<number, SweepRow>;
}

/** Where the server writes what it skipped (the "Robust NAS Language Server" output channel). */
export type HoverLog = (message: string) => void;

/** The stored NTK result of a class for the configured settings, as the card and the details report need it. */
export interface NtkLookup {
  /** The configured NTK settings; undefined with the reason when they cannot be used (e.g. a bad inputs setting). */
  readonly config: NtkConfig | undefined;
  readonly options: NtkJobOptions | undefined;
  readonly unusable?: string;
  readonly found: FoundNtkResult | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A dataset id the space knows, by own property (a file's `"constructor"` must not find Object's). */
export function isKnownDataset(d: unknown): d is keyof typeof DATASET_SHAPE {
  return typeof d === 'string' && (DATASET_IDS as readonly string[]).includes(d);
}

/**
 * Why a stored result (a sweep row or a cache entry: files anyone can write) cannot be shown, or undefined when
 * every field the card reads has the type it needs.
 */
export function storedResultProblem(r: unknown): string | undefined {
  if (!isObject(r)) return 'is not an object';
  if (!isKnownDataset(r.dataset))
    return `has dataset ${JSON.stringify(r.dataset) ?? 'undefined'}, not one of ${DATASET_IDS.join(', ')}`;
  if (!isObject(r.size) || typeof r.size.channels !== 'number' || typeof r.size.cellsPerStage !== 'number')
    return 'has no network size';
  if (!isObject(r.inputs) || typeof r.inputs.count !== 'number') return 'does not say which inputs it used';
  if (!isObject(r.attack) || typeof r.attack.kind !== 'string' || typeof r.attack.eps !== 'number')
    return 'does not say which attack it used';
  if (!isObject(r.variants) || !Object.values(r.variants).every(isObject)) return 'has malformed kernel variants';
  return undefined;
}

function sourceName(found: FoundNtkResult): string {
  return found.source.kind === 'cache' ? `the NTK cache ${found.source.dir}` : `the sweep file ${found.source.file}`;
}

/** Messages already logged: a hover is asked for again and again over the same cell; say each thing once. */
const logged = new Set<string>();
const MAX_LOGGED = 1000;

function logOnce(log: HoverLog, message: string): void {
  if (logged.has(message)) return;
  if (logged.size >= MAX_LOGGED) logged.clear();
  logged.add(message);
  log(message);
}

/**
 * The stored result for the configured NTK settings (`robustNas.ntk.*`). A stored row that cannot be used (an
 * unknown dataset, say, in a sweep file written by another tool; a field of the wrong type) is skipped and the log
 * says which and why, once: the class then reads as not computed instead of the hover failing.
 */
export function lookUpNtk(
  cell: Cell,
  representativeIndex: number | undefined,
  settings: RobustNasSettings,
  store: NtkHoverStore | undefined,
  log: HoverLog = () => {},
): NtkLookup {
  const config = ntkConfigOf(settings);
  let options: NtkJobOptions;
  try {
    options = ntkJobOptions(config);
  } catch (e) {
    return { config: undefined, options: undefined, unusable: (e as Error).message, found: undefined };
  }
  const skipped = (why: string) =>
    logOnce(log, `NTK result skipped: ${why}. The hover shows the class as not computed.`);
  const found = store?.find(cell, representativeIndex, options, skipped);
  if (found) {
    const problem = storedResultProblem(found.result);
    if (problem) {
      const which = representativeIndex !== undefined ? `class #${representativeIndex}` : 'this class';
      skipped(`the result of ${which} in ${sourceName(found)} ${problem}`);
      return { config, options, found: undefined };
    }
  }
  return { config, options, found };
}

/**
 * The line saying what was computed: kernel kind, network size, inputs (saying so when they are synthetic), attack,
 * seed, and the back end when the result names it (`wasm-fma` numbers differ from `wasm`'s in the last bits).
 */
export function ntkSetupLine(r: NtkResult): string {
  const size = `C=${markdownText(String(r.size.channels))} N=${markdownText(String(r.size.cellsPerStage))}${r.size.name ? ` (${markdownText(String(r.size.name))})` : ''}`;
  const dataset = DATASET_SHAPE[r.dataset].label;
  const inputs = r.inputs.synthetic
    ? `${r.inputs.count} **synthetic** inputs (${dataset} shape)`
    : `${r.inputs.count} ${dataset} images`;
  const eps = Number((r.attack.eps * 255).toPrecision(4));
  const engine = typeof r.backend === 'string' ? ` · ${markdownText(r.backend)} engine` : '';
  return `${markdownText(String(r.kernel))} kernel · ${size} · ${inputs} · ${markdownText(String(r.attack.kind).toUpperCase())} ${eps}/255 · seed ${markdownText(String(r.seed))}${engine}`;
}

/** Rank (1 = largest) of `value` among the finite values of one variant's Frobenius norm over a sweep. */
function rankAmongSweep(
  rows: ReadonlyMap<number, SweepRow>,
  variant: string,
  value: number,
): { rank: number; of: number } | undefined {
  let of = 0;
  let above = 0;
  for (const row of rows.values()) {
    const v = (row.result.variants as Record<string, { frobenius?: unknown } | undefined>)[variant]?.frobenius;
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    of++;
    if (v > value) above++;
  }
  return of >= 2 ? { rank: above + 1, of } : undefined;
}

function sourceText(found: FoundNtkResult): string {
  return found.source.kind === 'cache'
    ? 'from the NTK cache'
    : `from the sweep ${markdownCode(basename(found.source.file))}`;
}

/** `fixed-bn kernel, proxy network, 32 synthetic inputs, seed 0`: what the configured settings compute. */
export function ntkOptionsText(options: NtkJobOptions): string {
  const size =
    typeof options.size === 'string' ? options.size : `C=${options.size.channels} N=${options.size.cellsPerStage}`;
  return `${options.kernel} kernel, ${size} network, ${options.inputs.count} ${options.inputs.kind === 'synthetic' ? 'synthetic inputs' : 'images'}, seed ${options.seed}`;
}

/**
 * The NTK paragraph of the cell details report for the configured NTK settings: the stored result's ||K||_F (the
 * paper's score, Wu et al. ICLR 2024 after Xu et al.), trace and condition number per kernel variant, with the
 * class's rank among a sweep of the same configuration when one is known; otherwise what is missing.
 */
export function ntkDetailsSection(
  lookup: NtkLookup,
  representativeIndex: number | undefined,
  store: NtkHoverStore | undefined,
): string[] {
  if (!store) return [];
  if (!lookup.options)
    return [`**NTK**: the setting \`robustNas.ntk.inputs\` cannot be used: ${markdownText(lookup.unusable ?? '')}`];
  const found = lookup.found;
  if (!found)
    return [
      `**NTK** not computed yet for this class with the configured settings (${ntkOptionsText(lookup.options)}).`,
    ];
  const r = found.result;
  const rows = store.sweepRows(lookup.options);
  const lines = [`**NTK at initialisation** · ${ntkSetupLine(r)} · ${sourceText(found)}`, ''];
  const ranked = representativeIndex !== undefined && rows.size >= 2;
  lines.push(`| Kernel | ‖K‖_F (score) | Trace | Condition |${ranked ? ' ‖K‖_F rank in sweep |' : ''}`);
  lines.push(`|:--|--:|--:|--:|${ranked ? '--:|' : ''}`);
  for (const [variant, s] of Object.entries(r.variants) as [
    NtkVariant,
    NonNullable<NtkResult['variants'][NtkVariant]>,
  ][]) {
    const rank = ranked && typeof s.frobenius === 'number' ? rankAmongSweep(rows, variant, s.frobenius) : undefined;
    const name =
      s.spectrum === 'singular-values' ? `${markdownText(variant)} (singular values)` : markdownText(variant);
    lines.push(
      `| ${name} | ${formatKernelNumber(s.frobenius)} | ${formatKernelNumber(s.trace)} | ${formatKernelNumber(s.conditionNumber)} |${ranked ? ` ${rank ? `#${rank.rank} / ${rank.of}` : '–'} |` : ''}`,
    );
  }
  if (r.knas !== undefined)
    lines.push('', `KNAS ${formatKernelNumber(r.knas)} · NASWOT log|K_H| ${formatKernelNumber(r.naswot ?? NaN)}`);
  return lines;
}
