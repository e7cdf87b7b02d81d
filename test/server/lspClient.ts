import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DataStatusNotification, type DataStatusParams } from '../../src/shared/protocol';

export const ROOT = join(__dirname, '..', '..');
export const SERVER_BUNDLE = join(ROOT, 'dist', 'server.js');

/**
 * A minimal LSP client over stdio for protocol tests: spawns the bundled server, answers `workspace/configuration`
 * from `settings`, records published diagnostics, data status and refresh requests, and lets tests wait for a
 * condition on them (no fixed sleeps: every wait is woken by the message that satisfies it).
 */
export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics received, in order (`diagnostics` keeps the latest per document). */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: DataStatusParams[] = [];
  readonly received: string[] = [];
  readonly logs: string[] = [];
  settings: Record<string, unknown>;
  private readonly proc: ChildProcess;
  private waiters: (() => void)[] = [];

  /**
   * `answerConfiguration: false` makes a client that never answers `workspace/configuration` (the request stays
   * pending for good), as a hung or buggy client would.
   */
  constructor(
    settings: Record<string, unknown>,
    env: Record<string, string | undefined> = {},
    { answerConfiguration = true }: { answerConfiguration?: boolean } = {},
  ) {
    this.settings = settings;
    this.proc = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr!.on('data', (d: Buffer) => this.logs.push(d.toString()));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.published.push(p);
      this.wake();
    });
    this.connection.onNotification(DataStatusNotification.method, (p: DataStatusParams) => {
      this.statuses.push(p);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }): Promise<unknown[]> => {
      this.received.push('workspace/configuration');
      return answerConfiguration
        ? Promise.resolve(p.items.map(() => this.settings))
        : new Promise<unknown[]>(() => undefined);
    });
    for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh', 'client/registerCapability']) {
      this.connection.onRequest(method, () => {
        this.received.push(method);
        this.wake();
        return null;
      });
    }
    this.connection.listen();
  }

  async initialize(initializationOptions?: unknown): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          inlayHint: { refreshSupport: true },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          hover: { contentFormat: ['markdown'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once `check` returns a value (re-checked on every message), or rejects after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 60000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; server log:\n${this.logs.join('\n')}`)),
        timeoutMs,
      );
      const test = () => {
        const v = check();
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(test);
      };
      test();
    });
  }

  waitForData(state: DataStatusParams['state']): Promise<DataStatusParams> {
    return this.waitFor(`data state ${state}`, () => this.statuses.find((s) => s.state === state));
  }

  /** The next diagnostics of `uri` with at least `version` that satisfy `accept`. */
  waitForDiagnostics(
    uri: string,
    version: number,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics of ${uri} v${version}`, () => {
      const p = this.diagnostics.get(uri);
      return p && (p.version ?? 0) >= version && accept(p) ? p : undefined;
    });
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    this.connection.dispose();
    this.proc.kill();
  }
}
