import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Reading a file the editor is opening, ahead of its text (robustNas/fileOpening). In the workbench a 4 MB search
 * log's tab shows 0.4 s after the open, its text is on screen after 1.6-2.1 s, and the extension host hands the text
 * to the language server 0.6-0.8 s after that (bench:workbench): reading the file from disk when the tab opens lets
 * the scan and the diagnosis run while VS Code is still loading it, so the diagnostics are there when the text is.
 *
 * Only what VS Code would show as this very text is read: a regular file, valid UTF-8 (VS Code's default encoding;
 * a UTF-8 byte order mark is dropped, as VS Code drops it), no NUL character (VS Code opens such files as binary),
 * at most {@link READ_AHEAD_MAX_BYTES}. Anything else is left to the normal path (the text VS Code sends). When the
 * editor's text still differs (another `files.encoding`, mixed line breaks it normalises, an edit on disk in between),
 * the server compares it with what it read when the document opens, and diagnoses the editor's text.
 */

/** Larger files are not read ahead (VS Code asks before opening very large files; the normal path serves them). */
export const READ_AHEAD_MAX_BYTES = 32 * 1048576;

/**
 * Of a file read ahead, only the diagnostics starting in these first lines are published before its text arrives:
 * the lines a file shows when it opens (44 in bench:workbench's 1600x1000 window; 150 leave room for a tall screen
 * and a small font). The rest are published when the document opens with the same text. The more markers VS Code
 * holds for a file when it loads it, the later the extension host gets its text, and with it the first hover and
 * inlay hints: in bench:workbench (the 4 MB log, 12 runs alternating) 3.18-3.44 s after the open with all 1,000
 * published ahead, 2.70-3.38 s with the 71 of the first 120 lines, 2.85-2.98 s with none (docs/performance.md).
 */
export const READ_AHEAD_PUBLISHED_LINES = 150;

export type ReadAheadResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string };

export async function readFileAhead(uri: string, maxBytes = READ_AHEAD_MAX_BYTES): Promise<ReadAheadResult> {
  let path: string;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'file:') return { ok: false, why: 'not a file: URI' };
    path = fileURLToPath(url);
  } catch (e) {
    return { ok: false, why: `not a file path (${e instanceof Error ? e.message : String(e)})` };
  }
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would wait for a writer; a non-blocking open returns at once and the
    // stat below turns it away (O_NONBLOCK does not exist on Windows, where FIFOs are not files in folders).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, why: `cannot open it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, why: 'not a regular file' };
    if (stat.size > maxBytes) return { ok: false, why: `larger than ${maxBytes} bytes` };
    // Read at most one byte past the limit: a file that grew since the stat is turned away, not read whole.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) return { ok: false, why: 'it changed while being read' };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      return { ok: false, why: 'not UTF-8' };
    }
    if (text.includes('\0')) return { ok: false, why: 'binary (a NUL character)' };
    return { ok: true, text };
  } catch (e) {
    return { ok: false, why: `reading failed (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    await handle.close();
  }
}
