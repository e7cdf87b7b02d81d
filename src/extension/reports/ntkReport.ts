import type { BenchmarkApi } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS } from '../../core/benchmark/metrics';
import type { NtkResult } from '../../core/ntk/scores';
import { datasetLabel, formatAccuracy, metricLabel } from '../format';
import { formatKernelNumber } from '../../shared/ntkFormat';
import { markdownTable } from './markdownTable';

export { formatKernelNumber };

/**
 * Report of NTK scores for one cell: what was computed (kernel, network size, inputs - saying plainly when they are
 * synthetic -, attack, seed), one row per kernel variant, the baselines when computed, and, when the benchmark is
 * loaded, the cell's measured accuracies beside them, so the training-free score can be read against the truth.
 */
export function renderNtkReport(result: NtkResult, cached: boolean, bench: BenchmarkApi | undefined): string {
  const r = result;
  const out: string[] = [];
  out.push(`# NTK scores of \`${r.arch}\`\n`);
  const attack = r.attack.kind === 'fgsm'
    ? `FGSM, eps ${formatKernelNumber(r.attack.eps * 255)}/255`
    : `PGD, eps ${formatKernelNumber(r.attack.eps * 255)}/255, ${r.attack.steps} steps of ${formatKernelNumber(r.attack.stepSize * 255)}/255${r.attack.randomStart ? ', random start' : ''}`;
  out.push(
    `- Kernel: ${r.kernel === 'fixed-bn' ? 'fixed-bn (BatchNorm statistics held constant)' : 'exact (through the BatchNorm statistics)'}; ` +
    `network C=${r.size.channels}, N=${r.size.cellsPerStage}${r.size.name ? ` (${r.size.name})` : ''} at initialisation, seed ${r.seed}, ${datasetLabel(r.dataset)} shape.\n` +
    `- Inputs: ${r.inputs.count} ${r.inputs.synthetic ? '**synthetic** inputs (seeded random images and labels, not data)' : `images from ${r.inputs.source}`}.\n` +
    `- Attack for X' = attack(X) and X'' = attack(X'): ${attack}; joint-kernel trade-off beta = ${r.tradeOff}.\n` +
    `- ${cached ? 'From the cache (computed earlier with the same settings)' : `Computed in ${r.seconds.toFixed(1)} s${r.backend ? ` (${r.backend})` : ''}`}.\n`,
  );
  const rows = Object.entries(r.variants).map(([v, s]) => [
    s!.spectrum === 'singular-values' ? `${v} (singular values)` : v,
    formatKernelNumber(s!.frobenius), formatKernelNumber(s!.trace), formatKernelNumber(s!.minEigenvalue),
    formatKernelNumber(s!.maxEigenvalue), formatKernelNumber(s!.conditionNumber),
  ]);
  out.push(markdownTable(['Variant', '‖K‖_F (score)', 'Trace', 'Min eig', 'Max eig', 'Condition'], rows, ['left', 'right', 'right', 'right', 'right', 'right']));
  out.push(
    "\nVariants (Wu et al., ICLR 2024, Sec. 5): clean Θ(X,X), robust Θ(X',X'), cross Θ(X,X'), twice Θ(X'',X''); the joint " +
    "kernels weight [X; X'] (clean) or [X'; X''] (robust) by the trade-off. ‖K‖_F is the score the paper correlates with accuracy.\n",
  );
  if (r.knas !== undefined) out.push(`\nBaselines: KNAS mean-gradient kernel ${formatKernelNumber(r.knas)}; NASWOT log|K_H| ${formatKernelNumber(r.naswot ?? NaN)}.\n`);
  const resolved = bench?.resolve(r.arch);
  if (bench && resolved?.ok) {
    const index = resolved.arch.representativeIndex;
    out.push(`\n## Measured on NAS-RobBench-201 (${datasetLabel(r.dataset)}, index ${index})\n`);
    out.push(markdownTable(
      ADVERSARIAL_METRIC_IDS.map((m) => metricLabel(m)),
      [ADVERSARIAL_METRIC_IDS.map((m) => {
        const v = bench.metric(index, r.dataset, m);
        return v ? `${formatAccuracy(v.value)} (#${v.rank})` : 'n/a';
      })],
      ADVERSARIAL_METRIC_IDS.map(() => 'right'),
    ));
  }
  return out.join('\n');
}
