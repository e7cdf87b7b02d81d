import type { ExportRequest } from '../../src/shared/webviewMessages';

/**
 * Export helpers. The webview cannot write files: it renders the content and posts it to the extension, which asks
 * the user where to save it.
 */

/** UTF-8 text -> base64 (btoa alone only takes Latin-1). */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Rasterises an SVG document at `scale` times its size onto `background`; resolves to base64 PNG (no data: prefix). */
export async function svgToPngBase64(
  svg: string,
  width: number,
  height: number,
  background: string,
  scale = 2,
): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The browser could not rasterise the SVG for the PNG export.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas available for the PNG export.');
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function textExport(format: 'svg' | 'csv' | 'md', suggestedName: string, content: string): ExportRequest {
  return { type: 'export', format, suggestedName, content, encoding: 'utf8' };
}

export function pngExport(suggestedName: string, base64: string): ExportRequest {
  return { type: 'export', format: 'png', suggestedName, content: base64, encoding: 'base64' };
}

/** A CSV field, quoted when it holds a separator, quote or newline (RFC 4180). */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(',');
}
