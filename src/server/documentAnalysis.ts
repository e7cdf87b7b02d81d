import type { CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scanArchitectures, scanArchitecturesStepwise } from '../core/scan/scanArchitectures';
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
  private readonly pending = new Map<string, { version: number; promise: Promise<DocumentAnalysis> }>();

  /**
   * The analysis of `doc`'s current version without blocking the server: a scan not yet cached runs in steps across
   * event-loop turns (other requests and cancellations are handled in between) and is shared by every request for
   * the same version. A cancelled request stops waiting at once (ScanCancelled); the scan finishes for the others.
   */
  getAsync(doc: TextDocument, token?: CancellationToken): Promise<DocumentAnalysis> {
    const cached = this.byUri.get(doc.uri);
    if (cached && cached.version === doc.version) return Promise.resolve(cached);
    let run = this.pending.get(doc.uri);
    if (!run || run.version !== doc.version) {
      run = { version: doc.version, promise: this.scanInSteps(doc) };
      this.pending.set(doc.uri, run);
    }
    return token ? untilCancelled(run.promise, token) : run.promise;
  }

  private scanInSteps(doc: TextDocument): Promise<DocumentAnalysis> {
    const { uri, version } = doc;
    const steps = scanArchitecturesStepwise(doc.getText());
    return new Promise((resolve, reject) => {
      const step = () => {
        try {
          const r = steps.next();
          if (!r.done) {
            setImmediate(step);
            return;
          }
          const analysis = { uri, version, occurrences: r.value };
          const current = this.byUri.get(uri);
          if (!current || current.version < version) this.byUri.set(uri, analysis);
          if (this.pending.get(uri)?.version === version) this.pending.delete(uri);
          resolve(analysis);
        } catch (e) {
          if (this.pending.get(uri)?.version === version) this.pending.delete(uri);
          reject(e);
        }
      };
      step();
    });
  }

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
    this.pending.delete(uri);
  }
}

function untilCancelled<T>(promise: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new ScanCancelled('request cancelled'));
  return new Promise((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => reject(new ScanCancelled('request cancelled')));
    promise.then(
      (v) => {
        subscription.dispose();
        resolve(v);
      },
      (e: unknown) => {
        subscription.dispose();
        reject(e);
      },
    );
  });
}
