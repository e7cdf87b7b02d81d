/**
 * The language VS Code will give a file it has not opened yet, from its name alone: what
 * src/extension/readAheadOnOpen.ts needs to know whether the server will be sent the document. VS Code decides it
 * in its languages service (files.associations first, then the languages extensions contribute: exact file names,
 * then file name patterns, then the longest matching extension); there is no API to ask it before the document
 * exists. When the name leaves the choice to VS Code's first-line rules or its plain-text fallback, the answer is
 * "unknown" (an empty list), and the caller then reads ahead only if a file pattern of the selector serves the file
 * whatever its language.
 */

/** What one `contributes.languages` entry of an extension's package.json says about file names. */
export interface LanguageContribution {
  readonly id: string;
  readonly extensions?: readonly string[];
  readonly filenames?: readonly string[];
  readonly filenamePatterns?: readonly string[];
}

/** `contributes.languages` entries of extension manifests (anything else in them is ignored). */
export function languageContributions(manifests: readonly unknown[]): LanguageContribution[] {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const out: LanguageContribution[] = [];
  for (const manifest of manifests) {
    const languages = (manifest as { contributes?: { languages?: unknown } } | undefined)?.contributes?.languages;
    if (!Array.isArray(languages)) continue;
    for (const l of languages as Record<string, unknown>[]) {
      if (typeof l?.id !== 'string') continue;
      out.push({
        id: l.id,
        extensions: strings(l.extensions),
        filenames: strings(l.filenames),
        filenamePatterns: strings(l.filenamePatterns),
      });
    }
  }
  return out;
}

/**
 * The language ids VS Code may give the file at `path` (`/`-separated): one, or several when rules of equal rank
 * disagree (which one VS Code takes then depends on the order extensions registered theirs), or none when the name
 * does not decide. `matchesGlob(glob, path)` is VS Code's glob match of a whole path; a pattern without `/` is
 * matched against the file name, as VS Code matches files.associations and filenamePatterns.
 */
export function likelyLanguagesOf(
  path: string,
  contributions: readonly LanguageContribution[],
  userAssociations: Readonly<Record<string, unknown>>,
  matchesGlob: (glob: string, path: string) => boolean,
): string[] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lowerName = name.toLowerCase();
  const matchesPattern = (pattern: string) => matchesGlob(pattern.includes('/') ? pattern : `**/${pattern}`, path);

  // files.associations: the user's word comes first; an exact file name, else the longest matching pattern.
  const user = Object.entries(userAssociations).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
  );
  const exactUser = user.filter(([pattern]) => pattern.toLowerCase() === lowerName);
  if (exactUser.length) return distinct(exactUser.map(([, id]) => id));
  const userPatterns = user.filter(([pattern]) => matchesPattern(pattern));
  if (userPatterns.length) return longest(userPatterns.map(([pattern, id]) => ({ key: pattern, id })));

  const byName = contributions.filter((c) => c.filenames?.some((f) => f.toLowerCase() === lowerName));
  if (byName.length) return distinct(byName.map((c) => c.id));
  const byPattern = contributions.flatMap((c) =>
    (c.filenamePatterns ?? []).filter(matchesPattern).map((p) => ({ key: p, id: c.id })),
  );
  if (byPattern.length) return longest(byPattern);
  const byExtension = contributions.flatMap((c) =>
    (c.extensions ?? [])
      .filter((e) => e !== '' && lowerName.endsWith(e.toLowerCase()))
      .map((e) => ({ key: e, id: c.id })),
  );
  return byExtension.length ? longest(byExtension) : [];
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The ids of the longest keys (the most specific rule wins in VS Code). */
function longest(matches: readonly { key: string; id: string }[]): string[] {
  const length = Math.max(...matches.map((m) => m.key.length));
  return distinct(matches.filter((m) => m.key.length === length).map((m) => m.id));
}
