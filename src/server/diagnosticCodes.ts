import type { ArchParseErrorKind } from '../core/space/parse';

/**
 * Stable diagnostic codes (users filter on them, code actions key on them). Syntax errors use the parser's own
 * error kinds (`unknown-op`, `wrong-input`, `expected-separator`, ...) unchanged.
 */
export const DiagnosticCode = {
  /** A well-formed cell that NAS-RobBench-201 evaluates as another member of its isomorphism class. */
  isomorphic: 'isomorphic',
  /** An edge that can be `none` without changing the network (src/core/space/deadEdges.ts). */
  deadEdge: 'dead-edge',
  /** The same cell (same op code) written again in the same document. */
  duplicateCell: 'duplicate-cell',
  /** A number in an index context outside 0..15624. */
  indexOutOfRange: 'index-out-of-range',
  /** An `op_indices` list that is not six integers 0..4. */
  naslibInvalid: 'naslib-invalid',
  /** The file has more findings than are published; this one says how many and which were kept. */
  moreDiagnostics: 'more-diagnostics',
} as const;

export type DiagnosticCodeId = (typeof DiagnosticCode)[keyof typeof DiagnosticCode] | ArchParseErrorKind;

/** `source` of every Robust NAS diagnostic. */
export const DIAGNOSTIC_SOURCE = 'Robust NAS';
