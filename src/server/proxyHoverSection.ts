import { basename } from 'node:path';
import { NTK_STAT_DIRECTION, ZERO_COST_DIRECTION } from '../core/leaderboard/proxyColumns';
import { NTK_VARIANTS } from '../core/ntk/scores';
import type { SweepRow } from '../core/ntk/sweepFile';
import { ntkProxyOf, type SweepScore } from '../core/ntk/sweepMetricSet';
import { formatKernelNumber } from '../shared/ntkFormat';
import { markdownCode, markdownText } from './markdown';

/**
 * The class's training-free scores in the sweep files the user loaded (Correlation Charts) or wrote (NTK Sweep),
 * with their ranks among the classes of that file: a compact line on the hover card and a table in the cell details
 * report. The server reads stored rows only; it never computes a score.
 */

/** What the hover needs of the stored sweeps (NtkResultIndex.sweepsWithClass). */
export interface ProxySweepStore {
  sweepsWithClass(representativeIndex: number): { file: string; row: SweepRow; rows: ReadonlyMap<number, SweepRow> }[];
}

export interface RankedScore {
  readonly value: number;
  /** 1 = best among the file's classes, in the direction the proxy's paper ranks by. */
  readonly rank: number;
  readonly of: number;
}

/** One proxy of a sweep for one class: its clean and robust variants (either may be absent). */
export interface ClassProxyScore {
  readonly label: string;
  readonly clean?: RankedScore;
  readonly robust?: RankedScore;
}

/** The scores a row holds: each NTK variant's Frobenius norm (the paper's NTK score), the baselines, zero-cost proxies. */
function scoresOf(row: SweepRow): SweepScore[] {
  const out: SweepScore[] = NTK_VARIANTS.filter((v) => row.result.variants[v]).map((variant) => ({
    variant,
    stat: 'frobenius' as const,
  }));
  if (typeof row.result.knas === 'number') out.push({ baseline: 'knas' });
  if (typeof row.result.naswot === 'number') out.push({ baseline: 'naswot' });
  for (const zeroCost of Object.keys(row.result.proxies ?? {})) out.push({ zeroCost });
  return out;
}

function valueOf(row: SweepRow, score: SweepScore): number | undefined {
  let v: unknown;
  if ('zeroCost' in score) v = row.result.proxies?.[score.zeroCost];
  else if ('baseline' in score) v = row.result[score.baseline];
  else v = row.result.variants[score.variant]?.frobenius;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Directions as the leaderboard core reads them (docs/proxy-leaderboard.md): +1 higher is better. */
function directionOf(score: SweepScore): 1 | -1 {
  if ('zeroCost' in score) return ZERO_COST_DIRECTION;
  return 'baseline' in score ? 1 : NTK_STAT_DIRECTION[score.stat];
}

function rankAmong(rows: ReadonlyMap<number, SweepRow>, score: SweepScore, value: number): RankedScore | undefined {
  const sign = directionOf(score);
  let of = 0;
  let better = 0;
  for (const r of rows.values()) {
    const v = valueOf(r, score);
    if (v === undefined) continue;
    of++;
    if (sign * v > sign * value) better++;
  }
  return of >= 2 ? { value, rank: better + 1, of } : undefined;
}

/** The class's proxies in one sweep, clean and robust variants paired as in the Correlation Charts. */
export function classProxyScores(row: SweepRow, rows: ReadonlyMap<number, SweepRow>): ClassProxyScore[] {
  const byProxy = new Map<string, { label: string; clean?: RankedScore; robust?: RankedScore }>();
  const robustTaken = new Set<string>();
  for (const score of scoresOf(row)) {
    const value = valueOf(row, score);
    if (value === undefined) continue;
    const of = ntkProxyOf(score, (base) => robustTaken.has(base));
    if (of.inputs === 'robust' && 'zeroCost' in score) robustTaken.add(of.proxy);
    const entry = byProxy.get(of.proxy) ?? { label: of.label };
    byProxy.set(of.proxy, entry);
    entry[of.inputs] ??= rankAmong(rows, score, value);
  }
  return [...byProxy.values()].filter((p) => p.clean || p.robust);
}

/** Most proxies the card names; the rest are in the report (its "All datasets" link). */
const CARD_PROXIES = 3;

/**
 * One line for the card: `Proxy ranks in ntk.jsonl (of 6,466): NTK Θ #12 / #9 · KNAS #40 · snip #3 / #5 · +8 more`,
 * clean / robust ranks where a proxy has both. Undefined when no known sweep scored the class.
 */
export function proxyCardLine(store: ProxySweepStore | undefined, representativeIndex: number): string | undefined {
  const sweep = store?.sweepsWithClass(representativeIndex)[0];
  if (!sweep) return undefined;
  const scores = classProxyScores(sweep.row, sweep.rows);
  if (scores.length === 0) return undefined;
  const of = Math.max(...scores.flatMap((p) => [p.clean?.of ?? 0, p.robust?.of ?? 0]));
  const rank = (r: RankedScore | undefined) => (r ? `#${r.rank}` : '–');
  const items = scores
    .slice(0, CARD_PROXIES)
    .map(
      (p) =>
        `${markdownText(p.label.replace(/, Frobenius norm$/, ''))} ${p.clean && p.robust ? `${rank(p.clean)} / ${rank(p.robust)}` : rank(p.clean ?? p.robust)}`,
    );
  const more = scores.length > CARD_PROXIES ? ` · +${scores.length - CARD_PROXIES} more` : '';
  return `Proxy ranks in ${markdownCode(basename(sweep.file))} (of ${of.toLocaleString('en-US')}, clean / robust): ${items.join(' · ')}${more}`;
}

/** The report's section: per known sweep that scored the class, every proxy's clean and robust score and rank. */
export function proxyDetailsSection(store: ProxySweepStore | undefined, representativeIndex: number): string[] {
  const sweeps = store?.sweepsWithClass(representativeIndex) ?? [];
  const out: string[] = [];
  for (const s of sweeps) {
    const scores = classProxyScores(s.row, s.rows);
    if (scores.length === 0) continue;
    out.push(
      `**${markdownCode(basename(s.file))}** · ${s.rows.size.toLocaleString('en-US')} classes · rank 1 = best in the direction each proxy's paper ranks by`,
      '',
    );
    out.push('| Proxy | Clean inputs | Rank | Adversarial inputs | Rank |', '|:--|--:|--:|--:|--:|');
    const cell = (r: RankedScore | undefined) =>
      r ? `${formatKernelNumber(r.value)} | #${r.rank} of ${r.of.toLocaleString('en-US')}` : '– | –';
    for (const p of scores) out.push(`| ${markdownText(p.label)} | ${cell(p.clean)} | ${cell(p.robust)} |`);
    out.push('');
  }
  return out;
}
