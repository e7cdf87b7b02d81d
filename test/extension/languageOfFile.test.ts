import assert from 'node:assert/strict';
import { test } from 'node:test';
import { languageContributions, likelyLanguagesOf } from '../../src/extension/languageOfFile';

/** Language entries as VS Code's built-in extensions contribute them (python, json, markdown, docker, log). */
const MANIFESTS = [
  { contributes: { languages: [{ id: 'python', extensions: ['.py', '.pyi', '.gyp'], filenames: ['SConstruct'] }] } },
  {
    contributes: {
      languages: [
        { id: 'json', extensions: ['.json', '.webmanifest'], filenames: ['.babelrc'] },
        { id: 'jsonc', extensions: ['.jsonc', '.code-workspace'], filenamePatterns: ['**/.vscode/*.json'] },
      ],
    },
  },
  { contributes: { languages: [{ id: 'markdown', extensions: ['.md', '.markdown'] }] } },
  { contributes: { languages: [{ id: 'dockerfile', filenamePatterns: ['Dockerfile.*'], filenames: ['Dockerfile'] }] } },
  {
    contributes: {
      languages: [
        { id: 'log', extensions: ['.log'] },
        { id: 'other-log', extensions: ['.log'] },
      ],
    },
  },
  // Malformed entries a manifest may hold: skipped, not thrown on.
  { contributes: { languages: [{ extensions: ['.x'] }, null, { id: 7 }] } },
  { contributes: { languages: 'python' } },
  undefined,
];
const contributions = languageContributions(MANIFESTS);

/** A whole-path glob matcher for the test (the extension uses VS Code's): `**\/` any folders, `*` within a name. */
function matchesGlob(glob: string, path: string): boolean {
  const re = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${re}$`).test(path);
}

const languageOf = (path: string, associations: Record<string, unknown> = {}) =>
  likelyLanguagesOf(path, contributions, associations, matchesGlob);

test('contributions: only well-formed entries', () => {
  assert.deepEqual(
    contributions.map((c) => c.id),
    ['python', 'json', 'jsonc', 'markdown', 'dockerfile', 'log', 'other-log'],
  );
});

test('by extension, case-insensitively; the longest extension wins', () => {
  assert.deepEqual(languageOf('/w/search_log.py'), ['python']);
  assert.deepEqual(languageOf('/w/RESULTS.PY'), ['python']);
  assert.deepEqual(languageOf('/w/notes.markdown'), ['markdown']);
  assert.deepEqual(languageOf('/w/app.webmanifest'), ['json']);
});

test('file names beat patterns, patterns beat extensions', () => {
  assert.deepEqual(languageOf('/w/SConstruct'), ['python']);
  assert.deepEqual(languageOf('/w/Dockerfile'), ['dockerfile']);
  assert.deepEqual(languageOf('/w/Dockerfile.gpu'), ['dockerfile']);
  assert.deepEqual(languageOf('/w/.vscode/settings.json'), ['jsonc']);
  assert.deepEqual(languageOf('/w/config/settings.json'), ['json']);
});

test("files.associations comes first: the user's exact name, else the longest pattern; empty values are ignored", () => {
  assert.deepEqual(languageOf('/w/search_log.py', { '*.py': 'plaintext' }), ['plaintext']);
  assert.deepEqual(languageOf('/w/runs/a.txt', { '*.txt': 'log', '**/runs/*.txt': 'csv' }), ['csv']);
  // A pattern with a folder in it is matched against the whole path, as VS Code does.
  assert.deepEqual(languageOf('/w/runs/a.txt', { '*.txt': 'log', 'runs/*.txt': 'csv' }), ['log']);
  assert.deepEqual(languageOf('/w/a.log', { 'a.log': 'markdown', '*.log': 'plaintext' }), ['markdown']);
  assert.deepEqual(languageOf('/w/a.py', { '*.py': '' }), ['python']);
  assert.deepEqual(languageOf('/w/a.py', { '*.py': 3 }), ['python']);
});

test('rules of equal rank that disagree give every candidate; a name that decides nothing gives none', () => {
  assert.deepEqual(languageOf('/w/train.log'), ['log', 'other-log']);
  assert.deepEqual(languageOf('/w/results'), []);
  assert.deepEqual(languageOf('/w/results.unknownext'), []);
});
