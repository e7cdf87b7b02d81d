import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scanArchitectures } from '../core/scan/scanArchitectures';
import type { ArchOccurrence } from '../core/scan/occurrence';

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly occurrences: readonly ArchOccurrence[];
}

/** Thrown out of a scan that saw its cancellation flag; the request handler turns it into a cancelled response. */
export class ScanCancelled extends Error {
  override readonly name = 'ScanCancelled';
}

/**
 * Scan results per document version. Every feature (diagnostics, hover, inlay hints, code actions, completion)
 * reads the same cached scan, so a document is scanned once per edit however many requests arrive.
 */
export class DocumentAnalysisCache {
  private readonly byUri = new Map<string, DocumentAnalysis>();

  /** The analysis of `doc`'s current version; scans if needed. Throws {@link ScanCancelled} when cancelled midway. */
  get(doc: TextDocument, isCancelled?: () => boolean): DocumentAnalysis {
    const cached = this.byUri.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    let cancelled = false;
    const occurrences = scanArchitectures(doc.getText(), {
      isCancelled: isCancelled && (() => (cancelled = cancelled || isCancelled())),
    });
    if (cancelled) throw new ScanCancelled('scan cancelled');
    const analysis = { uri: doc.uri, version: doc.version, occurrences };
    this.byUri.set(doc.uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}
