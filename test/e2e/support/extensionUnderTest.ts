import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/vscode-server/install';
import { packageVsix } from './packageVsix';

export interface ExtensionUnderTest {
  /** The packaged extension to install into the server, in the default mode. */
  vsix?: string;
  /**
   * What the workbench URL names as extensionDevelopmentPath. VS Code runs an extensionTestsPath suite only when a
   * development path is given too; in VSIX mode it is the suite's own folder, which holds no extension manifest, so
   * the extension that runs is the installed one.
   */
  extensionDevelopmentPath: string;
  mode: 'vsix' | 'dev';
}

/**
 * The extension the end-to-end suites test. By default the VSIX `npm run package` builds, installed into the
 * server, so what ships is what is tested. `ROBUST_NAS_E2E_MODE=dev` loads the working tree as a development
 * extension instead (as `npm start` does): quicker while writing tests, and it skips packaging.
 */
export function extensionUnderTest(workDir: string, suiteDir: string): ExtensionUnderTest {
  // TRANSITIONAL until the extension entry point lands on main: without it there is nothing to package.
  const noExtensionYet = !existsSync(join(projectRoot, 'src', 'extension', 'extension.ts'));
  const mode = process.env.ROBUST_NAS_E2E_MODE === 'dev' || noExtensionYet ? 'dev' : 'vsix';
  if (mode === 'dev') return { mode, extensionDevelopmentPath: projectRoot };
  return { mode, vsix: packageVsix(workDir), extensionDevelopmentPath: suiteDir };
}
