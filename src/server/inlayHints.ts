import { InlayHintKind, MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { METRIC_INFO } from '../core/benchmark/metrics';
import { DATASET_SHAPE } from '../core/space/cost';
import type { ArchOccurrence } from '../core/scan/occurrence';
import type { RobustNasSettings } from '../shared/settings';
import { formatAccuracy, formatPercentile, formatRank } from './format';
import { resolveOccurrence } from './resolveOccurrence';
import { textBetween } from './textWindow';

const CLOSING = new Set(['"', "'", '`', ')', ']']);

/**
 * One hint after each architecture, e.g. `PGD@8 48.1% #3`: the configured metric on the configured dataset, from
 * the cell's evaluated representative. Placed after a closing quote or bracket right behind the occurrence, so it
 * never sits inside a string. Nothing without data, or when `robustNas.inlayHints.enabled` is off.
 */
export function computeInlayHints(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  range: Range,
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
  isCancelled: () => boolean = () => false,
): InlayHint[] {
  if (!settings.inlayHints.enabled || !bench) return [];
  const from = doc.offsetAt(range.start);
  const to = doc.offsetAt(range.end);
  const info = METRIC_INFO[settings.metric];
  const hints: InlayHint[] = [];
  for (const occ of occurrences) {
    if (occ.end < from || occ.start > to) continue;
    if (hints.length % 256 === 0 && isCancelled()) break;
    const { record } = resolveOccurrence(occ, bench);
    if (!record) continue;
    const m = bench.metric(record.representativeIndex, settings.dataset, settings.metric);
    if (!m) continue;
    let at = occ.end;
    if (occ.kind !== 'naslib' && CLOSING.has(textBetween(doc, at, at + 1))) at++;
    const via = record.isRepresentative ? '' : ` (evaluated as #${record.representativeIndex})`;
    hints.push({
      position: doc.positionAt(at),
      label: `${info.label} ${formatAccuracy(m.value)} #${m.rank}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: {
        kind: MarkupKind.Markdown,
        value: `${info.description} ${DATASET_SHAPE[settings.dataset].label}, cell #${record.index}${via}: ${formatAccuracy(m.value)}, rank ${formatRank(m)}, ${formatPercentile(m)}.`,
      },
    });
  }
  return hints;
}
