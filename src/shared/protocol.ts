import {
  NotificationType,
  NotificationType0,
  RequestType,
  RequestType0,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol';
import type { RestrictedSettingValues } from './settings';

/**
 * Robust NAS's own LSP messages, each declared once as a `{ method, type }` object (vscode-eslint's namespaces, as
 * consts because the lint config forbids TypeScript namespaces) and used by both the server and the extension.
 * The comment on each says who sends it. Hovers carry `command:` links: the client trusts exactly the commands of
 * SERVER_MARKDOWN_COMMANDS (src/shared/cellActions.ts) in server Markdown, so that those links run and no other.
 */

/** Where the benchmark data stands in the server. */
export type DataState = 'loading' | 'ready' | 'missing' | 'error';

export interface DataStatusParams {
  readonly state: DataState;
  /** One sentence for the status bar tooltip: what was loaded from where, or what is wrong and what to do. */
  readonly message: string;
  /** Folder the data was loaded from, when state is `ready`. */
  readonly dataPath?: string;
  /** Number of evaluated cells, when state is `ready` (6,466). */
  readonly evaluated?: number;
}

/** Server -> client, after initialize and on every change: the data's state, for the status bar. */
export const DataStatusNotification = {
  method: 'robustNas/dataStatus',
  type: new NotificationType<DataStatusParams>('robustNas/dataStatus'),
} as const;

/** Client -> server: load the data again (after the user located it, or changed files on disk). */
export const ReloadDataNotification = {
  method: 'robustNas/reloadData',
  type: new NotificationType0('robustNas/reloadData'),
} as const;

/** A file an editor tab is opening, before VS Code has its text (see src/server/readAhead.ts). */
export interface FileOpeningParams {
  /** A `file:` URI. */
  readonly uri: string;
  /** The language VS Code will most likely give the document (its file associations); the selector serves it. */
  readonly languageId: string;
}

/**
 * Client -> server: a tab is opening this file. The workbench shows a tab at once but hands a large file's text to
 * the extension host seconds later (a 4 MB file: the tab after 0.4 s, the text after 2.2 s); the server reads the
 * file from disk meanwhile and publishes its diagnostics, which VS Code shows as soon as the text is on screen.
 */
export const FileOpeningNotification = {
  method: 'robustNas/fileOpening',
  type: new NotificationType<FileOpeningParams>('robustNas/fileOpening'),
} as const;

/**
 * Client -> server: a file announced by robustNas/fileOpening will not be opened as a served document after all
 * (its tab closed first, or VS Code gave it a language the selector leaves out): withdraw what was published.
 */
export const FileOpeningAbandonedNotification = {
  method: 'robustNas/fileOpeningAbandoned',
  type: new NotificationType<{ readonly uri: string }>('robustNas/fileOpeningAbandoned'),
} as const;

/** One architecture found in a document, as the server resolved it. */
export interface DocumentArchitecture {
  readonly range: Range;
  /** How it was written. */
  readonly kind: 'string' | 'index' | 'naslib';
  /** Canonical architecture string. */
  readonly archString: string;
  /** NAS-Bench-201 index; undefined when the data is not loaded (then only strings and tuples are listed). */
  readonly index?: number;
  /** Index of the evaluated member of its isomorphism class; undefined without data. */
  readonly representativeIndex?: number;
}

export interface DocumentArchitecturesParams {
  readonly textDocument: { readonly uri: string };
}

/**
 * Client -> server: every well-formed architecture in an open document (strings, indices, NASLib tuples), in
 * document order; e.g. to mark the document's cells in charts. Malformed strings are left out.
 */
export const DocumentArchitecturesRequest = {
  method: 'robustNas/documentArchitectures',
  type: new RequestType<DocumentArchitecturesParams, DocumentArchitecture[], void>('robustNas/documentArchitectures'),
} as const;

export interface ArchitectureAtPositionParams {
  readonly textDocument: { readonly uri: string };
  readonly position: Position;
}

/**
 * Client -> server: the architecture under the cursor (e.g. for "Compute NTK Scores" or "Add to Comparison" run
 * from the command palette without arguments); null when there is none there.
 */
export const ArchitectureAtPositionRequest = {
  method: 'robustNas/architectureAtPosition',
  type: new RequestType<ArchitectureAtPositionParams, DocumentArchitecture | null, void>(
    'robustNas/architectureAtPosition',
  ),
} as const;

export interface ServerStats {
  /** `process.memoryUsage()` of the server, in bytes. */
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Open documents and the architectures found in them. */
  readonly documents: number;
  readonly architectures: number;
  /**
   * Per open document: its last full diagnosis (scan + diagnostics) measured in the server, as wall time of each
   * step and the process CPU time of both (less sensitive to other load on the machine).
   */
  readonly lastDiagnosis: readonly {
    readonly uri: string;
    /** How long the run waited for typing to pause before it started; 0 when the document had just opened. */
    readonly debounceMs: number;
    readonly scanMs: number;
    readonly diagnoseMs: number;
    readonly cpuMs: number;
    readonly diagnostics: number;
  }[];
}

/** Client -> server: memory and workload of the server (for "Show Log" diagnostics and `npm run bench:lsp`). */
export const ServerStatsRequest = {
  method: 'robustNas/serverStats',
  type: new RequestType0<ServerStats, void>('robustNas/serverStats'),
} as const;

/** Where stored NTK results are: the on-disk cache and the sweep files the extension knows of. */
export interface NtkStoreParams {
  /** The NTK result cache folder (src/core/ntk/cacheDir.ts), shared with the CLI. */
  readonly cacheDir: string;
  /** Sweep files (JSON Lines, src/core/ntk/sweepFile.ts) written or resumed by NTK Sweep, newest first. */
  readonly sweepFiles: readonly string[];
  /** Sweep files loaded into the Correlation Charts (any configuration): the hover shows the class's proxy ranks. */
  readonly chartSweepFiles?: readonly string[];
}

/** `initializationOptions` the extension starts the server with. */
export interface ServerInitializationOptions {
  /** The raw `robustNas` settings section, used until the server can pull settings per document. */
  readonly settings?: unknown;
  readonly ntk?: NtkStoreParams;
  /** Workspace trust at start; later changes come as robustNas/workspaceTrust. Absent = trusted. */
  readonly workspaceTrust?: WorkspaceTrustParams;
}

/**
 * Workspace trust as the server must apply it: while the folder is untrusted, the restricted settings
 * (RESTRICTED_SETTING_KEYS: folders that are read) take `restrictedValues`, the user's own values, whatever the
 * configuration answers say. VS Code already leaves the workspace's values out of those answers; the server does
 * not depend on it.
 */
export interface WorkspaceTrustParams {
  readonly trusted: boolean;
  /** The user-level values of the restricted settings (present when untrusted). */
  readonly restrictedValues?: RestrictedSettingValues;
}

/** Client -> server: trust was granted, or the user-level values of the restricted settings changed while untrusted. */
export const WorkspaceTrustNotification = {
  method: 'robustNas/workspaceTrust',
  type: new NotificationType<WorkspaceTrustParams>('robustNas/workspaceTrust'),
} as const;

/**
 * Client -> server: NTK results landed (Compute NTK Scores cached one, NTK Sweep appended rows) or the known sweep
 * files changed. The server never computes NTK scores; it reads them from these places for the hover card.
 */
export const NtkResultsChangedNotification = {
  method: 'robustNas/ntkResultsChanged',
  type: new NotificationType<NtkStoreParams>('robustNas/ntkResultsChanged'),
} as const;

export interface CellDetailsParams {
  /** The cell in any encoding the benchmark resolves (string, index, op code, NASLib tuple). */
  readonly text: string;
  /** The document the request comes from, whose `robustNas` settings apply (configured dataset, metric, NTK). */
  readonly textDocument?: { readonly uri: string };
}

export type CellDetailsResult =
  | { readonly ok: true; readonly title: string; readonly markdown: string }
  | { readonly ok: false; readonly message: string };

/**
 * Client -> server: the cell details report ("Show all datasets" on the hover card) as Markdown: every dataset and
 * metric, costs, encodings and stored NTK scores, from the same data and settings as the hover.
 */
export const CellDetailsRequest = {
  method: 'robustNas/cellDetails',
  type: new RequestType<CellDetailsParams, CellDetailsResult, void>('robustNas/cellDetails'),
} as const;
