import type { WorkspaceTrustParams } from '../shared/protocol';
import { coerceSettings, DEFAULT_SETTINGS, withRestrictedValues, type RestrictedSettingValues, type RobustNasSettings } from '../shared/settings';

/** Asks the client for the raw `robustNas` section of one resource (undefined = window scope). */
export type FetchSettings = (scopeUri: string | undefined) => Promise<unknown>;

/**
 * Settings per document, pulled from the client with `workspace/configuration` and cached until the next
 * `workspace/didChangeConfiguration` (the lsp-sample pattern): folder and language overrides apply per document,
 * and nothing is read from globals. Without the client capability every document gets `fallback` (the
 * initialization options, coerced, or the defaults).
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<RobustNasSettings>>();
  private fallback: RobustNasSettings = DEFAULT_SETTINGS;
  /** While the workspace is untrusted: the user's values of the restricted settings, which replace any answer's. */
  private restricted: RestrictedSettingValues | undefined;

  constructor(private fetch: FetchSettings | undefined, private readonly log: (message: string) => void) {}

  setFallback(raw: unknown): void {
    this.fallback = coerceSettings(raw);
  }

  enablePull(fetch: FetchSettings): void {
    this.fetch = fetch;
    this.cache.clear();
  }

  /**
   * Workspace trust: untrusted, the restricted settings (folders that are read) take the user's values given here,
   * whatever a configuration answer holds, so a repository's settings cannot point the server at files.
   */
  setWorkspaceTrust(params: WorkspaceTrustParams | undefined): void {
    this.restricted = params && !params.trusted ? params.restrictedValues ?? { dataPath: DEFAULT_SETTINGS.dataPath, ntkInputs: DEFAULT_SETTINGS.ntk.inputs } : undefined;
  }

  get workspaceTrusted(): boolean {
    return this.restricted === undefined;
  }

  /** Settings of a document; `undefined` = the window (global) scope, used for the data path. */
  get(uri: string | undefined): Promise<RobustNasSettings> {
    return this.pulled(uri).then((s) => (this.restricted ? withRestrictedValues(s, this.restricted) : s));
  }

  private pulled(uri: string | undefined): Promise<RobustNasSettings> {
    const key = uri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      const fetch = this.fetch;
      p = fetch
        ? fetch(uri).then(
          (raw) => (raw === null || raw === undefined ? this.fallback : coerceSettings(raw)),
          (e: unknown) => {
            this.log(`Could not read settings for ${uri ?? 'the window'}: ${e instanceof Error ? e.message : String(e)}; using defaults.`);
            this.cache.delete(key);
            return this.fallback;
          },
        )
        : Promise.resolve(this.fallback);
      this.cache.set(key, p);
    }
    return p;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
