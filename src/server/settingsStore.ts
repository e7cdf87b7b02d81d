import { coerceSettings, DEFAULT_SETTINGS, type RobustNasSettings } from '../shared/settings';

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

  constructor(private fetch: FetchSettings | undefined, private readonly log: (message: string) => void) {}

  setFallback(raw: unknown): void {
    this.fallback = coerceSettings(raw);
  }

  enablePull(fetch: FetchSettings): void {
    this.fetch = fetch;
    this.cache.clear();
  }

  /** Settings of a document; `undefined` = the window (global) scope, used for the data path. */
  get(uri: string | undefined): Promise<RobustNasSettings> {
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
