// Headless Chromium driven by playwright-core: the browser half of the VS Code server set-up. Playwright's own
// browser downloads are unreachable here; the browser is Debian's chromium (installed before the tests by
// scripts/system-packages.ts), ROBUST_NAS_CHROMIUM, or an installed Chrome (findChromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumExecutable } from '../system-packages';
import { isolatedEnv } from './server';

/** Launches headless Chromium whose profile, home and temp files live under `baseDir`. */
export async function launchChromium(baseDir: string): Promise<Browser> {
  const executablePath = chromiumExecutable();
  const dir = join(baseDir, 'chromium');
  mkdirSync(dir, { recursive: true });
  return chromium.launch({
    executablePath,
    env: isolatedEnv(dir),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Opens the workbench at `url` in a new page and waits until the editor area is laid out. */
export async function openWorkbench(
  browser: Browser,
  url: string,
  { width = 1400, height = 900, timeoutMs = 60_000 } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(url, { timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  return page;
}
