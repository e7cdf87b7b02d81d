import { makeCell, type Cell } from './cell';
import { isOpName, OP_NAMES, type OpName } from './ops';
import { closestOpName } from './suggest';

/** What went wrong in an architecture string; stable ids the language server uses as diagnostic codes. */
export type ArchParseErrorKind =
  | 'empty'
  | 'expected-separator'
  | 'empty-edge'
  | 'unknown-op'
  | 'missing-input'
  | 'bad-input'
  | 'wrong-input'
  | 'edge-count'
  | 'node-count';

export interface ArchParseError {
  readonly kind: ArchParseErrorKind;
  /** Offset of the bad token in the parsed text (UTF-16 code units, as editors count). */
  readonly offset: number;
  /** Length of the bad token; 0 where something is missing. */
  readonly length: number;
  /** A complete sentence for the user: what is wrong and what is expected. */
  readonly message: string;
  /** What would be valid here, e.g. `~1`, `|`, or an op name list. */
  readonly expected: string;
  /** For `unknown-op`: the closest valid op name. For `wrong-input`: the input index expected. */
  readonly suggestion?: string;
}

export type ArchParseResult =
  { readonly ok: true; readonly cell: Cell } | { readonly ok: false; readonly errors: readonly ArchParseError[] };

/** Longest text the parser looks at; an architecture string is about 100 characters. */
export const MAX_ARCH_STRING_LENGTH = 4096;

const OP_LIST = OP_NAMES.join(', ');

interface Piece {
  text: string;
  offset: number;
}

function splitWithOffsets(text: string, sep: string, base: number): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === sep) {
      pieces.push({ text: text.slice(start, i), offset: base + start });
      start = i + 1;
    }
  }
  return pieces;
}

function parseEdge(piece: Piece, node: number, position: number, errors: ArchParseError[]): OpName | undefined {
  const { text, offset } = piece;
  if (text.length === 0) {
    errors.push({
      kind: 'empty-edge',
      offset,
      length: 0,
      expected: `<op>~${position}`,
      message: `Node ${node} has an empty edge here; expected an operation and its input, e.g. nor_conv_3x3~${position}.`,
    });
    return undefined;
  }
  const tilde = text.indexOf('~');
  const opText = tilde < 0 ? text : text.slice(0, tilde);
  let op: OpName | undefined;
  if (isOpName(opText)) {
    op = opText;
  } else if (opText.length === 0) {
    errors.push({
      kind: 'unknown-op',
      offset,
      length: 0,
      expected: OP_LIST,
      message: `Missing operation before '~'; expected one of ${OP_LIST}.`,
    });
  } else {
    const suggestion = closestOpName(opText);
    errors.push({
      kind: 'unknown-op',
      offset,
      length: opText.length,
      expected: OP_LIST,
      suggestion,
      message: suggestion
        ? `Unknown operation '${opText}': did you mean '${suggestion}'?`
        : `Unknown operation '${opText}'; expected one of ${OP_LIST}.`,
    });
  }
  if (tilde < 0) {
    errors.push({
      kind: 'missing-input',
      offset: offset + text.length,
      length: 0,
      expected: `~${position}`,
      message: `Missing input node after '${opText}'; expected '~${position}' (edge ${position}->${node}).`,
    });
    return op;
  }
  const inputText = text.slice(tilde + 1);
  const inputOffset = offset + tilde + 1;
  if (!/^\d+$/.test(inputText)) {
    errors.push({
      kind: 'bad-input',
      offset: inputOffset,
      length: inputText.length,
      expected: String(position),
      message:
        inputText.length === 0
          ? `Missing input node after '~'; expected ${position} (edge ${position}->${node}).`
          : `Input node '${inputText}' is not a node number; expected ${position} (edge ${position}->${node}).`,
    });
    return op;
  }
  const input = Number(inputText);
  if (input >= node) {
    errors.push({
      kind: 'bad-input',
      offset: inputOffset,
      length: inputText.length,
      expected: String(position),
      message: `Node ${node} cannot take input from node ${input}: inputs must be earlier nodes (0..${node - 1}); expected ${position} here.`,
    });
  } else if (input !== position) {
    errors.push({
      kind: 'wrong-input',
      offset: inputOffset,
      length: inputText.length,
      expected: String(position),
      suggestion: String(position),
      message: `Edge ${position + 1} of node ${node} must come from node ${position} (~${position}), not ~${input}: NAS-Bench-201 lists inputs in order 0..${node - 1}.`,
    });
  }
  return op;
}

/**
 * Parses a NAS-Bench-201 architecture string such as
 * `|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|`.
 *
 * Never throws and runs in linear time on any input: the language server feeds it arbitrary editor text.
 * On failure every problem found is reported with its offset and length, so several typos show at once.
 */
export function parseArchString(text: string): ArchParseResult {
  const errors: ArchParseError[] = [];
  if (text.length === 0) {
    return {
      ok: false,
      errors: [
        {
          kind: 'empty',
          offset: 0,
          length: 0,
          expected: '|<op>~0|+...',
          message: 'Empty architecture string; expected |<op>~0|+|<op>~0|<op>~1|+|<op>~0|<op>~1|<op>~2|.',
        },
      ],
    };
  }
  if (text.length > MAX_ARCH_STRING_LENGTH) {
    return {
      ok: false,
      errors: [
        {
          kind: 'node-count',
          offset: 0,
          length: text.length,
          expected: 'about 100 characters',
          message: `Text of ${text.length} characters is far too long to be one architecture string.`,
        },
      ],
    };
  }
  const groups = splitWithOffsets(text, '+', 0);
  const ops: (OpName | undefined)[] = [];
  groups.forEach((group, g) => {
    const node = g + 1;
    if (node > 3) {
      if (g === 3) {
        errors.push({
          kind: 'node-count',
          offset: group.offset - 1,
          length: text.length - group.offset + 1,
          expected: 'end of string',
          message: 'A NAS-Bench-201 cell has 3 computed nodes separated by two +; remove the extra node(s).',
        });
      }
      return;
    }
    if (!group.text.startsWith('|')) {
      errors.push({
        kind: 'expected-separator',
        offset: group.offset,
        length: 0,
        expected: '|',
        message: `Expected '|' at the start of node ${node}.`,
      });
    }
    if (!group.text.endsWith('|') || group.text.length < 2) {
      errors.push({
        kind: 'expected-separator',
        offset: group.offset + group.text.length,
        length: 0,
        expected: '|',
        message: `Expected '|' at the end of node ${node}.`,
      });
    }
    const inner = group.text.slice(
      group.text.startsWith('|') ? 1 : 0,
      group.text.endsWith('|') && group.text.length >= 2 ? -1 : undefined,
    );
    const innerOffset = group.offset + (group.text.startsWith('|') ? 1 : 0);
    const edges = inner.length === 0 ? [] : splitWithOffsets(inner, '|', innerOffset);
    edges.forEach((edge, position) => {
      if (position < node) ops.push(parseEdge(edge, node, position, errors));
    });
    if (edges.length !== node) {
      const extra = edges.slice(node);
      const at = extra.length ? extra[0].offset : innerOffset + inner.length;
      const length = extra.length ? innerOffset + inner.length - at : 0;
      const wanted = Array.from({ length: node }, (_, i) => `~${i}`).join(', ');
      errors.push({
        kind: 'edge-count',
        offset: at,
        length,
        expected: wanted,
        message: `Node ${node} must have exactly ${node} incoming edge${node > 1 ? 's' : ''} (${wanted}); found ${edges.length}.`,
      });
      for (let k = edges.length; k < node; k++) ops.push(undefined);
    }
  });
  if (groups.length < 3) {
    errors.push({
      kind: 'node-count',
      offset: text.length,
      length: 0,
      expected: '+|...|',
      message: `A NAS-Bench-201 cell has 3 computed nodes separated by '+'; found ${groups.length}.`,
    });
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.offset - b.offset) };
  return { ok: true, cell: makeCell(ops as OpName[]) };
}
