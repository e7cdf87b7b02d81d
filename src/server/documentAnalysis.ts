import type { CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rescan, resumableScan, type ResumableScan } from '../core/scan/incrementalScan';
import { scanArchitectures } from '../core/scan/scanArchitectures';
import type { ArchOccurrence } from '../core/scan/occurrence';
import { textBetween } from './textWindow';

/** Characters scanned on each side of the stretch a local scan is for (see {@link DocumentAnalysisCache.around}). */
const LOCAL_SCAN_MARGIN = 8192;

/**
 * Most characters an edit may change for the next version to be scanned from the previous one's scan at once
 * (rescan: the stretch around the edit, a few milliseconds); beyond it (a whole-file replace, a reformat) the
 * document is scanned afresh in steps, so the server keeps answering meanwhile.
 */
const MAX_RESCANNED_CHANGE = 1 << 20;

/** An occurrence found in a stretch of text starting at document offset `base`, in document offsets. */
function shifted(o: ArchOccurrence, base: number): ArchOccurrence {
  if (base === 0) return o;
  if (o.kind === 'string' || o.kind === 'malformed-string') {
    return {
      ...o,
      start: o.start + base,
      end: o.end + base,
      segments: o.segments.map((g) => ({ ...g, start: g.start + base })),
    };
  }
  return { ...o, start: o.start + base, end: o.end + base };
}

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly occurrences: readonly ArchOccurrence[];
  /** The scan the occurrences come from; the next version's scan starts from it. */
  readonly scan: ResumableScan;
}

/** Thrown out of a scan that saw its cancellation flag; the request handler turns it into a cancelled response. */
export class ScanCancelled extends Error {
  override readonly name = 'ScanCancelled';
}

/**
 * Scan results per document version. Every feature (diagnostics, hover, inlay hints, code actions, completion)
 * reads the same cached scan, so a document is scanned once per edit however many requests arrive. A version after
 * an edit is scanned from the previous version's scan (only the stretch around the edit: rescan).
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

  /** The cached analysis of `doc`'s current version, if there is one (never scans). */
  current(doc: TextDocument): DocumentAnalysis | undefined {
    const cached = this.byUri.get(doc.uri);
    return cached && cached.version === doc.version ? cached : undefined;
  }

  /**
   * The occurrences overlapping document offsets [from, to], from a scan of that stretch of text with a margin on
   * each side, for answering a hover or the inlay hints of the visible lines of a large document whose full scan
   * is not ready (it is being edited). An occurrence is at most a few thousand characters long (runs stop at 1,024
   * characters plus breaks of at most 160), so one that overlaps [from, to] is scanned whole and exactly as the full
   * scan sees it.
   */
  around(doc: TextDocument, from: number, to: number): ArchOccurrence[] {
    const base = Math.max(0, from - LOCAL_SCAN_MARGIN);
    const text = textBetween(doc, base, to + LOCAL_SCAN_MARGIN);
    const out: ArchOccurrence[] = [];
    for (const o of scanArchitectures(text)) {
      if (o.end + base < from || o.start + base > to) continue;
      out.push(shifted(o, base));
    }
    return out;
  }

  private scanInSteps(doc: TextDocument): Promise<DocumentAnalysis> {
    const { uri, version } = doc;
    const text = doc.getText();
    const previous = this.byUri.get(uri);
    const rescanned =
      previous && previous.version < version ? rescan(previous.scan, text, MAX_RESCANNED_CHANGE) : undefined;
    if (rescanned) {
      const analysis = { uri, version, occurrences: rescanned.occurrences, scan: rescanned };
      // Registered by getAsync once this returns; the promise resolves on a later turn, after that.
      return Promise.resolve().then(() => {
        const current = this.byUri.get(uri);
        if (!current || current.version < version) this.byUri.set(uri, analysis);
        if (this.pending.get(uri)?.version === version) this.pending.delete(uri);
        return analysis;
      });
    }
    const steps = resumableScan(text);
    return new Promise((resolve, reject) => {
      const step = () => {
        try {
          // Documents are updated in place. A scan of a version that is no longer current is of no use to anyone:
          // stop it, and give its waiters the current version's analysis (one scan, shared, for the whole storm).
          const run = this.pending.get(uri);
          if (doc.version !== version) {
            if (run?.version === version) this.pending.delete(uri);
            // Rescan once the edits pause: starting over at every edit of a trickling storm would build the whole
            // text (tens of milliseconds at 20 MB) again and again for scans that never finish.
            resolve(whenQuiet(doc).then(() => this.getAsync(doc)));
            return;
          }
          // No longer registered: the document was closed (delete) while it was being scanned.
          if (run?.version !== version) {
            reject(new ScanCancelled('document closed'));
            return;
          }
          const r = steps.next();
          if (!r.done) {
            setImmediate(step);
            return;
          }
          const analysis = { uri, version, occurrences: r.value.occurrences, scan: r.value };
          const current = this.byUri.get(uri);
          if (!current || current.version < version) this.byUri.set(uri, analysis);
          if (this.pending.get(uri)?.version === version) this.pending.delete(uri);
          resolve(analysis);
        } catch (e) {
          if (this.pending.get(uri)?.version === version) this.pending.delete(uri);
          reject(e);
        }
      };
      // The first step too runs on a later turn, once getAsync has registered this scan as pending.
      setImmediate(step);
    });
  }

  /** The analysis of `doc`'s current version; scans if needed. Throws {@link ScanCancelled} when cancelled midway. */
  get(doc: TextDocument, isCancelled?: () => boolean): DocumentAnalysis {
    const cached = this.byUri.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    const previous = this.byUri.get(doc.uri);
    let scan =
      previous && previous.version < doc.version ? rescan(previous.scan, text, MAX_RESCANNED_CHANGE) : undefined;
    if (!scan) {
      const steps = resumableScan(text, 1);
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) {
          scan = r.value;
          break;
        }
        if (isCancelled?.()) throw new ScanCancelled('scan cancelled');
      }
    }
    const analysis = { uri: doc.uri, version: doc.version, occurrences: scan.occurrences, scan };
    this.byUri.set(doc.uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
    this.pending.delete(uri);
  }
}

/** How long a document must go without edits before a superseded scan starts over on its newest version. */
const QUIET_MS = 100;

/** Resolves once `doc` (updated in place) has kept its version for {@link QUIET_MS}. */
function whenQuiet(doc: TextDocument): Promise<void> {
  return new Promise((resolve) => {
    const wait = (seen: number) => setTimeout(() => (doc.version === seen ? resolve() : wait(doc.version)), QUIET_MS);
    wait(doc.version);
  });
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
