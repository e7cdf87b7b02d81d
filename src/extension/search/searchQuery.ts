import type { CellConstraint } from '../../core/benchmark/api';
import { parseConstraints, type ConstraintParseError } from '../../core/benchmark/parseConstraints';
import { parseCellEncoding } from '../../core/space/encodings';
import { OP_SHORT_LABEL } from '../../core/space/ops';

/**
 * A part of the query that was not understood: a sentence, and where the query can be fixed (the text at
 * `offset`/`length` replaced by `replacement`, e.g. `sikp` -> `skip`), when the fix is a confident one.
 */
export interface SearchQueryProblem {
  readonly message: string;
  readonly fix?: { readonly offset: number; readonly length: number; readonly replacement: string };
}

/**
 * What the user typed into "Search Architectures...", read as one of:
 * - nothing: every cell;
 * - a complete encoding (architecture string, index, op code, NASLib tuple): that cell's isomorphism class;
 * - the start of an architecture string (`|nor_conv_3x3~0|+|`): cells whose string contains it;
 * - constraints: op words (`conv3x3 skip` = has both), `no avg_pool` / `-avg_pool`, `edge 2->3 = skip`,
 *   `1->2 != none`, separated by spaces or commas. Each clause goes through the core's constraint parser, the
 *   same one the CLI's `--where` uses; clauses that do not parse are reported (with a fix when one is clear), and a
 *   query with a problem lists no cells: half a query must not look like an answer.
 */
export type SearchQuery =
  | { readonly kind: 'all' }
  | { readonly kind: 'arch'; readonly text: string }
  | { readonly kind: 'substring'; readonly text: string }
  | {
      readonly kind: 'constraints';
      readonly constraints: readonly CellConstraint[];
      readonly errors: readonly SearchQueryProblem[];
    };

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
function wordClause(word: string): { clause?: string; shift: number; error?: string } {
  if (/^(edge|has|no)$/i.test(word) || /^\d+(-|->|->\d+|->\d+!?=?=?)?$/.test(word) || /^(edge)?\d*->/i.test(word)) {
    return { error: `'${word}' is unfinished: ${CLAUSE_FORMS}.`, shift: 0 };
  }
  // `shift` maps an offset in the clause back to the word: `-pool` reads as `no pool`, `skip` as `has skip`.
  if (/^[-!]./.test(word)) return { clause: `no ${word.slice(1)}`, shift: 1 - 'no '.length };
  return { clause: `has ${word}`, shift: -'has '.length };
}

/** The problem for a constraint error, its fix in the query's own terms: `skip` for a short word, else the full op name. */
function problemOf(e: ConstraintParseError, query: string, shift: number): SearchQueryProblem {
  if (!e.suggestion) return { message: e.message };
  const offset = e.offset + shift;
  const written = query.slice(offset, offset + e.length);
  const replacement = written.includes('_') ? e.suggestion : OP_SHORT_LABEL[e.suggestion];
  return {
    message: `Unknown operation '${written}': did you mean '${replacement}'?`,
    fix: { offset, length: e.length, replacement },
  };
}

/** The query with a problem's fix applied. */
export function applyQueryFix(query: string, problem: SearchQueryProblem): string {
  const f = problem.fix;
  return f ? query.slice(0, f.offset) + f.replacement + query.slice(f.offset + f.length) : query;
}

export function parseSearchQuery(input: string): SearchQuery {
  const text = input.trim();
  if (text.length === 0) return { kind: 'all' };
  if (parseCellEncoding(text).ok) return { kind: 'arch', text };
  if (text.startsWith('|') || /[a-z0-9_]~\d/i.test(text)) return { kind: 'substring', text };
  // Offsets of problems are into `input` as typed (its leading blanks included), so a fix edits the box's text.
  const lead = input.length - input.trimStart().length;
  const constraints: CellConstraint[] = [];
  const errors: SearchQueryProblem[] = [];
  let at = matchAt(SEPARATORS, text, 0)?.length ?? 0;
  while (at < text.length) {
    const clauseText = matchAt(EDGE_CLAUSE, text, at) ?? matchAt(VERB_CLAUSE, text, at);
    let clause: string | undefined;
    let length: number;
    let shift = 0;
    if (clauseText) {
      clause = clauseText;
      length = clauseText.length;
    } else {
      const word = matchAt(WORD, text, at) ?? text.slice(at);
      length = word.length;
      const w = wordClause(word);
      if (w.error) errors.push({ message: w.error });
      clause = w.clause;
      shift = w.shift;
    }
    if (clause) {
      const parsed = parseConstraints(clause);
      if (parsed.ok) constraints.push(...parsed.constraints);
      else errors.push(...parsed.errors.map((e) => problemOf(e, input, lead + at + shift)));
    }
    at += length;
    at += matchAt(SEPARATORS, text, at)?.length ?? 0;
  }
  return { kind: 'constraints', constraints, errors };
}
