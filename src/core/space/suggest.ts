import { OP_NAMES, type OpName } from './ops';
import { lookupTable } from '../lookupTable';

/**
 * Names people write for NAS-Bench-201 ops in papers and in other code bases (NASLib, DARTS, NAS-Bench-201's own
 * Python classes). A misspelling that normalises to one of these is a confident suggestion.
 */
const ALIASES: Readonly<Record<string, OpName>> = lookupTable({
  zero: 'none',
  zeros: 'none',
  identity: 'skip_connect',
  skip: 'skip_connect',
  skipconnect: 'skip_connect',
  conv1x1: 'nor_conv_1x1',
  conv11: 'nor_conv_1x1',
  reluconvbn1x1: 'nor_conv_1x1',
  conv3x3: 'nor_conv_3x3',
  conv33: 'nor_conv_3x3',
  reluconvbn3x3: 'nor_conv_3x3',
  avgpool: 'avg_pool_3x3',
  avgpool3x3: 'avg_pool_3x3',
  avgpool1x1: 'avg_pool_3x3',
  pool: 'avg_pool_3x3',
});

function normalise(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment), so the commonest
 * typo, `sikp` for `skip`, is as close as one wrong letter. Bounded in work by the short strings it is used on.
 */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  // Three rolling rows of the dynamic programme: the one before last is what a transposition looks back to.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && before[j - 2] + 1 < d)
        d = before[j - 2] + 1;
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

/**
 * The valid op a misspelt name most likely meant (`nor_conv3x3` -> `nor_conv_3x3`, `Identity` -> `skip_connect`),
 * or undefined when nothing is close enough to suggest with confidence.
 */
export function closestOpName(written: string): OpName | undefined {
  const n = normalise(written);
  if (n.length === 0) return undefined;
  for (const op of OP_NAMES) if (normalise(op) === n) return op;
  if (ALIASES[n]) return ALIASES[n];
  let best: OpName | undefined;
  let bestDistance = Infinity;
  for (const op of OP_NAMES) {
    const d = Math.min(
      editDistance(n, normalise(op)),
      ...Object.entries(ALIASES)
        .filter(([, v]) => v === op)
        .map(([k]) => editDistance(n, k)),
    );
    if (d < bestDistance) {
      bestDistance = d;
      best = op;
    }
  }
  // Allow about one edit in three characters: `nor_conv_3x5` and `avg_pol_3x3` are suggested, `relu` is not.
  return bestDistance <= Math.max(1, Math.floor(n.length / 3)) ? best : undefined;
}

/**
 * The op a name denotes exactly: a NAS-Bench-201 op name, or a known alias (`skip`, `conv3x3`, `avg_pool`,
 * `Identity`, ...), ignoring case and punctuation. No fuzzy matching: for places (constraint filters) where a
 * guess would silently change what the user asked for. Use {@link closestOpName} to suggest a correction.
 */
export function opNameFromAlias(written: string): OpName | undefined {
  const n = normalise(written);
  for (const op of OP_NAMES) if (normalise(op) === n) return op;
  return ALIASES[n];
}
