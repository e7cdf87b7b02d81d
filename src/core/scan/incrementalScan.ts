import type { ArchOccurrence, ArchStringOccurrence, MalformedStringOccurrence } from './occurrence';
import {
  ArchStringScanner,
  SCAN_STEP,
  SCANNER_LOOKAHEAD,
  SCANNER_LOOKBEHIND,
  type ScannerState,
} from './scanArchStrings';
import { withIndicesAndTuples } from './scanArchitectures';

type StringOccurrence = ArchStringOccurrence | MalformedStringOccurrence;

/** The string scanner's state after `advance(limit)` returned, and how many strings it had found by then. */
export interface ScanCheckpoint extends ScannerState {
  readonly limit: number;
  readonly count: number;
}

/**
 * A scan of one text that a scan of an edited copy can start from: the strings found, and the scanner's state every
 * {@link SCAN_STEP} characters. The index and tuple passes are single regex sweeps (a few milliseconds for 4 MB) and
 * are redone on each version; the string pass is most of the work, and only the stretch around an edit is redone.
 */
export interface ResumableScan {
  readonly text: string;
  readonly strings: readonly StringOccurrence[];
  readonly checkpoints: readonly ScanCheckpoint[];
  /** Everything found: the strings, indices and NASLib tuples, as scanArchitectures returns them. */
  readonly occurrences: readonly ArchOccurrence[];
}

/**
 * The scan of `text` as a generator: it yields after every `stepsPerYield` steps of `step` characters, so a caller
 * can spread it over event-loop turns, and returns the same occurrences as scanArchitectures(text). (Tests use
 * small steps to put many checkpoints into small texts.)
 */
export function* resumableScan(
  text: string,
  stepsPerYield = 4,
  step = SCAN_STEP,
): Generator<void, ResumableScan, void> {
  const scanner = new ArchStringScanner(text);
  const checkpoints: ScanCheckpoint[] = [];
  for (let steps = 1; ; steps++) {
    const limit = scanner.position + step;
    if (scanner.advance(limit)) break;
    checkpoints.push({ limit, ...scanner.state, count: scanner.found.length });
    if (steps % stepsPerYield === 0) yield;
  }
  return { text, strings: scanner.found, checkpoints, occurrences: withIndicesAndTuples(text, scanner.found) };
}

/**
 * The scan of `text`, an edited copy of `previous.text`, with the same result as a fresh scan (a differential test
 * checks this on random edits) but scanning only the stretch the edit can change:
 *
 * - Where the texts differ: the common prefix and suffix, compared in blocks.
 * - Before the edit, the previous scan holds: resume from its last checkpoint whose scanner had read nothing of the
 *   edited stretch (a checkpoint at `pos` has read at most SCANNER_LOOKAHEAD characters beyond it).
 * - After the edit, scan in the previous scan's steps until the scanner is in the state the previous scan was in at
 *   the same place (shifted by the change in length) at a point whose reads (SCANNER_LOOKBEHIND back) lie wholly in
 *   the unchanged suffix: from there on both scans read the same characters, so the rest of the previous scan holds
 *   (shifted). If they never meet, the scan simply runs to the end.
 *
 * A run of back-to-back characters longer than a step (a megabyte line without spaces or quotes) just delays the
 * meeting point; the result is the same.
 */
export function rescan(previous: ResumableScan, text: string): ResumableScan;
/** As above, or undefined when more than `maxChanged` characters differ (the caller then scans afresh in steps). */
export function rescan(previous: ResumableScan, text: string, maxChanged: number): ResumableScan | undefined;
export function rescan(previous: ResumableScan, text: string, maxChanged = Infinity): ResumableScan | undefined {
  const old = previous.text;
  if (old === text) return previous;
  const prefix = commonPrefixLength(old, text);
  const suffix = commonSuffixLength(old, text, Math.min(old.length, text.length) - prefix);
  if (Math.max(old.length, text.length) - prefix - suffix > maxChanged) return undefined;
  const oldEditEnd = old.length - suffix;
  const delta = text.length - old.length;

  // Resume before the edit.
  let resumeAt = -1;
  for (let k = previous.checkpoints.length - 1; k >= 0; k--) {
    if (previous.checkpoints[k].pos + SCANNER_LOOKAHEAD <= prefix) {
      resumeAt = k;
      break;
    }
  }
  const from = resumeAt >= 0 ? previous.checkpoints[resumeAt] : undefined;
  const scanner = new ArchStringScanner(
    text,
    from && { pos: from.pos, lastEnd: from.lastEnd, found: previous.strings.slice(0, from.count) },
  );
  const checkpoints: ScanCheckpoint[] = previous.checkpoints.slice(0, resumeAt + 1);
  const firstNew = scanner.found.length;

  // Scan through the edit, in the previous scan's steps once past it, until the two scans meet.
  let k = resumeAt + 1;
  for (;;) {
    while (k < previous.checkpoints.length && previous.checkpoints[k].limit + delta <= scanner.position) k++;
    const target = k < previous.checkpoints.length ? previous.checkpoints[k] : undefined;
    const limit =
      target && target.limit + delta > scanner.position ? target.limit + delta : scanner.position + SCAN_STEP;
    const done = scanner.advance(limit);
    const state = scanner.state;
    if (done) {
      detachNew(scanner.found, firstNew);
      return { text, strings: scanner.found, checkpoints, occurrences: withIndicesAndTuples(text, scanner.found) };
    }
    checkpoints.push({ limit, ...state, count: scanner.found.length });
    if (
      target &&
      limit === target.limit + delta &&
      target.pos - SCANNER_LOOKBEHIND >= oldEditEnd &&
      sameState(state, target, delta)
    ) {
      // Met: the rest of the previous scan, shifted.
      detachNew(scanner.found, firstNew);
      const found = scanner.found;
      const countBefore = found.length;
      for (let i = target.count; i < previous.strings.length; i++)
        found.push(shiftedString(previous.strings[i], delta));
      for (let j = k + 1; j < previous.checkpoints.length; j++) {
        const c = previous.checkpoints[j];
        checkpoints.push({
          limit: c.limit + delta,
          pos: c.pos + delta,
          lastEnd: c.lastEnd + delta,
          count: c.count - target.count + countBefore,
        });
      }
      return { text, strings: found, checkpoints, occurrences: withIndicesAndTuples(text, found) };
    }
  }
}

/**
 * True when a scanner in state `a` continues exactly as one in state `b` shifted by `delta`: same position, and the
 * end of the last run either the same or too far back to matter (rule 1 looks at most 64 characters back from a `|`).
 */
function sameState(a: ScannerState, b: ScannerState, delta: number): boolean {
  if (a.pos !== b.pos + delta) return false;
  const reach = a.pos - 64;
  return Math.max(a.lastEnd, reach) === Math.max(b.lastEnd + delta, reach);
}

const BLOCK = 4096;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Blocks first: comparing two substrings is a memory compare in the engine, far quicker than a character loop.
  while (i + BLOCK <= n && a.substring(i, i + BLOCK) === b.substring(i, i + BLOCK)) i += BLOCK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix of `a` and `b`, at most `max` (so it never overlaps the common prefix). */
function commonSuffixLength(a: string, b: string, max: number): number {
  let i = 0;
  while (
    i + BLOCK <= max &&
    a.substring(a.length - i - BLOCK, a.length - i) === b.substring(b.length - i - BLOCK, b.length - i)
  )
    i += BLOCK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/**
 * `o` moved by `delta` characters. Object literals of a fixed shape rather than spreads: this runs for every string
 * after an edit (tens of thousands in a large file), and spreading was most of a rescan's time.
 */
function shiftedString(o: StringOccurrence, delta: number): StringOccurrence {
  if (delta === 0) return o;
  const segments =
    o.segments.length === 1
      ? [{ valueStart: o.segments[0].valueStart, start: o.segments[0].start + delta, length: o.segments[0].length }]
      : o.segments.map((g) => ({ valueStart: g.valueStart, start: g.start + delta, length: g.length }));
  return o.kind === 'string'
    ? { kind: 'string', start: o.start + delta, end: o.end + delta, value: o.value, segments, cell: o.cell }
    : {
        kind: 'malformed-string',
        start: o.start + delta,
        end: o.end + delta,
        value: o.value,
        segments,
        errors: o.errors,
      };
}

/**
 * A copy of `s` that does not share the text it was cut from. V8 represents a substring of 13 or more characters
 * as a view into its parent string, so an occurrence's value keeps the whole document version it was found in
 * alive. Occurrences carried over from scan to scan would otherwise keep one document version per edit alive.
 * Concatenating makes a new flat string when the slice is taken from it.
 */
function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** Detaches the strings of the occurrences found from `first` on (those found in the current text, see above). */
function detachNew(found: StringOccurrence[], first: number): void {
  for (let i = first; i < found.length; i++) {
    const o = found[i];
    found[i] =
      o.kind === 'string'
        ? { ...o, value: detached(o.value) }
        : {
            ...o,
            value: detached(o.value),
            errors: o.errors.map((e) => ({
              ...e,
              message: detached(e.message),
              expected: detached(e.expected),
              ...(e.suggestion === undefined ? {} : { suggestion: detached(e.suggestion) }),
            })),
          };
  }
}
