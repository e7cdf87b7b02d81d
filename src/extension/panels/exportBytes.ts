import type { ExportRequest } from '../../shared/webviewMessages';

/**
 * The bytes a webview export writes, checked against its format first, so that a file that would not open is never
 * written and never reported as saved. (A PNG export of a chart drawn as SVG once sent an SVG data URL, which
 * decoded to 18 bytes of noise that were written and announced as "Saved".)
 */
export type ExportBytes =
  { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly message: string };

/** The eight bytes every PNG file starts with (PNG specification, section 5.2). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk, which must come first (PNG specification, section 11.2.2). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** An SVG document's outline: an `<svg` root element (after an optional XML declaration or comments), closed. */
function looksLikeSvg(text: string): boolean {
  const body = text
    .trim()
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replace(/^(<!--[\s\S]*?-->\s*)+/, '');
  return /^<svg[\s>]/.test(body) && /<\/svg>$/.test(body) && /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(body);
}

export function exportBytes(request: ExportRequest): ExportBytes {
  const what = request.format.toUpperCase();
  const fail = (why: string): ExportBytes => ({
    ok: false,
    message: `Export ${what} failed: ${why}. Nothing was written; try Export SVG or Export CSV, or reopen the panel and export again.`,
  });
  const bytes =
    request.encoding === 'base64' ? Buffer.from(request.content, 'base64') : Buffer.from(request.content, 'utf8');
  switch (request.format) {
    case 'png': {
      const size = pngSize(bytes);
      if (!size) return fail(`the image is not a PNG (${bytes.length} bytes without a PNG header)`);
      if (size.width === 0 || size.height === 0)
        return fail(`the image is empty (${size.width} x ${size.height} pixels)`);
      break;
    }
    case 'svg':
      if (request.encoding !== 'utf8' || !looksLikeSvg(request.content))
        return fail('the drawing is not an SVG document');
      break;
    case 'csv':
    case 'md':
      if (request.encoding !== 'utf8' || request.content.trim() === '') return fail('there is no data to write');
      break;
  }
  return { ok: true, bytes };
}
