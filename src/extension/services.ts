import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RobustNasSettings } from '../shared/settings';
import type { BenchmarkService } from './benchmarkService';
import type { ComparisonStore } from './comparison/comparisonStore';
import type { NtkResultStore } from './ntkResults';
import type { ReportDocuments } from './reports/reportDocuments';

/** What commands and views share: created once in activate(), passed to every command factory. */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly benchmark: BenchmarkService;
  readonly comparison: ComparisonStore;
  readonly reports: ReportDocuments;
  /** Stored NTK results (cache, sweep files); tell it when new ones land so the hover card shows them. */
  readonly ntkResults: NtkResultStore;
  /** The running language server's client, or undefined while it is (re)starting or when it failed to start. */
  languageClient(): LanguageClient | undefined;
  /** The current `robustNas.*` settings. */
  settings(): RobustNasSettings;
}
