// @vscode/test-cli configuration: the same integration suite the project's own runner starts inside code-server
// (test/e2e/integration.test.ts), run by `npx vscode-test` in desktop VS Code on machines that can download it.
// @vscode/test-cli and @vscode/test-electron need Node >= 22, so they are not dependencies of this project: install
// them where you run this (`npm i -D @vscode/test-cli @vscode/test-electron`), `npm run build`, then `npx vscode-test`.
// The config is a plain object (what test-cli's `defineConfig` returns), so this file needs no import.

/** @type {import('@vscode/test-cli').TestConfiguration[]} */
export default [
  {
    label: 'integration',
    // Bundled by scripts/build.mjs from test/e2e/integration/suites.ts; mocha provides the tdd globals.
    files: 'out/test/integration/suites.js',
    version: '1.100.3',
    extensionDevelopmentPath: '.',
    // The suite edits documents in memory only and reverts them, so the checked-in fixture stays unchanged.
    workspaceFolder: './test/fixtures/demo',
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    mocha: { ui: 'tdd', timeout: 60_000 },
  },
];
