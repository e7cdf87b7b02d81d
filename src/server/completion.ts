import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { textBetween } from './textWindow';
import type { BenchmarkApi } from '../core/benchmark/api';
import { METRIC_INFO } from '../core/benchmark/metrics';
import { DATASET_SHAPE } from '../core/space/cost';
import type { Cell } from '../core/space/cell';
import { EDGES, OP_NAMES, OP_SHORT_LABEL } from '../core/space/ops';
import { opCountSummary } from '../core/space/opSummary';
import type { RobustNasSettings } from '../shared/settings';
import { formatAccuracy } from './format';

/** Characters that open completion inside an architecture string. */
export const COMPLETION_TRIGGERS = ['|', '~'];

/** Whole cells offered in an empty string; enough to browse, few enough to read. */
const TOP_CELLS = 25;

const RUN = /[A-Za-z0-9_~|+-]/;
const QUOTES = new Set(['"', "'", '`']);

/** How far back on the line the string may start; an architecture string is about 100 characters. */
const MAX_PREFIX = 300;

/** `conv3x3 | conv3x3 avgpool | skip conv3x3 skip`: each node's incoming ops, inputs in order. */
function nodeByNode(cell: Cell): string {
  return [1, 2, 3]
    .map((node) => EDGES.flatMap((e, k) => (e.to === node ? [OP_SHORT_LABEL[cell[k]]] : [])).join(' '))
    .join(' | ');
}

function pad(n: number): string {
  return String(n).padStart(5, '0');
}

/**
 * Completion inside an architecture string being typed (after an opening quote, or once it has an edge):
 * - after `|` (or within an op name): the five ops, inserted with the input the edge must take (`nor_conv_3x3~1`);
 * - after `~`: the one valid input node of that edge (NAS-Bench-201 lists a node's inputs in order 0, 1, 2);
 * - after `|` in an otherwise empty quoted string: also whole cells, the best by the configured metric first.
 */
export function computeCompletions(
  doc: TextDocument,
  offset: number,
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
): CompletionItem[] {
  // Only the characters just before the cursor matter: read those, not the whole (possibly huge) document.
  const base = Math.max(0, offset - MAX_PREFIX - 1);
  const window = textBetween(doc, base, offset + 1);
  const charAt = (i: number): string | undefined => (i >= base ? window[i - base] : undefined);
  let start = offset;
  while (start > 0 && offset - start < MAX_PREFIX && RUN.test(charAt(start - 1) ?? '')) start--;
  let prefix = window.slice(start - base, offset - base);
  const firstPipe = prefix.indexOf('|');
  if (firstPipe < 0) return [];
  start += firstPipe;
  prefix = prefix.slice(firstPipe);

  // Only inside a string: right after an opening quote, or once the text already has an edge (`op~k`). A bare `|`
  // is Python's `or`, a shell pipe, a Markdown table or a YAML block scalar, and must not pop up op names.
  const before = charAt(start - 1);
  if (!prefix.includes('~') && !(before !== undefined && QUOTES.has(before))) return [];

  const group = prefix.slice(prefix.lastIndexOf('+') + 1);
  const node = (prefix.match(/\+/g)?.length ?? 0) + 1;
  if (node > 3) return [];
  const partial = prefix.slice(prefix.lastIndexOf('|') + 1);
  const range = (from: number) => ({ start: doc.positionAt(from), end: doc.positionAt(offset) });

  const tilde = partial.indexOf('~');
  if (tilde >= 0) {
    if (!/^\d*$/.test(partial.slice(tilde + 1))) return [];
    const position = (group.match(/~/g)?.length ?? 1) - 1;
    if (position >= node) return [];
    return [
      {
        label: String(position),
        kind: CompletionItemKind.Value,
        detail: `input of edge ${position}->${node}`,
        documentation: `Node ${node} takes its inputs in order 0..${node - 1}; this is its edge number ${position + 1}.`,
        textEdit: { range: range(offset - (partial.length - tilde - 1)), newText: String(position) },
      },
    ];
  }
  if (!/^[A-Za-z0-9_-]*$/.test(partial)) return [];
  const position = group.match(/~/g)?.length ?? 0;
  if (position >= node) return [];
  const items: CompletionItem[] = OP_NAMES.map((op, i) => ({
    label: op,
    kind: CompletionItemKind.EnumMember,
    detail: `${OP_SHORT_LABEL[op]} on edge ${position}->${node}`,
    sortText: `1${i}`,
    filterText: op,
    textEdit: { range: range(offset - partial.length), newText: `${op}~${position}` },
  }));

  const after = charAt(offset);
  const emptyString =
    prefix === '|' &&
    before !== undefined &&
    QUOTES.has(before) &&
    (after === before || after === undefined || after === '\n' || after === '\r');
  if (emptyString && bench) {
    const info = METRIC_INFO[settings.metric];
    // The suggest widget is about 430 px wide: a label of the 95-character string is cut to the same first ~40
    // characters in every row. What tells cells apart goes in front instead (index, ops counted, the metric); the
    // string itself is the detail and what is inserted.
    for (const r of bench.topK(settings.dataset, settings.metric, TOP_CELLS)) {
      items.push({
        label: `#${r.arch.index} ${opCountSummary(r.arch.cell)}`,
        kind: CompletionItemKind.Value,
        labelDetails: { detail: ` ${formatAccuracy(r.value)}`, description: `${info.label} #${r.rank}` },
        detail: r.arch.archString,
        documentation: `NAS-Bench-201 index ${r.arch.index}, nodes 1 | 2 | 3: ${nodeByNode(r.arch.cell)}. ${info.label} ${formatAccuracy(r.value)}, rank ${r.rank} on ${DATASET_SHAPE[settings.dataset].label} (NAS-RobBench-201).`,
        sortText: `0${pad(r.rank)}`,
        filterText: r.arch.archString,
        textEdit: { range: range(start), newText: r.arch.archString },
      });
    }
  }
  return items;
}
