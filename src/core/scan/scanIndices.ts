import type { ArchIndexOccurrence } from './occurrence';

/**
 * Calls of the NAS-Bench-201 Python API (`nas_201_api`, Dong & Yang 2020) whose first argument is an architecture
 * index. `api.arch(i)` and `api[i]` are left out on purpose: the names are too generic to be sure.
 */
export const INDEX_CALLS = [
  'query_by_index',
  'query_meta_info_by_index',
  'get_net_config',
  'get_more_info',
  'get_cost_info',
  'get_net_param',
] as const;

/** Names that mark a keyword argument, assignment, YAML or JSON key as an architecture index. */
export const INDEX_KEYWORDS = ['arch_index', 'architecture_index', 'arch_idx', 'arch_id', 'architecture_id'] as const;

// One pass over the text. The call form needs `(`, the keyword form `=` (not `==`) or `:`; the number may be quoted
// (`architecture_id='1234'`) and must not continue as a longer number, a float or an identifier.
const INDEX_PATTERN = new RegExp(
  `\\b(?:(${INDEX_CALLS.join('|')})\\s*\\(\\s*|(${INDEX_KEYWORDS.join('|')})["']?[ \\t]*(?:=(?!=)|:)[ \\t]*)(["']?)(\\d{1,7})(?![\\w.])\\3`,
  'g',
);

/** NAS-Bench-201 indices in the unambiguous contexts above, in document order. */
export function scanArchIndices(text: string): ArchIndexOccurrence[] {
  const found: ArchIndexOccurrence[] = [];
  INDEX_PATTERN.lastIndex = 0;
  for (let m = INDEX_PATTERN.exec(text); m !== null; m = INDEX_PATTERN.exec(text)) {
    const digits = m[4];
    const end = m.index + m[0].length - m[3].length;
    const start = end - digits.length;
    found.push({ kind: 'index', start, end, index: Number(digits), context: m[1] ?? m[2] });
  }
  return found;
}
