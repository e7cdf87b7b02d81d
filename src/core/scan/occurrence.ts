import type { Cell } from '../space/cell';
import type { ArchParseError } from '../space/parse';

/**
 * A piece of document text that contributes to an architecture string. A string written in one piece has one
 * segment; `'|nor_conv_3x3~0|+' '|skip_connect~0|...'` has two: the quotes and blank between them are not part
 * of the string's value, so they are not part of any segment.
 */
export interface TextSegment {
  /** Offset of the segment in the string's value (the concatenation of all segments). */
  readonly valueStart: number;
  /** Offset of the segment in the document. */
  readonly start: number;
  readonly length: number;
}

interface OccurrenceBase {
  /** Document offset of the first character (UTF-16 code units). */
  readonly start: number;
  /** Document offset just past the last character. */
  readonly end: number;
}

/** A well-formed NAS-Bench-201 architecture string. */
export interface ArchStringOccurrence extends OccurrenceBase {
  readonly kind: 'string';
  /** The string's value: its segments joined. */
  readonly value: string;
  readonly segments: readonly TextSegment[];
  readonly cell: Cell;
}

/** Text clearly meant as an architecture string that does not parse; `errors` have offsets into `value`. */
export interface MalformedStringOccurrence extends OccurrenceBase {
  readonly kind: 'malformed-string';
  readonly value: string;
  readonly segments: readonly TextSegment[];
  readonly errors: readonly ArchParseError[];
}

/**
 * A NAS-Bench-201 index in a call or keyword whose meaning is unambiguous (`query_by_index(1234`,
 * `arch_index=1234`, ...). `start`/`end` cover the digits only. The index may be out of range (diagnosed).
 */
export interface ArchIndexOccurrence extends OccurrenceBase {
  readonly kind: 'index';
  readonly index: number;
  /** The call or keyword that marks the number as an index, e.g. `query_by_index` or `arch_index`. */
  readonly context: string;
}

/**
 * A NASLib `op_indices` tuple assigned to a name containing `op_indices`. `start`/`end` cover the brackets.
 * `cell` is undefined when the tuple is not six integers 0..4 (diagnosed).
 */
export interface NaslibTupleOccurrence extends OccurrenceBase {
  readonly kind: 'naslib';
  /** The bracketed text as written, e.g. `(0, 2, 3, 1, 4, 2)`. */
  readonly text: string;
  /** The entries (integers; only lists of integers are taken for op indices). */
  readonly values: readonly number[];
  readonly cell: Cell | undefined;
  /** The name the tuple is assigned to, e.g. `op_indices` or `self.best_op_indices`. */
  readonly name: string;
}

export type ArchOccurrence =
  ArchStringOccurrence | MalformedStringOccurrence | ArchIndexOccurrence | NaslibTupleOccurrence;

/** Maps an offset in a string's value to its document offset (the end of the value maps past the last segment). */
export function documentOffsetOf(segments: readonly TextSegment[], valueOffset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].valueStart <= valueOffset) lo = mid;
    else hi = mid - 1;
  }
  const s = segments[lo];
  return s.start + Math.min(Math.max(valueOffset - s.valueStart, 0), s.length);
}

/** Document range [start, end) of `length` value characters from `valueOffset`; an empty range for length 0. */
export function documentRangeOf(
  segments: readonly TextSegment[],
  valueOffset: number,
  length: number,
): { start: number; end: number } {
  const start = documentOffsetOf(segments, valueOffset);
  if (length <= 0) return { start, end: start };
  // The end is the position after the last character, which belongs to the segment holding that character.
  return { start, end: documentOffsetOf(segments, valueOffset + length - 1) + 1 };
}
