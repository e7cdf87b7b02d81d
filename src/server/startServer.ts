import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { performance } from 'node:perf_hooks';
import { formatArchString } from '../core/space/cell';
import { occurrenceAt } from '../core/scan/scanArchitectures';
import type { ArchOccurrence } from '../core/scan/occurrence';
import {
  ArchitectureAtPositionRequest,
  CellDetailsRequest,
  DataStatusNotification,
  DocumentArchitecturesRequest,
  FileOpeningAbandonedNotification,
  FileOpeningNotification,
  NtkResultsChangedNotification,
  ReloadDataNotification,
  ServerStatsRequest,
  WorkspaceTrustNotification,
  type CellDetailsResult,
  type DocumentArchitecture,
  type ServerInitializationOptions,
  type ServerStats,
} from '../shared/protocol';
import { defaultNtkCacheDir } from '../core/ntk/cacheDir';
import { NtkResultIndex } from '../core/ntk/resultLookup';
import { BenchmarkHost, type BenchmarkLoader } from './benchmarkHost';
import { computeCodeActions } from './codeActions';
import { computeCodeLenses } from './codeLenses';
import { COMPLETION_TRIGGERS, computeCompletions } from './completion';
import { diagnosticsToPublish } from './diagnostics';
import { DocumentAnalysisCache, ScanCancelled } from './documentAnalysis';
import { computeHover } from './hover';
import { renderCellDetails } from './hoverCard';
import { computeInlayHints } from './inlayHints';
import { LineDocument } from './lineDocument';
import { READ_AHEAD_PUBLISHED_LINES, readFileAhead } from './readAhead';
import { resolveOccurrence } from './resolveOccurrence';
import { SettingsStore } from './settingsStore';
import { textLength } from './textWindow';

/** Quiet time after the last keystroke before a document is diagnosed again. */
const DIAGNOSE_DEBOUNCE_MS = 150;
/** Added to the quiet time per megabyte of document (a 20 MB file waits 650 ms). */
const DIAGNOSE_DEBOUNCE_PER_MB_MS = 25;

/**
 * How long diagnostics published from a file read ahead stay without the document being opened: the extension
 * withdraws them when the tab closes first or the document is not served; this is the backstop if it never does.
 */
const READ_AHEAD_EXPIRY_MS = 120_000;

/** From this length on, a request about a few lines of a document being edited scans those lines, not the document. */
const LOCAL_SCAN_MIN_LENGTH = 256 * 1024;

/**
 * Wires every feature to the connection. Kept apart from the entry (server.ts) so tests and the benchmark can
 * run the same server in-process.
 */
export function startServer(connection: Connection, loader: BenchmarkLoader) {
  // Documents as line arrays: an edit costs what the edited lines cost, not what the whole document costs.
  const documents = new TextDocuments(LineDocument);
  const analyses = new DocumentAnalysisCache();
  const log = {
    info: (m: string) => connection.console.info(m),
    error: (m: string) => connection.console.error(m),
  };
  const settings = new SettingsStore(undefined, log.error, {
    // Settings that arrived after requests went on with the defaults: redo what used them.
    onLateAnswer: (uri) => {
      log.info(`Settings for ${uri ?? 'the window'} arrived late; applying them.`);
      if (uri === undefined)
        void loadDataFromSettings().catch((e: unknown) => log.error(`Loading the data failed: ${String(e)}`));
      else scheduleDiagnostics(uri, 0);
      refreshViews();
    },
  });
  // Stored NTK results for the hover card: read from disk on each hover, never computed here.
  const ntkResults = new NtkResultIndex(defaultNtkCacheDir());
  let inlayRefresh = false;
  let codeLensRefresh = false;
  let configurationChangeRegistration = false;

  const host = new BenchmarkHost(
    loader,
    (status) => {
      void connection.sendNotification(DataStatusNotification.type, status);
      if (status.state !== 'loading') {
        republishAll();
        refreshViews();
      }
    },
    log.info,
  );

  /**
   * Every request goes through here: a request already cancelled is answered as such; a cancelled scan becomes a
   * RequestCancelled error; any other exception is logged and answered with an error for this request only.
   */
  function guard<P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
      if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      try {
        return await handler(params, token);
      } catch (e) {
        if (e instanceof ScanCancelled || token.isCancellationRequested)
          return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
        log.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return new ResponseError(
          ErrorCodes.InternalError,
          `Robust NAS ${name} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    };
  }

  /**
   * The document and its analysis, of the same version: documents are updated in place while a scan is awaited,
   * so a result for an older version is thrown away and the newer one awaited instead.
   */
  async function analysisOf(uri: string, token?: CancellationToken) {
    for (;;) {
      const doc = documents.get(uri);
      if (!doc) return undefined;
      const analysis = await analyses.getAsync(doc, token);
      if (documents.get(uri) === doc && doc.version === analysis.version) return { doc, analysis };
    }
  }

  /**
   * The occurrences a request about document offsets [from, to] needs. From the full analysis when it is current or
   * the document is small; in a large document being edited, from a scan of just that stretch (see
   * DocumentAnalysisCache.around), so hovers and the hints of the visible lines are answered at once instead of
   * after a full scan of every version the edit storm goes through.
   */
  async function occurrencesNear(
    uri: string,
    from: (doc: TextDocument) => number,
    to: (doc: TextDocument) => number,
    token: CancellationToken,
  ) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const current = analyses.current(doc);
    if (current) return { doc, occurrences: current.occurrences };
    if (textLength(doc) >= LOCAL_SCAN_MIN_LENGTH) return { doc, occurrences: analyses.around(doc, from(doc), to(doc)) };
    const found = await analysisOf(uri, token);
    return found && { doc: found.doc, occurrences: found.analysis.occurrences };
  }

  // --- diagnostics: debounced per document, published with the version they were computed for --------------------
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const lastDiagnosis = new Map<string, ServerStats['lastDiagnosis'][number]>();

  /**
   * Files read ahead (robustNas/fileOpening, src/server/readAhead.ts) and not opened yet: the text read from disk and,
   * once published, what its diagnostics were computed with. Only those of its first lines are published then
   * (READ_AHEAD_PUBLISHED_LINES says why). Opened with the same text, the rest follow at once, nothing is diagnosed
   * again (`publishedAhead`) and the scan is carried over; with another text, the document is diagnosed as usual.
   */
  const readAhead = new Map<string, ReadAheadEntry>();
  const publishedAhead = new Map<string, { version: number; basis: DiagnosisBasis; complete?: Diagnostic[] }>();
  /** What diagnostics depend on besides the text: the settings, and the benchmark data loaded. */
  const basisOf = (s: unknown): DiagnosisBasis => ({ settings: JSON.stringify(s), benchmark: host.benchmark });
  const sameBasis = (a: DiagnosisBasis, b: DiagnosisBasis) => a.settings === b.settings && a.benchmark === b.benchmark;

  async function readAheadFile(uri: string, languageId: string) {
    if (documents.get(uri) || readAhead.has(uri)) return;
    const entry: ReadAheadEntry = { expiry: setTimeout(() => abandonReadAhead(uri), READ_AHEAD_EXPIRY_MS) };
    readAhead.set(uri, entry);
    const t0 = performance.now();
    const read = await readFileAhead(uri);
    const stillAhead = () => readAhead.get(uri) === entry && !documents.get(uri);
    if (!stillAhead()) return;
    if (!read.ok) {
      log.info(`Not reading ${uri} ahead: ${read.why}.`);
      clearTimeout(entry.expiry);
      readAhead.delete(uri);
      return;
    }
    const doc = LineDocument.create(uri, languageId, 0, read.text);
    entry.doc = doc;
    const [s, { occurrences }] = await Promise.all([settings.get(uri), analyses.getAsync(doc)]);
    if (!stillAhead()) return;
    const { diagnostics, total } = diagnosticsToPublish(doc, occurrences, s, host.benchmark);
    const firstLines = diagnostics.filter((d) => d.range.start.line < READ_AHEAD_PUBLISHED_LINES);
    entry.basis = basisOf(s);
    if (firstLines.length < diagnostics.length) entry.complete = diagnostics;
    if (textLength(doc) >= 1048576)
      log.info(
        `Diagnosed ${uri} ahead of its text, from disk (${(textLength(doc) / 1048576).toFixed(1)} MB, ${occurrences.length} architectures): ${(performance.now() - t0).toFixed(0)} ms, ${total} found, ${diagnostics.length} to publish, ${firstLines.length} of them (its first ${READ_AHEAD_PUBLISHED_LINES} lines) now.`,
      );
    await connection.sendDiagnostics({ uri, diagnostics: firstLines });
  }

  /** Withdraws what a file read ahead published, unless it was opened meanwhile. */
  function abandonReadAhead(uri: string) {
    const entry = readAhead.get(uri);
    if (!entry) return;
    clearTimeout(entry.expiry);
    readAhead.delete(uri);
    if (documents.get(uri)) return;
    analyses.delete(uri);
    settings.forget(uri);
    if (entry.basis !== undefined) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  function scheduleDiagnostics(uri: string, delay: number) {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void publishDiagnostics(uri, delay);
      }, delay),
    );
  }

  /** `debounceMs`: how long the run waited after the event that scheduled it (reported in ServerStats). */
  async function publishDiagnostics(uri: string, debounceMs: number) {
    try {
      const current = documents.get(uri);
      if (!current) return;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      // The document's settings (a round trip to the client the first time) are awaited while the scan runs: on
      // opening a 4 MB file the extension host, busy with the same text, took 0.15-0.2 s to answer.
      let settingsMs = 0;
      let scanMs = 0;
      const [s, { occurrences }] = await Promise.all([
        settings.get(uri).finally(() => (settingsMs = performance.now() - t0)),
        analyses.getAsync(current).finally(() => (scanMs = performance.now() - t0)),
      ]);
      if (documents.get(uri)?.version !== current.version) return; // a newer edit has its own run scheduled
      const ahead = publishedAhead.get(uri);
      publishedAhead.delete(uri);
      if (ahead?.version === current.version && sameBasis(ahead.basis, basisOf(s))) {
        // The same text: what was computed from disk stands; the diagnostics held back go out now.
        if (ahead.complete)
          await connection.sendDiagnostics({ uri, version: current.version, diagnostics: ahead.complete });
        return;
      }
      const t1 = performance.now();
      const { diagnostics, total } = diagnosticsToPublish(current, occurrences, s, host.benchmark);
      const cpu = process.cpuUsage(cpu0);
      const stats = {
        uri,
        debounceMs,
        scanMs,
        diagnoseMs: performance.now() - t1,
        cpuMs: (cpu.user + cpu.system) / 1000,
        diagnostics: diagnostics.length,
      };
      lastDiagnosis.set(uri, stats);
      // Large files: say where the time went (bench:workbench reads this from the log).
      if (textLength(current) >= 1048576) {
        log.info(
          `Diagnosed ${uri} (${(textLength(current) / 1048576).toFixed(1)} MB, ${occurrences.length} architectures): scan ${scanMs.toFixed(0)} ms, settings ${settingsMs.toFixed(0)} ms (in parallel), diagnostics ${stats.diagnoseMs.toFixed(0)} ms (wall; CPU ${stats.cpuMs.toFixed(0)} ms), ${total} found, ${diagnostics.length} published.`,
        );
      }
      await connection.sendDiagnostics({ uri, version: current.version, diagnostics });
    } catch (e) {
      log.error(`Diagnosing ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  function republishAll() {
    for (const doc of documents.all()) scheduleDiagnostics(doc.uri, 0);
  }

  function refreshViews() {
    if (inlayRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  async function loadDataFromSettings(force = false) {
    const global = await settings.get(undefined);
    host.load(global.dataPath, force);
  }

  // --- lifecycle --------------------------------------------------------------------------------------------------
  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    const init = params.initializationOptions as ServerInitializationOptions | undefined;
    settings.setFallback(init?.settings);
    settings.setWorkspaceTrust(init?.workspaceTrust);
    if (init?.ntk) ntkResults.configure(init.ntk.cacheDir, init.ntk.sweepFiles, init.ntk.chartSweepFiles);
    if (caps.workspace?.configuration) {
      settings.enablePull(async (scopeUri) => {
        const [raw] = await connection.workspace.getConfiguration([{ scopeUri, section: 'robustNas' }]);
        return raw;
      });
    }
    inlayRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    configurationChangeRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'Robust NAS language server' },
    };
  });

  connection.onInitialized(() => {
    if (configurationChangeRegistration) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'robustNas' })
        .catch(() => undefined);
    }
    void loadDataFromSettings().catch((e: unknown) => log.error(`Starting to load the data failed: ${String(e)}`));
  });

  connection.onDidChangeConfiguration((params) => {
    // Clients that cannot answer workspace/configuration push the section here instead.
    const pushed = (params.settings as { robustNas?: unknown } | null | undefined)?.robustNas;
    if (pushed !== undefined) settings.setFallback(pushed);
    settings.clear();
    void loadDataFromSettings().catch((e: unknown) => log.error(`Reloading the data failed: ${String(e)}`));
    republishAll();
    refreshViews();
  });

  connection.onNotification(NtkResultsChangedNotification.type, (params) => {
    ntkResults.configure(params.cacheDir, params.sweepFiles, params.chartSweepFiles);
    log.info(`NTK results changed: cache ${params.cacheDir}, ${params.sweepFiles.length} sweep file(s).`);
  });

  connection.onNotification(WorkspaceTrustNotification.type, (params) => {
    settings.setWorkspaceTrust(params);
    settings.clear();
    log.info(
      params.trusted
        ? 'Workspace trusted: its own robustNas.dataPath and robustNas.ntk.inputs apply.'
        : "Restricted Mode: the workspace's robustNas.dataPath and robustNas.ntk.inputs are ignored.",
    );
    void loadDataFromSettings().catch((e: unknown) => log.error(`Reloading the data failed: ${String(e)}`));
    republishAll();
    refreshViews();
  });

  connection.onNotification(FileOpeningNotification.type, (params) => {
    void readAheadFile(params.uri, params.languageId).catch((e: unknown) => {
      if (e instanceof ScanCancelled) return; // opened meanwhile: the document's own scan took over
      log.error(`Reading ${params.uri} ahead failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      abandonReadAhead(params.uri);
    });
  });
  connection.onNotification(FileOpeningAbandonedNotification.type, (params) => abandonReadAhead(params.uri));

  connection.onNotification(ReloadDataNotification.type, () => {
    settings.clear();
    void loadDataFromSettings(true).catch((e: unknown) => log.error(`Reloading the data failed: ${String(e)}`));
  });

  // The version each document was opened at. TextDocuments fires onDidChangeContent right after onDidOpen for the
  // same text: taken as an edit, it re-armed the typing debounce and held the first diagnosis of every file back by
  // 150 ms plus 25 ms per MB (a quarter of a second for a 4 MB search log).
  const openedVersion = new Map<string, number>();
  documents.onDidOpen((e) => {
    // Large files: when the text arrived (bench:workbench lines this up with what the workbench shows).
    if (textLength(e.document) >= 1048576)
      log.info(
        `Opened ${e.document.uri} (${(textLength(e.document) / 1048576).toFixed(1)} MB, ${e.document.lineCount} lines).`,
      );
    openedVersion.set(e.document.uri, e.document.version);
    const ahead = readAhead.get(e.document.uri);
    if (ahead) {
      clearTimeout(ahead.expiry);
      readAhead.delete(e.document.uri);
      // VS Code's text is what was read from disk: the diagnostics computed from it stand (those held back follow).
      // Otherwise the diagnosis below publishes the editor's text's own (the scan starts from the one of the text
      // read, as after an edit).
      if (ahead.basis !== undefined && ahead.doc?.getText() === e.document.getText())
        publishedAhead.set(e.document.uri, {
          version: e.document.version,
          basis: ahead.basis,
          complete: ahead.complete,
        });
    }
    scheduleDiagnostics(e.document.uri, 0);
  });
  // A large document waits a little longer for the typing to pause: each full diagnosis of it costs more.
  documents.onDidChangeContent((e) => {
    if (openedVersion.get(e.document.uri) === e.document.version) return;
    scheduleDiagnostics(
      e.document.uri,
      DIAGNOSE_DEBOUNCE_MS + Math.floor((DIAGNOSE_DEBOUNCE_PER_MB_MS * textLength(e.document)) / 1048576),
    );
  });
  documents.onDidClose((e) => {
    openedVersion.delete(e.document.uri);
    publishedAhead.delete(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    analyses.delete(e.document.uri);
    settings.forget(e.document.uri);
    lastDiagnosis.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // --- features ---------------------------------------------------------------------------------------------------
  connection.onHover(
    guard('hover', async (params, token) => {
      const at = (doc: TextDocument) => doc.offsetAt(params.position);
      const s = await settings.get(params.textDocument.uri);
      const found = await occurrencesNear(params.textDocument.uri, at, at, token);
      if (!found) return null;
      return computeHover(found.doc, found.occurrences, params.position, s, {
        bench: host.benchmark,
        status: host.status,
        ntk: ntkResults,
        proxies: ntkResults,
        log: log.info,
      });
    }),
  );

  connection.onRequest(
    CellDetailsRequest.type,
    guard('cell details', async (params): Promise<CellDetailsResult> => {
      const bench = host.benchmark;
      if (!bench) return { ok: false, message: `The benchmark data is not loaded: ${host.status.message}` };
      const r = bench.resolve(String(params.text));
      if (!r.ok)
        return { ok: false, message: r.errors[0]?.message ?? `'${params.text}' is not a NAS-Bench-201 architecture.` };
      const s = await settings.get(params.textDocument?.uri);
      return {
        ok: true,
        ...renderCellDetails(r.arch.cell, bench, s, { ntk: ntkResults, proxies: ntkResults, log: log.info }),
      };
    }),
  );

  connection.onCodeAction(
    guard('code actions', async (params, token) => {
      const found = await analysisOf(params.textDocument.uri, token);
      if (!found) return [];
      return computeCodeActions(
        found.doc,
        found.analysis.occurrences,
        params.range,
        params.context.diagnostics,
        host.benchmark,
      );
    }),
  );

  connection.languages.inlayHint.on(
    guard('inlay hints', async (params, token) => {
      const s = await settings.get(params.textDocument.uri);
      const found = await occurrencesNear(
        params.textDocument.uri,
        (doc) => doc.offsetAt(params.range.start),
        (doc) => doc.offsetAt(params.range.end),
        token,
      );
      if (!found) return [];
      return computeInlayHints(
        found.doc,
        found.occurrences,
        params.range,
        s,
        host.benchmark,
        () => token.isCancellationRequested,
      );
    }),
  );

  connection.onCompletion(
    guard('completion', async (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const s = await settings.get(params.textDocument.uri);
      return computeCompletions(doc, doc.offsetAt(params.position), s, host.benchmark);
    }),
  );

  connection.onCodeLens(
    guard('code lenses', async (params, token) => {
      const s = await settings.get(params.textDocument.uri);
      if (!s.codeLens.enabled) return [];
      const found = await analysisOf(params.textDocument.uri, token);
      if (!found) return [];
      return computeCodeLenses(found.doc, found.analysis.occurrences, host.benchmark);
    }),
  );

  function describe(doc: TextDocument, occ: ArchOccurrence): DocumentArchitecture | null {
    if (occ.kind === 'malformed-string') return null;
    const { cell, record } = resolveOccurrence(occ, host.benchmark);
    if (!cell) return null;
    return {
      range: { start: doc.positionAt(occ.start), end: doc.positionAt(occ.end) },
      kind: occ.kind,
      archString: formatArchString(cell),
      index: record?.index,
      representativeIndex: record?.representativeIndex,
    };
  }

  connection.onRequest(
    DocumentArchitecturesRequest.type,
    guard('document architectures', async (params, token) => {
      const found = await analysisOf(params.textDocument.uri, token);
      if (!found) return [];
      return found.analysis.occurrences
        .map((o) => describe(found.doc, o))
        .filter((d): d is DocumentArchitecture => d !== null);
    }),
  );

  connection.onRequest(
    ArchitectureAtPositionRequest.type,
    guard('architecture at position', async (params, token) => {
      const found = await analysisOf(params.textDocument.uri, token);
      if (!found) return null;
      const occ = occurrenceAt(found.analysis.occurrences, found.doc.offsetAt(params.position));
      return occ ? describe(found.doc, occ) : null;
    }),
  );

  const serverStats = guard('server stats', (): ServerStats => {
    const memory = process.memoryUsage();
    let architectures = 0;
    for (const doc of documents.all()) architectures += analyses.get(doc).occurrences.length;
    return {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      documents: documents.all().length,
      architectures,
      lastDiagnosis: [...lastDiagnosis.values()],
    };
  });
  connection.onRequest(ServerStatsRequest.type, (token) => serverStats(undefined, token));

  documents.listen(connection);
  return { documents, host, settings, analyses, ntkResults };
}

/** A file read ahead of its opening (see the readAhead map in startServer). */
interface ReadAheadEntry {
  /** Withdraws the published diagnostics if the file is never opened. */
  readonly expiry: ReturnType<typeof setTimeout>;
  /** The text read from disk (version 0), once read. */
  doc?: LineDocument;
  /** What its published diagnostics were computed with, once published. */
  basis?: DiagnosisBasis;
  /** All its diagnostics, when only those of its first lines were published (READ_AHEAD_PUBLISHED_LINES). */
  complete?: Diagnostic[];
}

interface DiagnosisBasis {
  /** The document's settings, as JSON. */
  readonly settings: string;
  readonly benchmark: unknown;
}
