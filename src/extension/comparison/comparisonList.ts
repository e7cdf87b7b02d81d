import { formatArchString } from '../../core/space/cell';
import { parseArchString } from '../../core/space/parse';

/**
 * The pinned architectures of the Comparison view as a plain ordered list of canonical architecture strings.
 * Pure functions (no `vscode`), so ordering rules are unit-tested; `ComparisonStore` persists the result.
 */

export type ComparisonEdit = { readonly list: readonly string[]; readonly changed: boolean };

/**
 * The canonical form of an architecture string, or an error sentence. Pinning stores the canonical form so that
 * the same cell written with different spacing or quoting is pinned once.
 */
export function canonicalArchString(text: string): { ok: true; archString: string } | { ok: false; message: string } {
  const parsed = parseArchString(text.trim());
  if (!parsed.ok) return { ok: false, message: parsed.errors[0].message };
  return { ok: true, archString: formatArchString(parsed.cell) };
}

/** Appends `archString` unless it is already pinned (then the list is unchanged). */
export function addPinned(list: readonly string[], archString: string): ComparisonEdit {
  if (list.includes(archString)) return { list, changed: false };
  return { list: [...list, archString], changed: true };
}

export function removePinned(list: readonly string[], archString: string): ComparisonEdit {
  if (!list.includes(archString)) return { list, changed: false };
  return { list: list.filter((a) => a !== archString), changed: true };
}

/** Moves `archString` by `delta` places (negative = up), clamped to the list; unchanged at the ends. */
export function movePinned(list: readonly string[], archString: string, delta: number): ComparisonEdit {
  const from = list.indexOf(archString);
  if (from < 0) return { list, changed: false };
  const to = Math.max(0, Math.min(list.length - 1, from + Math.trunc(delta)));
  if (to === from) return { list, changed: false };
  const next = [...list];
  next.splice(from, 1);
  next.splice(to, 0, archString);
  return { list: next, changed: true };
}

/**
 * What was persisted, made safe: non-strings and unparsable strings (a hand-edited or older state) are dropped,
 * the rest canonicalised and de-duplicated, order kept.
 */
export function restorePinned(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    const c = canonicalArchString(item);
    if (c.ok && !out.includes(c.archString)) out.push(c.archString);
  }
  return out;
}
