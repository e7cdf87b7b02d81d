import * as vscode from 'vscode';
import { coerceSettings, type RobustNasSettings } from '../shared/settings';

export const SETTINGS_SECTION = 'robustNas';

/**
 * The `robustNas.*` settings as typed values. Read explicitly key by key (VS Code's configuration object exposes
 * dotted keys as nested getters), then coerced: a bad value in settings.json falls back to its default.
 */
export function readSettings(scope?: vscode.ConfigurationScope): RobustNasSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return coerceSettings({
    dataset: c.get('dataset'),
    metric: c.get('metric'),
    inlayHints: { enabled: c.get('inlayHints.enabled') },
    diagnostics: { isomorphismSeverity: c.get('diagnostics.isomorphismSeverity') },
    codeLens: { enabled: c.get('codeLens.enabled') },
    dataPath: c.get('dataPath'),
    languages: c.get('languages'),
    filePatterns: c.get('filePatterns'),
    trace: { server: c.get('trace.server') },
    ntk: {
      size: c.get('ntk.size'),
      channels: c.get('ntk.channels'),
      cellsPerStage: c.get('ntk.cellsPerStage'),
      kernel: c.get('ntk.kernel'),
      variants: c.get('ntk.variants'),
      attack: c.get('ntk.attack'),
      eps: c.get('ntk.eps'),
      inputs: c.get('ntk.inputs'),
      n: c.get('ntk.n'),
      seed: c.get('ntk.seed'),
    },
  });
}

/**
 * Writes one setting where the user will look for it: the workspace when a folder is open (the dataset and data
 * folder usually belong to a project), the user settings otherwise.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, target);
}

/** True when the change touches `robustNas.<key>` (or any robustNas setting when no key is given). */
export function affects(e: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return e.affectsConfiguration(key ? `${SETTINGS_SECTION}.${key}` : SETTINGS_SECTION);
}
