import type { WorkspaceTrustParams } from '../shared/protocol';
import {
  coerceSettings,
  DEFAULT_SETTINGS,
  withRestrictedValues,
  type RestrictedSettingValues,
  type RobustNasSettings,
} from '../shared/settings';

/** Asks the client for the raw `robustNas` section of one resource (undefined = window scope). */
export type FetchSettings = (scopeUri: string | undefined) => Promise<unknown>;

/**
 * How long a request waits for the client's `workspace/configuration` answer before it goes on with the fallback.
 * A client that never answers (issue 10: hovers then waited forever) costs each feature this much once; a busy one
 * that answers late still gets its settings applied (see `onLateAnswer`).
 */
export const SETTINGS_ANSWER_TIMEOUT_MS = 2000;

export interface SettingsStoreOptions {
  /** Called when the client's answer arrives after the timeout and replaced the fallback; re-publish what depends on it. */
  readonly onLateAnswer?: (uri: string | undefined) => void;
  readonly timeoutMs?: number;
}

/**
 * Settings per document, pulled from the client with `workspace/configuration` and cached until the next
 * `workspace/didChangeConfiguration` (the lsp-sample pattern): folder and language overrides apply per document,
 * and nothing is read from globals. Without the client capability every document gets `fallback` (the
 * initialization options, coerced, or the defaults). Nothing waits on the client for longer than the timeout: an
 * unanswered pull resolves with the fallback, and once the client has missed one answer later pulls do not wait at
 * all until it answers again (each answer, however late, replaces the fallback in the cache).
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<RobustNasSettings>>();
  private fallback: RobustNasSettings = DEFAULT_SETTINGS;
  /** While the workspace is untrusted: the user's values of the restricted settings, which replace any answer's. */
  private restricted: RestrictedSettingValues | undefined;
  /** The client missed an answer and has not answered since: do not make requests wait for it. */
  private unresponsive = false;
  private readonly timeoutMs: number;

  constructor(
    private fetch: FetchSettings | undefined,
    private readonly log: (message: string) => void,
    private readonly options: SettingsStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? SETTINGS_ANSWER_TIMEOUT_MS;
  }

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
    this.restricted =
      params && !params.trusted
        ? (params.restrictedValues ?? { dataPath: DEFAULT_SETTINGS.dataPath, ntkInputs: DEFAULT_SETTINGS.ntk.inputs })
        : undefined;
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
      p = this.fetch ? this.pull(this.fetch, uri, key) : Promise.resolve(this.fallback);
      this.cache.set(key, p);
    }
    return p;
  }

  private pull(fetch: FetchSettings, uri: string | undefined, key: string): Promise<RobustNasSettings> {
    const where = uri ?? 'the window';
    let settled = false;
    let resolveEarly: (s: RobustNasSettings) => void = () => undefined;
    const answer = new Promise<RobustNasSettings>((resolve) => {
      resolveEarly = resolve;
    });
    const timer = setTimeout(
      () => {
        if (settled) return;
        settled = true;
        if (!this.unresponsive)
          this.log(
            `The client did not answer workspace/configuration for ${where} within ${this.timeoutMs} ms; using the defaults until it does.`,
          );
        this.unresponsive = true;
        resolveEarly(this.fallback);
      },
      this.unresponsive ? 0 : this.timeoutMs,
    );
    timer.unref?.();
    fetch(uri).then(
      (raw) => {
        clearTimeout(timer);
        this.unresponsive = false;
        const value = raw === null || raw === undefined ? this.fallback : coerceSettings(raw);
        if (!settled) {
          settled = true;
          resolveEarly(value);
        } else if (this.cache.get(key) === answer) {
          // A late answer: later requests get the real settings, and what was computed with the fallback is redone.
          this.cache.set(key, Promise.resolve(value));
          this.options.onLateAnswer?.(uri);
        }
      },
      (e: unknown) => {
        clearTimeout(timer);
        this.log(
          `Could not read settings for ${where}: ${e instanceof Error ? e.message : String(e)}; using defaults.`,
        );
        if (this.cache.get(key) === answer) this.cache.delete(key);
        if (!settled) {
          settled = true;
          resolveEarly(this.fallback);
        }
      },
    );
    return answer;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
