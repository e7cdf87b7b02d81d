import { basename } from 'node:path';
import { ntkJobOptions } from '../core/ntk/jobOptions';
import type { NtkJobOptions } from '../core/ntk/pool';
import type { FoundNtkResult } from '../core/ntk/resultLookup';
import type { NtkResult, NtkVariant } from '../core/ntk/scores';
import type { SweepRow } from '../core/ntk/sweepFile';
import type { Cell } from '../core/space/cell';
import { formatArchString } from '../core/space/cell';
import { DATASET_SHAPE } from '../core/space/cost';
import { Commands, commandUri } from '../shared/commands';
import { formatKernelNumber } from '../shared/ntkFormat';
import { ntkConfigOf, type RobustNasSettings } from '../shared/settings';

/** What the hover needs to show stored NTK results; the server never computes any. */
export interface NtkHoverStore {
  find(cell: Cell, representativeIndex: number | undefined, options: NtkJobOptions): FoundNtkResult | undefined;
  /** Rows of the known sweep files computed with `options`, by benchmark index. */
  sweepRows(options: NtkJobOptions): ReadonlyMap<number, SweepRow>;
}

/** The line saying what was computed: kernel kind, network size, inputs (saying so when they are synthetic), attack, seed. */
export function ntkSetupLine(r: NtkResult): string {
  const size = `C=${r.size.channels} N=${r.size.cellsPerStage}${r.size.name ? ` (${r.size.name})` : ''}`;
  const inputs = r.inputs.synthetic ? `${r.inputs.count} **synthetic** inputs (${DATASET_SHAPE[r.dataset].label} shape)` : `${r.inputs.count} ${DATASET_SHAPE[r.dataset].label} images`;
  const eps = Number((r.attack.eps * 255).toPrecision(4));
  return `${r.kernel} kernel · ${size} · ${inputs} · ${r.attack.kind.toUpperCase()} ${eps}/255 · seed ${r.seed}`;
}

/** Rank (1 = largest) of `value` among the finite values of one variant's Frobenius norm over a sweep. */
function rankAmongSweep(rows: ReadonlyMap<number, SweepRow>, variant: NtkVariant, value: number): { rank: number; of: number } | undefined {
  let of = 0;
  let above = 0;
  for (const row of rows.values()) {
    const v = row.result.variants[variant]?.frobenius;
    if (v === undefined || !Number.isFinite(v)) continue;
    of++;
    if (v > value) above++;
  }
  return of >= 2 ? { rank: above + 1, of } : undefined;
}

function sourceText(found: FoundNtkResult): string {
  return found.source.kind === 'cache' ? 'from the NTK cache' : `from the sweep \`${basename(found.source.file)}\``;
}

/**
 * The hover card's NTK paragraph for the configured NTK settings (`robustNas.ntk.*`): the stored result's
 * ||K||_F (the paper's score, Wu et al. ICLR 2024 after Xu et al.), trace and condition number per kernel variant,
 * with the class's rank among a sweep of the same configuration when one is known; otherwise a command link that
 * computes them (Compute NTK Scores, with exactly this configuration).
 */
export function ntkHoverSection(cell: Cell, representativeIndex: number | undefined, settings: RobustNasSettings, store: NtkHoverStore | undefined): string[] {
  if (!store) return [];
  const config = ntkConfigOf(settings);
  let options: NtkJobOptions;
  try {
    options = ntkJobOptions(config);
  } catch (e) {
    return [`**NTK**: the setting \`robustNas.ntk.inputs\` cannot be used: ${(e as Error).message}.`];
  }
  const found = store.find(cell, representativeIndex, options);
  const link = `[Compute NTK scores](${commandUri(Commands.computeNtkScores, [formatArchString(cell), { config }])})`;
  if (!found) {
    const what = `${options.kernel} kernel, ${typeof options.size === 'string' ? options.size : `C=${options.size.channels} N=${options.size.cellsPerStage}`} network, ${options.inputs.count} ${options.inputs.kind === 'synthetic' ? 'synthetic inputs' : 'images'}, seed ${options.seed}`;
    return [`**NTK** not computed yet for this class with the configured settings (${what}). ${link}`];
  }
  const r = found.result;
  const rows = store.sweepRows(options);
  const lines = [`**NTK at initialisation** · ${ntkSetupLine(r)} · ${sourceText(found)}`, ''];
  const ranked = representativeIndex !== undefined && rows.size >= 2;
  lines.push(`| Kernel | ‖K‖_F (score) | Trace | Condition |${ranked ? ' ‖K‖_F rank in sweep |' : ''}`);
  lines.push(`|:--|--:|--:|--:|${ranked ? '--:|' : ''}`);
  for (const [variant, s] of Object.entries(r.variants) as [NtkVariant, NonNullable<NtkResult['variants'][NtkVariant]>][]) {
    const rank = ranked ? rankAmongSweep(rows, variant, s.frobenius) : undefined;
    const name = s.spectrum === 'singular-values' ? `${variant} (singular values)` : variant;
    lines.push(`| ${name} | ${formatKernelNumber(s.frobenius)} | ${formatKernelNumber(s.trace)} | ${formatKernelNumber(s.conditionNumber)} |${ranked ? ` ${rank ? `#${rank.rank} / ${rank.of}` : '–'} |` : ''}`);
  }
  if (r.knas !== undefined) lines.push('', `KNAS ${formatKernelNumber(r.knas)} · NASWOT log|K_H| ${formatKernelNumber(r.naswot ?? NaN)}`);
  return lines;
}
