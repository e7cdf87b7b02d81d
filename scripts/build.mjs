// One esbuild context per entry point (the esbuild-sample layout): node bundles for the CLI, extension,
// language server and NTK worker; browser bundles for the webviews. `--watch` rebuilds, `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every bundle the project ships. `platform: node` bundles are CommonJS (VS Code loads the extension with require). */
const entries = [
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js', platform: 'node' },
  // NTK scorer (issue 5): one worker thread per architecture; embeds wasm/build/kernels.wasm (binary loader).
  {
    entry: 'src/core/ntk/worker/ntkWorker.ts',
    out: 'dist/ntk-worker.js',
    platform: 'node',
    loader: { '.wasm': 'binary' },
  },
  { name: 'cli', entry: 'src/cli/main.ts', out: 'dist/cli.js', platform: 'node', banner: '#!/usr/bin/env node' },
  // Webviews (issue 4): browser bundles; each also emits a .css beside its .js from the CSS it imports.
  { entry: 'webview/diagram/main.ts', out: 'dist/webview/diagram.js', platform: 'browser' },
  { entry: 'webview/charts/main.ts', out: 'dist/webview/charts.js', platform: 'browser' },
  // The comparison view's buttons use the codicon font, emitted beside its stylesheet.
  {
    entry: 'webview/comparison/main.ts',
    out: 'dist/webview/comparison.js',
    platform: 'browser',
    loader: { '.ttf': 'file' },
  },
  // The integration suite that runs inside the VS Code extension host (test/e2e): mocha's runner and the suites.
  // Mocha's parallel mode (never used here) resolves worker files at run time; esbuild warns about those.
  {
    entry: 'test/e2e/integration/index.ts',
    out: 'out/test/integration/index.js',
    platform: 'node',
    quiet: ['require-resolve-not-external'],
  },
  { entry: 'test/e2e/integration/suites.ts', out: 'out/test/integration/suites.js', platform: 'node' },
  { entry: 'src/server/server.ts', out: 'dist/server.js', platform: 'node' },
];

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

function optionsFor(e) {
  const node = e.platform === 'node';
  return {
    ...common,
    entryPoints: [e.entry],
    outfile: e.out,
    platform: e.platform,
    format: node ? 'cjs' : 'iife',
    target: node ? 'node20' : 'chrome120',
    external: node ? ['vscode'] : [],
    banner: e.banner ? { js: e.banner } : undefined,
    loader: e.loader,
    logOverride: Object.fromEntries((e.quiet ?? []).map((id) => [id, 'silent'])),
  };
}

// The WebAssembly kernels must exist before any bundle that embeds them.
await buildWasm();

const missing = entries.filter((e) => !existsSync(join(root, e.entry)));
if (missing.length) {
  console.error(`build: missing entry point(s): ${missing.map((e) => e.entry).join(', ')}`);
  process.exit(1);
}

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context(optionsFor(e));
    await ctx.watch();
  }
  console.log(`build: watching ${entries.length} bundles`);
} else {
  await Promise.all(entries.map((e) => esbuild.build(optionsFor(e))));
}
