import { EDGES, OP_NAMES, edgeLabel, edgePosition, OP_SHORT_LABEL } from '../space/ops';
import { closestOpName, opNameFromAlias } from '../space/suggest';
import type { OpName } from '../space/ops';
import type { CellConstraint } from './api';

/**
 * The textual form of {@link CellConstraint}s shared by the CLI's `--where` and the extension's QuickPick:
 * comma-separated clauses
 *   `edge 2->3 = skip`, `edge 1->2 != none` (the word `edge` is optional; `==` and `=` are the same),
 *   `has conv3x3`, `no avg_pool`,
 * where an op is a NAS-Bench-201 op name or a common alias (see `opNameFromAlias`).
 */

export interface ConstraintParseError {
  /** Offset and length of the offending text in the whole input. */
  readonly offset: number;
  readonly length: number;
  /** A complete sentence: what is wrong and what is expected. */
  readonly message: string;
  /** For an unknown op that is close to a real one: that op, to replace the text at offset/length with. */
  readonly suggestion?: OpName;
}

export type ConstraintParseResult =
  | { readonly ok: true; readonly constraints: CellConstraint[] }
  | { readonly ok: false; readonly errors: ConstraintParseError[] };

const EDGE_LIST = EDGES.map(edgeLabel).join(', ');
const OP_LIST = OP_NAMES.map((op) => `${op} (${OP_SHORT_LABEL[op]})`).join(', ');
const CLAUSE_FORMS = "'edge A->B = OP', 'edge A->B != OP', 'has OP' or 'no OP'";

/** Parses one op token at `offset`; pushes an error and returns undefined when it is not an op. */
function parseOp(token: string, offset: number, errors: ConstraintParseError[]): OpName | undefined {
  const op = opNameFromAlias(token);
  if (op) return op;
  if (token.length === 0) {
    errors.push({ offset, length: 0, message: `Missing operation; expected one of ${OP_LIST}.` });
    return undefined;
  }
  const guess = closestOpName(token);
  errors.push({
    offset,
    length: token.length,
    suggestion: guess,
    message: guess
      ? `Unknown operation '${token}': did you mean '${guess}'?`
      : `Unknown operation '${token}'; expected one of ${OP_LIST}.`,
  });
  return undefined;
}

// `edge 1->2 != none`: optional word, two node numbers, operator, op. Groups keep their text to compute offsets.
const EDGE_CLAUSE = /^(edge\s+)?(\d+)\s*->\s*(\d+)\s*(!=|==|=)\s*(.*)$/i;
const OP_CLAUSE = /^(has|no)\s+(.*)$/i;

function parseClause(clause: string, offset: number, errors: ConstraintParseError[]): CellConstraint | undefined {
  const edgeMatch = EDGE_CLAUSE.exec(clause);
  if (edgeMatch) {
    const [, word = '', fromText, toText, operator, opText] = edgeMatch;
    const from = Number(fromText);
    const to = Number(toText);
    const edge = edgePosition(from, to);
    const edgeOffset = offset + word.length;
    const opOffset = offset + clause.length - opText.length;
    if (edge < 0) {
      const edgeText = clause.slice(word.length, clause.search(/!=|=/)).trimEnd();
      errors.push({
        offset: edgeOffset,
        length: edgeText.length,
        message: `There is no edge ${from}->${to} in a NAS-Bench-201 cell; the edges are ${EDGE_LIST}.`,
      });
    }
    const op = parseOp(opText.trim(), opOffset, errors);
    if (edge < 0 || !op) return undefined;
    return { kind: operator === '!=' ? 'edge-is-not' : 'edge-is', edge, op };
  }
  const opMatch = OP_CLAUSE.exec(clause);
  if (opMatch) {
    const [, verb, opText] = opMatch;
    const op = parseOp(opText.trim(), offset + clause.length - opText.length, errors);
    if (!op) return undefined;
    return { kind: verb.toLowerCase() === 'has' ? 'has-op' : 'no-op', op };
  }
  errors.push({
    offset,
    length: clause.length,
    message: `Cannot read the constraint '${clause}'; write ${CLAUSE_FORMS}, separated by commas.`,
  });
  return undefined;
}

/** Parses `text` into constraints; reports every bad clause with its position. An empty text means no constraint. */
export function parseConstraints(text: string): ConstraintParseResult {
  const errors: ConstraintParseError[] = [];
  const constraints: CellConstraint[] = [];
  // Computed once: trimming the whole text per empty clause made `'   ,,,,'` quadratic (issue 10).
  const blank = text.trim().length === 0;
  let start = 0;
  for (const piece of text.split(',')) {
    const lead = piece.length - piece.trimStart().length;
    const clause = piece.trim();
    if (clause.length > 0) {
      const c = parseClause(clause, start + lead, errors);
      if (c) constraints.push(c);
    } else if (!blank) {
      errors.push({
        offset: start,
        length: piece.length,
        message: `Empty constraint between commas; write ${CLAUSE_FORMS}.`,
      });
    }
    start += piece.length + 1;
  }
  return errors.length ? { ok: false, errors } : { ok: true, constraints };
}

/** The textual form of one constraint, as {@link parseConstraints} reads it back. */
export function formatConstraint(c: CellConstraint): string {
  switch (c.kind) {
    case 'edge-is':
      return `edge ${edgeLabel(EDGES[c.edge])} = ${c.op}`;
    case 'edge-is-not':
      return `edge ${edgeLabel(EDGES[c.edge])} != ${c.op}`;
    case 'has-op':
      return `has ${c.op}`;
    case 'no-op':
      return `no ${c.op}`;
  }
}
