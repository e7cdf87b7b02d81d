import { ADVERSARIAL_METRIC_IDS, METRIC_INFO } from '../benchmark/metrics';
import { cellToNaslibOpIndices, cellToOpCode, formatArchString } from '../space/cell';
import { DATASET_SHAPE, MACRO, formatNasBench201Cost, networkCost } from '../space/cost';
import { deadEdges, type DeadEdge } from '../space/deadEdges';
import { EDGES, edgeLabel } from '../space/ops';
import type { ExportSubject } from './exportSubject';

const thousands = (n: number) => n.toLocaleString('en-US');
const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Whether the export is the benchmark's own network size (C=16, N=5), to which the published accuracies belong. */
export function isBenchmarkSize(subject: ExportSubject): boolean {
  return subject.size.channels === MACRO.channels && subject.size.cellsPerStage === MACRO.cellsPerStage;
}

/** `1->2 (avg_pool_3x3: its input node is always zero)`: why an edge cannot change the output. */
export function describeDeadEdge(subject: ExportSubject, d: DeadEdge): string {
  const why = d.reason === 'unreachable' ? 'its output never reaches the cell output' : 'its input node is always zero';
  return `${edgeLabel(EDGES[d.edge])} (${subject.cell[d.edge]}: ${why})`;
}

/**
 * The facts both exported files open with, as lines without the comment marker: the cell (string, index, op code),
 * where its results come from, its NAS-RobBench-201 accuracies on the chosen dataset, the network's parameters and
 * FLOPs (src/core/space/cost.ts, the count NAS-Bench-201 reports), and its dead edges.
 */
export function headerLines(subject: ExportSubject): string[] {
  const { cell, dataset, size } = subject;
  const shape = DATASET_SHAPE[dataset];
  const lines: string[] = [];
  lines.push(`Cell        ${formatArchString(cell)}`);
  const ids = [`op code ${cellToOpCode(cell)}`, `NASLib op_indices (${cellToNaslibOpIndices(cell).join(', ')})`];
  lines.push(
    `Index       ${subject.index !== undefined ? `NAS-Bench-201 #${subject.index} · ` : ''}${ids.join(' · ')}`,
  );
  lines.push(`Dataset     ${shape.label} (${shape.classes} classes, ${shape.inputSize}x${shape.inputSize} images)`);

  const ev = subject.evaluated;
  if (!subject.accuracies || !ev) {
    lines.push('Results     NAS-RobBench-201 data not loaded: the published accuracies are not shown.');
  } else {
    if (ev.index === subject.index) {
      lines.push(
        `Results     #${ev.index} is the member of its isomorphism class that NAS-RobBench-201 trained and evaluated.`,
      );
    } else {
      lines.push(
        `Results     this cell is isomorphic to #${ev.index}, the member NAS-RobBench-201 trained and evaluated:`,
      );
      lines.push(`            ${ev.archString}`);
      lines.push(
        `            the same function for every choice of weights, so #${ev.index}'s results below are this cell's.`,
      );
    }
    lines.push(
      `NAS-RobBench-201 accuracy on ${shape.label} after adversarial training (Wu et al., ICLR 2024; each value the`,
    );
    lines.push('mean over the published training runs):');
    const parts = ADVERSARIAL_METRIC_IDS.map((m) => {
      const v = subject.accuracies?.[m];
      return `${METRIC_INFO[m].label} ${v === undefined ? 'not published' : percent(v)}`;
    });
    lines.push(`            ${parts.slice(0, 3).join(' · ')}`);
    lines.push(`            ${parts.slice(3).join(' · ')}`);
  }

  const cost = networkCost(cell, dataset, size);
  const costText = (c: typeof cost) => `${thousands(c.params)} parameters, ${formatNasBench201Cost(c).flops} FLOPs`;
  const network = `C=${size.channels}, N=${size.cellsPerStage}: ${costText(cost)} (one ${shape.inputSize}x${shape.inputSize} image, counted as NAS-Bench-201 does)`;
  if (isBenchmarkSize(subject)) {
    lines.push(`Network     ${network}; the benchmark's size.`);
  } else {
    const full = networkCost(cell, dataset, MACRO);
    lines.push(`Network     ${network}.`);
    lines.push(
      `            NOT the benchmark's size: NAS-RobBench-201 trained C=${MACRO.channels}, N=${MACRO.cellsPerStage} (${costText(full)});`,
    );
    lines.push('            its accuracies above belong to that size.');
  }
  const dead = deadEdges(cell);
  lines.push(
    dead.length === 0
      ? 'Dead edges  none: every edge can change the output.'
      : `Dead edges  ${dead.map((d) => describeDeadEdge(subject, d)).join('; ')}.`,
  );
  if (dead.length)
    lines.push('            Kept, as the official InferCell keeps them, so official weights load with strict=True.');
  return lines;
}

/** Text width of a header line after `# ` (the files' code stays within 120 columns). */
const WIDTH = 116;
/** Continuation lines start under the text of a `Label       text` line. */
const INDENT = ' '.repeat(12);

/** Breaks a line longer than WIDTH at spaces, continuing under its text; an unbreakable word stays whole. */
export function wrapLine(line: string, indent = INDENT): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > WIDTH) {
    const at = rest.lastIndexOf(' ', WIDTH);
    if (at <= indent.length) break;
    out.push(rest.slice(0, at).trimEnd());
    rest = indent + rest.slice(at + 1).trimStart();
  }
  out.push(rest);
  return out;
}

/** Lines as Python comments, long ones wrapped (continuing under a header label's text, or flush). */
export function pythonComment(lines: readonly string[], indent = INDENT): string {
  return lines
    .flatMap((l) => wrapLine(l, indent))
    .map((l) => (l ? `# ${l}` : '#'))
    .join('\n');
}
