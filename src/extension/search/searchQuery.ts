import type { CellConstraint } from '../../core/benchmark/api';
import { parseConstraints } from '../../core/benchmark/parseConstraints';
import { parseCellEncoding } from '../../core/space/encodings';

/**
 * What the user typed into "Search Architectures...", read as one of:
 * - nothing: every cell;
 * - a complete encoding (architecture string, index, op code, NASLib tuple): that cell's isomorphism class;
 * - the start of an architecture string (`|nor_conv_3x3~0|+|`): cells whose string contains it;
 * - constraints: op words (`conv3x3 skip` = has both), `no avg_pool` / `-avg_pool`, `edge 2->3 = skip`,
 *   `1->2 != none`, separated by spaces or commas. Each clause goes through the core's constraint parser, the
 *   same one the CLI's `--where` uses; clauses that do not parse are reported, the others still filter.
 */
export type SearchQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'arch'; readonly text: string }
  | { readonly kind: 'substring'; readonly text: string }
  | { readonly kind: 'constraints'; readonly constraints: readonly CellConstraint[]; readonly errors: readonly string[] };

const CLAUSE_FORMS = "write ops (conv3x3 skip), 'no avg_pool', 'edge 2->3 = skip', or an index";

// One clause at a time, from the current position: an edge clause, a has/no clause, or a single word.
const EDGE_CLAUSE = /(?:edge\s+)?\d+\s*->\s*\d+\s*(?:!=|==|=)\s*[^\s,]+/iy;
const VERB_CLAUSE = /(?:has|no)\s+[^\s,]+/iy;
const WORD = /[^\s,]+/y;
const SEPARATORS = /[\s,]*/y;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** A word alone: an op (has), `-op`/`!op` (no), or the unfinished start of an edge or has/no clause. */
function wordClause(word: string): { clause?: string; error?: string } {
  if (/^(edge|has|no)$/i.test(word) || /^\d+(-|->|->\d+|->\d+!?=?=?)?$/.test(word) || /^(edge)?\d*->/i.test(word)) {
    return { error: `'${word}' is unfinished: ${CLAUSE_FORMS}.` };
  }
  if (/^[-!]./.test(word)) return { clause: `no ${word.slice(1)}` };
  return { clause: `has ${word}` };
}

export function parseSearchQuery(input: string): SearchQuery {
  const text = input.trim();
  if (text.length === 0) return { kind: 'all' };
  if (parseCellEncoding(text).ok) return { kind: 'arch', text };
  if (text.startsWith('|') || /[a-z0-9_]~\d/i.test(text)) return { kind: 'substring', text };
  const constraints: CellConstraint[] = [];
  const errors: string[] = [];
  let at = matchAt(SEPARATORS, text, 0)?.length ?? 0;
  while (at < text.length) {
    const clauseText = matchAt(EDGE_CLAUSE, text, at) ?? matchAt(VERB_CLAUSE, text, at);
    let clause: string | undefined;
    let length: number;
    if (clauseText) {
      clause = clauseText;
      length = clauseText.length;
    } else {
      const word = matchAt(WORD, text, at) ?? text.slice(at);
      length = word.length;
      const w = wordClause(word);
      if (w.error) errors.push(w.error);
      clause = w.clause;
    }
    if (clause) {
      const parsed = parseConstraints(clause);
      if (parsed.ok) constraints.push(...parsed.constraints);
      else errors.push(...parsed.errors.map((e) => e.message));
    }
    at += length;
    at += matchAt(SEPARATORS, text, at)?.length ?? 0;
  }
  return { kind: 'constraints', constraints, errors };
}
