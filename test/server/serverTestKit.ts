import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let loaded: Promise<BenchmarkApi> | undefined;

/** The real benchmark from the shared copy (loaded once per test file). */
export function sharedBenchmark(): Promise<BenchmarkApi> {
  loaded ??= loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  return loaded;
}

export function doc(text: string, languageId = 'python', uri = 'file:///test/doc.py'): TextDocument {
  return TextDocument.create(uri, languageId, 1, text);
}

export function scan(d: TextDocument) {
  return scanArchitectures(d.getText());
}

/** The document text after applying a code action's edits. */
export function applyAction(d: TextDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[d.uri] ?? [];
  return TextDocument.applyEdits(d, edits);
}

/** The first index whose cell is / is not its class's evaluated representative. */
export function firstIndex(bench: BenchmarkApi, representative: boolean): number {
  for (let i = 0; i < 15625; i++) if (bench.archOfIndex(i).isRepresentative === representative) return i;
  throw new Error('no such index');
}

export const GOOD = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
/** Node 1 (avg pool of the input) feeds nothing: edge 0->1 is dead. */
export const DEAD_EDGE = '|avg_pool_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|';
