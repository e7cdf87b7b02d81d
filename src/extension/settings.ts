// The ESM build: the package's main (UMD) requires its parts dynamically, which a bundle cannot resolve.
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import * as vscode from 'vscode';
import type { WorkspaceTrustParams } from '../shared/protocol';
import {
  coerceSettings,
  RESTRICTED_SETTING_KEYS,
  withRestrictedValues,
  type RestrictedSettingKey,
  type RestrictedSettingValues,
  type RobustNasSettings,
} from '../shared/settings';

export const SETTINGS_SECTION = 'robustNas';

/**
 * The `robustNas.*` settings as typed values. Read explicitly key by key (VS Code's configuration object exposes
 * dotted keys as nested getters), then coerced: a bad value in settings.json falls back to its default.
 */
export function readSettings(scope?: vscode.ConfigurationScope): RobustNasSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const settings = coerceSettings({
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
  // VS Code already leaves out the workspace's values of restrictedConfigurations in Restricted Mode; this does not
  // depend on it (an older host, a setting listed here but not in package.json would otherwise slip through).
  return vscode.workspace.isTrusted ? settings : withRestrictedValues(settings, userRestrictedValues());
}

/** The user's own values of the restricted settings: user settings, else the defaults; never the workspace's. */
export function userRestrictedValues(): RestrictedSettingValues {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const user = (key: RestrictedSettingKey) => {
    const i = c.inspect(key);
    return i?.globalValue ?? i?.defaultValue;
  };
  const coerced = coerceSettings({ dataPath: user('dataPath'), ntk: { inputs: user('ntk.inputs') } });
  return { dataPath: coerced.dataPath, ntkInputs: coerced.ntk.inputs };
}

/** Workspace trust as the language server must apply it (src/shared/protocol.ts WorkspaceTrustParams). */
export function workspaceTrustParams(): WorkspaceTrustParams {
  return vscode.workspace.isTrusted ? { trusted: true } : { trusted: false, restrictedValues: userRestrictedValues() };
}

/** A restricted setting the untrusted workspace sets, and the value it is not allowed to use. */
export interface IgnoredWorkspaceValue {
  readonly key: `robustNas.${RestrictedSettingKey}`;
  readonly value: unknown;
}

/** Settings files larger than this are not read for the Restricted Mode notice (a settings file is a few KB). */
const MAX_SETTINGS_FILE_BYTES = 1 << 20;

/**
 * The restricted settings an untrusted workspace sets, with their values, to tell the user what is ignored; empty
 * when trusted. VS Code leaves those values out of `getConfiguration` and `inspect` in Restricted Mode, so they are
 * read from the workspace's own settings files (each folder's `.vscode/settings.json`, the `.code-workspace` file's
 * `settings`): only to name them, never to use them.
 */
export async function ignoredWorkspaceValues(): Promise<IgnoredWorkspaceValue[]> {
  if (vscode.workspace.isTrusted) return [];
  const out: IgnoredWorkspaceValue[] = [];
  const add = (settings: unknown) => {
    if (typeof settings !== 'object' || settings === null) return;
    for (const key of RESTRICTED_SETTING_KEYS) {
      const full = `${SETTINGS_SECTION}.${key}` as const;
      const value = Object.prototype.hasOwnProperty.call(settings, full)
        ? (settings as Record<string, unknown>)[full]
        : undefined;
      if (value !== undefined && !out.some((o) => o.key === full && o.value === value)) out.push({ key: full, value });
    }
  };
  const read = async (uri: vscode.Uri): Promise<unknown> => {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type !== vscode.FileType.File || stat.size > MAX_SETTINGS_FILE_BYTES) return undefined;
      return parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], {
        allowTrailingComma: true,
      });
    } catch {
      return undefined; // no settings file: nothing set there
    }
  };
  for (const folder of vscode.workspace.workspaceFolders ?? [])
    add(await read(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme !== 'untitled') add(((await read(file)) as { settings?: unknown } | undefined)?.settings);
  return out;
}

/**
 * A `robustNas` section as the language client answers `workspace/configuration` with it, made safe for an
 * untrusted workspace: the restricted settings replaced by the user's values (see readSettings).
 */
export function trustedSection(name: string | undefined, section: unknown): unknown {
  if (vscode.workspace.isTrusted) return section;
  const values = userRestrictedValues();
  const record = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);
  const fix = (raw: Record<string, unknown>) => ({
    ...raw,
    dataPath: values.dataPath,
    ntk: { ...record(raw.ntk), inputs: values.ntkInputs },
  });
  switch (name) {
    case SETTINGS_SECTION:
      return record(section) ? fix(record(section)!) : section;
    case undefined:
    case '':
      return record(section) && record(record(section)!.robustNas)
        ? { ...record(section), robustNas: fix(record(record(section)!.robustNas)!) }
        : section;
    case `${SETTINGS_SECTION}.dataPath`:
      return values.dataPath;
    case `${SETTINGS_SECTION}.ntk.inputs`:
      return values.ntkInputs;
    case `${SETTINGS_SECTION}.ntk`:
      return record(section) ? { ...record(section), inputs: values.ntkInputs } : section;
    default:
      return section;
  }
}

/**
 * Writes one setting where the user will look for it: the workspace when a folder is open (the dataset and data
 * folder usually belong to a project), the user settings otherwise.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, target);
}

/** True when the change touches `robustNas.<key>` (or any robustNas setting when no key is given). */
export function affects(e: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return e.affectsConfiguration(key ? `${SETTINGS_SECTION}.${key}` : SETTINGS_SECTION);
}
