import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumExecutable } from '../../scripts/system-packages';
import { webviewHtml } from '../../src/extension/panels/webviewHtml';
import { THEME_VARIABLES, type TestTheme } from './themes';

/**
 * Loads a built webview bundle in headless Chromium the way VS Code does: the same HTML shell and CSP, assets
 * served from one origin standing in for `webview.cspSource`, a stub `acquireVsCodeApi` that records what the page
 * posts and saves, and VS Code's theme variables on <html>. Content Security Policy violations and page errors are
 * collected so tests can assert there are none.
 */

export const ROOT = join(__dirname, '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'webview');
const ORIGIN = 'https://webview.robust-nas.test';

/** Headless Chromium (scripts/test.mjs installs Debian's before any test runs; see scripts/system-packages.ts). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted to the extension, oldest first. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** Waits until the webview has posted a message of this type (count-th occurrence, default the first). */
  waitForPosted(type: string, count?: number): Promise<{ type: string; [k: string]: unknown }>;
  /** Delivers a host message to the webview, as `webview.postMessage` does. */
  send(message: unknown): Promise<void>;
  savedState(): Promise<unknown>;
  problems(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html',
};

export async function openWebview(
  browser: Browser,
  bundle: string,
  options: { theme: TestTheme; width?: number; height?: number; savedState?: unknown },
): Promise<WebviewPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const html = webviewHtml({
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/dist/webview/${bundle}.js`,
    styleUri: `${ORIGIN}/dist/webview/${bundle}.css`,
    title: bundle,
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    if (!path.startsWith('/dist/webview/')) return route.fulfill({ status: 404, body: 'outside localResourceRoots' });
    try {
      const body = readFileSync(join(ROOT, path));
      return route.fulfill({ status: 200, contentType: MIME[extname(path)] ?? 'application/octet-stream', body });
    } catch {
      return route.fulfill({ status: 404, body: 'not built' });
    }
  });
  // Anything else would be remote content: block it and let the test see it in problems().
  await page.route(
    (url) => !url.href.startsWith(ORIGIN) && !url.protocol.startsWith('data') && !url.protocol.startsWith('blob'),
    (route) => route.abort(),
  );
  const theme = THEME_VARIABLES[options.theme];
  // A string, not a function: the test runner's transpiler would add helpers the page does not have.
  await page.addInitScript(`(() => {
    const vars = ${JSON.stringify(theme.vars)};
    const posted = [];
    const problems = [];
    window.__posted = posted;
    window.__problems = problems;
    window.__state = ${JSON.stringify(options.savedState ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
    document.addEventListener('securitypolicyviolation', (e) => problems.push('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));
    const apply = () => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add(${JSON.stringify(theme.bodyClass)});
    };
    if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply);
  })();`);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console error: ${m.text()}`);
  });
  await page.goto(`${ORIGIN}/index.html`);
  const posted = () =>
    page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted) as Promise<
      { type: string; [k: string]: unknown }[]
    >;
  return {
    page,
    posted,
    async waitForPosted(type, count = 1) {
      await page.waitForFunction(
        ([t, c]) =>
          (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === t).length >=
          (c as number),
        [type, count] as const,
      );
      const all = (await posted()).filter((m) => m.type === type);
      return all[count - 1];
    },
    async send(message) {
      await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m })), message);
    },
    savedState: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    async problems() {
      const inPage = await page.evaluate(() => (window as unknown as { __problems: string[] }).__problems);
      return [...inPage, ...pageErrors];
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `${name}-${options.theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}
