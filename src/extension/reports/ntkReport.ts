import type { BenchmarkApi } from '../../core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS } from '../../core/benchmark/metrics';
import type { NtkResult } from '../../core/ntk/scores';
import { parseArchString } from '../../core/space/parse';
import { datasetLabel, formatAccuracy, metricLabel } from '../format';
import { formatKernelNumber } from '../../shared/ntkFormat';
import { cellName, cellRef, type CellRef, type Report, type ReportBlock } from './reportModel';

export { formatKernelNumber };

/** An attack radius in the paper's units: `8/255`, `2/255`, `0.5/255` (the data stores fractions of 1). */
export function formatEps(eps: number): string {
  return `${Number((eps * 255).toFixed(3))}/255`;
}

/**
 * Report of NTK scores for one cell: the scores first (one row per kernel variant, the baselines when computed),
 * then, when the benchmark is loaded, the cell's measured accuracies beside them, so the training-free score can be
 * read against the truth; last, what was computed (kernel, network size, inputs - saying plainly when they are
 * synthetic -, attack, seed). The cell is named by index and ops; its full string is the line under the title.
 */
export function renderNtkReport(result: NtkResult, cached: boolean, bench: BenchmarkApi | undefined): Report {
  const r = result;
  const resolved = bench?.resolve(r.arch);
  const parsed = parseArchString(r.arch);
  const index = resolved?.ok ? resolved.arch.index : undefined;
  const ref: CellRef | undefined = parsed.ok ? cellRef(index, r.arch, parsed.cell) : undefined;
  const blocks: ReportBlock[] = [];
  if (ref) blocks.push({ kind: 'cell', cell: ref });
  else blocks.push({ kind: 'paragraph', text: `\`${r.arch}\`` });

  const rows = Object.entries(r.variants).map(([v, s]) => [
    s!.spectrum === 'singular-values' ? `${v} (singular values)` : v,
    formatKernelNumber(s!.frobenius),
    formatKernelNumber(s!.trace),
    formatKernelNumber(s!.minEigenvalue),
    formatKernelNumber(s!.maxEigenvalue),
    formatKernelNumber(s!.conditionNumber),
  ]);
  blocks.push({
    kind: 'table',
    table: {
      headers: ['Variant', '‖K‖_F (score)', 'Trace', 'Min eig', 'Max eig', 'Condition'],
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
      rows,
    },
  });
  if (r.knas !== undefined)
    blocks.push({
      kind: 'paragraph',
      text: `Baselines: KNAS mean-gradient kernel ${formatKernelNumber(r.knas)}; NASWOT log|K_H| ${formatKernelNumber(r.naswot ?? NaN)}.`,
    });

  if (bench && resolved?.ok) {
    const rep = resolved.arch.representativeIndex;
    blocks.push({
      kind: 'heading',
      text: `Measured on NAS-RobBench-201 (${datasetLabel(r.dataset)}${rep !== resolved.arch.index ? `, evaluated as #${rep}` : ''})`,
    });
    // One metric a row: the six values with their ranks fit a half-width panel.
    blocks.push({
      kind: 'table',
      table: {
        headers: ['Metric', 'Accuracy', 'Rank'],
        align: ['left', 'right', 'right'],
        rows: ADVERSARIAL_METRIC_IDS.map((m) => {
          const v = bench.metric(rep, r.dataset, m);
          return [metricLabel(m), v ? formatAccuracy(v.value) : 'n/a', v ? `#${v.rank} / ${v.of}` : 'n/a'];
        }),
      },
    });
  }

  const attack =
    r.attack.kind === 'fgsm'
      ? `FGSM, eps ${formatEps(r.attack.eps)}`
      : `PGD, eps ${formatEps(r.attack.eps)}, ${r.attack.steps} steps of ${formatEps(r.attack.stepSize)}${r.attack.randomStart ? ', random start' : ''}`;
  blocks.push({ kind: 'heading', text: 'How the scores were computed' });
  blocks.push({
    kind: 'list',
    items: [
      `Kernel: ${r.kernel === 'fixed-bn' ? 'fixed-bn (BatchNorm statistics held constant)' : 'exact (through the BatchNorm statistics)'}; ` +
        `network C=${r.size.channels}, N=${r.size.cellsPerStage}${r.size.name ? ` (${r.size.name})` : ''} at initialisation, seed ${r.seed}, ${datasetLabel(r.dataset)} shape.`,
      `Inputs: ${r.inputs.count} ${r.inputs.synthetic ? '**synthetic** inputs (seeded random images and labels, not data)' : `images from ${r.inputs.source}`}.`,
      `Attack for X' = attack(X) and X'' = attack(X'): ${attack}; joint-kernel trade-off beta = ${r.tradeOff}.`,
      `${cached ? 'From the cache (computed earlier with the same settings)' : `Computed in ${r.seconds.toFixed(1)} s${r.backend ? ` (${r.backend})` : ''}`}.`,
    ],
  });
  blocks.push({
    kind: 'paragraph',
    text:
      "Variants (Wu et al., ICLR 2024, Sec. 5): clean Θ(X,X), robust Θ(X',X'), cross Θ(X,X'), twice Θ(X'',X''); the joint " +
      "kernels weight [X; X'] (clean) or [X'; X''] (robust) by the trade-off. ‖K‖_F is the score the paper correlates with accuracy.",
  });
  const name = ref ? cellName(ref) : r.arch;
  const size = r.size.name ?? `C${r.size.channels} N${r.size.cellsPerStage}`;
  return {
    tabTitle: `NTK ${ref?.index !== undefined ? `#${ref.index}` : (ref?.summary ?? 'scores')} · ${size}`,
    title: `NTK scores of ${name}`,
    blocks,
  };
}
