import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { exportBytes, pngSize } from '../../src/extension/panels/exportBytes';
import type { ExportRequest } from '../../src/shared/webviewMessages';
import type { WebviewPage } from './webviewPage';

/**
 * What the correlation charts show and export, read the way a user gets them: the numbers printed in the chart's
 * cells, and the bytes each Export button makes the extension write (through the extension's own check,
 * `exportBytes`), each decoded or parsed in Chromium.
 */

/**
 * The values printed in a heatmap's cells (`0.97`, `−0.12`): the chart's texts of that form, without the colour
 * bar's bounds (which the chart's option names).
 */
export async function heatmapValueLabels(page: Page | Frame): Promise<string[]> {
  return page.evaluate(() => {
    const chart = (
      document.getElementById('chart') as unknown as { chart: { getOption(): { visualMap?: { text?: string[] }[] } } }
    ).chart;
    const bounds = (chart.getOption().visualMap?.[0]?.text ?? []).flatMap((t) => t.split('\n'));
    const texts = Array.from(document.querySelectorAll('#chart svg text')).map((t) => t.textContent ?? '');
    for (const b of bounds) {
      const at = texts.indexOf(b);
      if (at >= 0) texts.splice(at, 1);
    }
    return texts.filter((s) => /^(−|-)?\d\.\d\d$/.test(s));
  });
}

/** The colour bar of the drawn heatmap: its range and the texts at its ends. */
export async function heatmapLegend(
  page: Page | Frame,
): Promise<{ min: number; max: number; text: string[]; note: string; svgTexts: string[] }> {
  return page.evaluate(() => {
    const chart = (
      document.getElementById('chart') as unknown as {
        chart: {
          getOption(): { visualMap: { min: number; max: number; text: string[] }[]; title: { subtext?: string }[] };
        };
      }
    ).chart;
    const o = chart.getOption();
    const v = o.visualMap[0];
    return {
      min: v.min,
      max: v.max,
      text: v.text,
      note: o.title[0].subtext ?? '',
      svgTexts: Array.from(document.querySelectorAll('#chart svg text')).map((t) => t.textContent ?? ''),
    };
  });
}

export interface ExportedFiles {
  png: { width: number; height: number; colours: number };
  svg: { texts: string[] };
  csv: string;
}

async function exportOne(view: WebviewPage, label: 'PNG' | 'SVG' | 'CSV'): Promise<Uint8Array> {
  const before = (await view.posted()).filter((m) => m.type === 'export').length;
  await view.page.click(`vscode-button:has-text("Export ${label}")`);
  const request = (await view.waitForPosted('export', before + 1)) as unknown as ExportRequest;
  assert.equal(request.format, label.toLowerCase());
  const checked = exportBytes(request);
  assert.ok(checked.ok, `Export ${label} would not be written: ${checked.ok ? '' : checked.message}`);
  return checked.bytes;
}

/**
 * Presses Export PNG, SVG and CSV in turn and checks each file the extension would write: the PNG has its
 * signature and a non-empty IHDR size, decodes in Chromium at that size and is not blank; the SVG parses as an
 * SVG document; the CSV is returned for the caller to compare with the data.
 */
export async function exportAll(view: WebviewPage): Promise<ExportedFiles> {
  // Files are opened in a blank page of the same browser, as a viewer would, outside the webview's CSP.
  const page = await view.page.context().newPage();
  try {
    return await checkFiles(view, page);
  } finally {
    await page.close();
  }
}

async function checkFiles(view: WebviewPage, page: Page): Promise<ExportedFiles> {
  const pngBytes = await exportOne(view, 'PNG');
  const size = pngSize(pngBytes);
  assert.ok(size && size.width > 0 && size.height > 0, 'the PNG has no size');
  const decoded = await page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length && colours.size < 64; i += 4 * 97)
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return { width: image.naturalWidth, height: image.naturalHeight, colours: colours.size };
  }, Buffer.from(pngBytes).toString('base64'));
  assert.deepEqual({ width: decoded.width, height: decoded.height }, size, 'Chromium decodes the PNG at its IHDR size');
  assert.ok(decoded.colours >= 3, `the PNG is blank (${decoded.colours} colours)`);

  const svgText = Buffer.from(await exportOne(view, 'SVG')).toString('utf8');
  const svg = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      root: doc.documentElement.tagName,
      errors: doc.getElementsByTagName('parsererror').length,
      texts: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent ?? ''),
    };
  }, svgText);
  assert.deepEqual({ root: svg.root, errors: svg.errors }, { root: 'svg', errors: 0 }, 'the SVG does not parse');

  const csv = Buffer.from(await exportOne(view, 'CSV')).toString('utf8');
  return { png: decoded, svg: { texts: svg.texts }, csv };
}

/** A CSV as rows of fields (the exports quote only fields with commas, quotes or newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
