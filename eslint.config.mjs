// Lint rules that also enforce the project's one-way dependency direction:
// core <- shared <- server / extension; cli imports only core; webview imports only shared message types.
import tseslint from 'typescript-eslint';

const editorPackages = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageclient',
  'vscode-languageclient/*',
  'vscode-languageserver-protocol',
  'vscode-jsonrpc',
  'vscode-jsonrpc/*',
  'vscode-languageserver-textdocument',
];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-output/**',
      '.cache/**',
      'wasm/build/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [...editorPackages, '**/shared/**', '**/server/**', '**/extension/**', '**/cli/**', '**/webview/**'],
      'src/core is pure: it must not import vscode, LSP packages, or any layer above it.',
    ),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', '**/server/**', '**/extension/**', '**/cli/**'],
      'src/shared holds contracts only: it may use core and protocol types, never vscode or a layer above it.',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      [...editorPackages, '**/shared/**', '**/server/**', '**/extension/**', '**/webview/**'],
      'The CLI imports only the core.',
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: restrict(
      ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', '**/extension/**', '**/cli/**', '**/webview/**'],
      'The language server must not import vscode, the extension, the CLI or webview code.',
    ),
  },
  {
    files: ['webview/**/*.ts'],
    rules: restrict(
      [
        ...editorPackages,
        'node:*',
        'fs',
        'path',
        'os',
        'child_process',
        '**/core/**',
        '**/server/**',
        '**/extension/**',
        '**/cli/**',
      ],
      'Webview code runs in the browser: it imports only src/shared message types and browser libraries.',
    ),
  },
);
