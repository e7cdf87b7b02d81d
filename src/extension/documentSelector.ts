import type { RobustNasSettings } from '../shared/settings';

/**
 * Document schemes the server reads: files on disk, unsaved editors and notebook cells. Not `output`: the log
 * channels are documents too (language `log`), and the server must not scan its own log.
 */
export const SERVED_SCHEMES = ['file', 'untitled', 'vscode-notebook-cell'] as const;

export type DocumentFilter =
  { readonly language: string; readonly scheme: string } | { readonly pattern: string; readonly scheme: string };

/** The language client's document selector from `robustNas.languages` and `robustNas.filePatterns`. */
export function documentSelector(settings: Pick<RobustNasSettings, 'languages' | 'filePatterns'>): DocumentFilter[] {
  const byLanguage = settings.languages.flatMap((language) => SERVED_SCHEMES.map((scheme) => ({ language, scheme })));
  const byPattern = settings.filePatterns.map((pattern) => ({ pattern, scheme: 'file' }));
  return [...byLanguage, ...byPattern];
}
