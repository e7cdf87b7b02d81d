import type { NtkResult } from '../../core/ntk/scores';
import { NETWORK_SIZES } from '../../core/ntk/network';
import { formatTable } from '../format/table';

function num(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toPrecision(6);
}

/** A radius or step in 1/255 pixel units, without float noise or trailing zeros: 8, 2, 0.5. */
function per255(x: number): string {
  return `${Number((x * 255).toPrecision(4))}/255`;
}

/** A human-readable block: what was computed (kernel, size, inputs incl. "synthetic"), then one row per variant. */
export function formatNtkResult(r: NtkResult): string[] {
  const sizeName = Object.entries(NETWORK_SIZES).find(
    ([, s]) => s.channels === r.size.channels && s.cellsPerStage === r.size.cellsPerStage,
  )?.[0];
  const attack =
    r.attack.kind === 'fgsm'
      ? `FGSM eps ${per255(r.attack.eps)}`
      : `PGD eps ${per255(r.attack.eps)}, ${r.attack.steps} steps of ${per255(r.attack.stepSize)}${r.attack.randomStart ? ', random start' : ''}`;
  const lines = [
    `NTK of ${r.arch}`,
    `  kernel ${r.kernel}; network C=${r.size.channels} N=${r.size.cellsPerStage}${sizeName ? ` (${sizeName})` : ''}, ${r.dataset}; ` +
      `${r.inputs.count} ${r.inputs.synthetic ? 'synthetic inputs (seeded random images and labels, not data)' : `inputs from ${r.inputs.source}`}; seed ${r.seed}`,
    `  attack ${attack}; joint-kernel trade-off ${r.tradeOff}; ${num(r.seconds)} s${r.backend ? ` (${r.backend}${r.threads ? `, ${r.threads} thread${r.threads === 1 ? '' : 's'}` : ''})` : ''}`,
  ];
  if (r.threadingNote) lines.push(`  note: ${r.threadingNote}`);
  lines.push('');
  const table = formatTable(
    [
      { header: 'variant' },
      { header: '||K||_F', align: 'right' },
      { header: 'trace', align: 'right' },
      { header: 'min eig', align: 'right' },
      { header: 'max eig', align: 'right' },
      { header: 'condition', align: 'right' },
    ],
    Object.entries(r.variants).map(([v, s]) => [
      v + (s!.spectrum === 'singular-values' ? ' (sv)' : ''),
      num(s!.frobenius),
      num(s!.trace),
      num(s!.minEigenvalue),
      num(s!.maxEigenvalue),
      num(s!.conditionNumber),
    ]),
  );
  lines.push(...table);
  if (r.knas !== undefined)
    lines.push('', `  KNAS mean gradient kernel ${num(r.knas)}; NASWOT log|K_H| ${num(r.naswot!)}`);
  return lines;
}
