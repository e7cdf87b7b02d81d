// One workbench session of a UI suite: a copy of the demo workspace, a private code-server with the extension under
// test (the packaged VSIX by default) and the shared data as robustNas.dataPath, headless Chromium at the issue's
// 1600x1000, and the clean-up. Every ui-*.test.ts starts its session here, so they differ only in what they check.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../../../scripts/vscode-server/browser';
import { ensureCodeServer, projectRoot } from '../../../scripts/vscode-server/install';
import {
  logFiles,
  startCodeServer,
  type RunningServer,
  type StartOptions,
} from '../../../scripts/vscode-server/server';
import { copyDemoWorkspace } from './demoWorkspace';
import { extensionUnderTest } from './extensionUnderTest';
import { packageVsix } from './packageVsix';
import { sharedDataDir } from './sharedData';
import { screenshot, screenshotDir } from './workbench';

export interface UiSessionOptions {
  /** Names the temporary folder. */
  readonly name: string;
  /** User settings over the defaults; `robustNas.dataPath` is the shared copy unless `withData` is false. */
  readonly userSettings?: Record<string, unknown>;
  /** False: start without any benchmark data setting (the no-data path). */
  readonly withData?: boolean;
  /** Always test the packaged VSIX, even with ROBUST_NAS_E2E_MODE=dev (a development extension finds ../shared). */
  readonly packaged?: boolean;
  /** Prepares the workspace copy before the workbench opens it (e.g. a .vscode/settings.json). */
  readonly prepareWorkspace?: (workspace: string) => void;
  readonly env?: StartOptions['env'];
  readonly workspaceTrust?: boolean;
}

export interface UiSession {
  readonly work: string;
  readonly workspace: string;
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openUiSession(options: UiSessionOptions): Promise<UiSession> {
  ensureCodeServer();
  const work = mkdtempSync(join(tmpdir(), `robust-nas-ui-${options.name}-`));
  const workspace = copyDemoWorkspace();
  options.prepareWorkspace?.(workspace);
  const target = options.packaged
    ? { mode: 'vsix' as const, vsix: packageVsix(work), extensionDevelopmentPath: undefined }
    : extensionUnderTest(work, join(projectRoot, 'out', 'test', 'integration'));
  const dataSetting = options.withData === false ? {} : { 'robustNas.dataPath': sharedDataDir() };
  // The same folder in ROBUST_NAS_DATA, which the extension and the server read when no robustNas.dataPath is set.
  // robustNas.dataPath is machine-overridable, and a remote window (code-server's) takes such settings from the
  // remote user settings, not from the local ones it parses under LOCAL_MACHINE_SCOPES (VS Code's
  // workbench/services/configuration). An extension host that started before the workbench had them saw no
  // robustNas.dataPath, and no change event followed (2 of 3 fresh-machine runs on 2026-12-03, one at a first
  // start, one after a window reload; logs of a run show the resource-scoped robustNas.ntk.* user settings applied).
  const dataEnv: Record<string, string> = options.withData === false ? {} : { ROBUST_NAS_DATA: sharedDataDir() };
  const server = await startCodeServer({
    vsix: target.vsix,
    env: { ...dataEnv, ...options.env },
    workspaceTrust: options.workspaceTrust,
    userSettings: { ...dataSetting, ...options.userSettings },
  });
  const browser = await launchChromium(server.baseDir);
  const page = await openWorkbench(
    browser,
    server.workbenchUrl({
      folder: workspace,
      // In VSIX mode the installed extension runs; in dev mode, the working tree.
      extensionDevelopmentPath: target.mode === 'dev' ? target.extensionDevelopmentPath : undefined,
    }),
    { width: 1600, height: 1000 },
  );
  return {
    work,
    workspace,
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
      rmSync(work, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/**
 * A test that, when it fails, saves a screenshot of the window (test-output/e2e/failed-<prefix>-<title>.png) and
 * the workbench's logs (failed-<prefix>-<title>-logs/: the extension hosts' logs, the Robust NAS output channel
 * among them), to see what went wrong. `session` is read when the step runs (it opens in a `before` hook).
 */
export function stepWithScreenshot(session: () => UiSession | undefined, prefix: string) {
  return (title: string, fn: () => Promise<void>): void => {
    test(title, async () => {
      try {
        await fn();
      } catch (e) {
        const s = session();
        const name = `failed-${prefix}-${title.replace(/\W+/g, '-').slice(0, 60)}`;
        if (s) {
          await screenshot(s.page, name).catch(() => undefined);
          const logs = join(s.server.userDataDir, 'logs');
          if (existsSync(logs)) {
            cpSync(logs, join(screenshotDir, `${name}-logs`), { recursive: true });
            // CI keeps only what is printed: the extension's own log, of every extension host the session had.
            for (const f of logFiles(logs).filter((f) => f.endsWith(`${sep}Robust NAS.log`)))
              console.error(`--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`);
          }
        }
        throw e;
      }
    });
  };
}
