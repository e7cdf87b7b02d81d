/** Building SVG documents as text: what is shown is exactly what is exported. Attributes only, no style attributes. */

export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v as string | number)}"`)
    .join('');
}

export function svgDocument(
  width: number,
  height: number,
  body: string,
  a: Record<string, string | number | undefined> = {},
): string {
  return `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, ...a })}>${body}</svg>`;
}

export function text(
  x: number,
  y: number,
  content: string,
  a: Record<string, string | number | undefined> = {},
): string {
  return `<text${attrs({ x: round(x), y: round(y), ...a })}>${esc(content)}</text>`;
}

export function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Stacks several SVG documents vertically into one, for a single-file export. */
export function stackSvgs(
  parts: readonly { svg: string; width: number; height: number }[],
  background: string,
  gap = 16,
): { svg: string; width: number; height: number } {
  const width = Math.max(...parts.map((p) => p.width));
  let y = 0;
  let body = `<rect width="100%" height="100%" fill="${esc(background)}"/>`;
  for (const p of parts) {
    body += `<g transform="translate(0 ${y})">${p.svg}</g>`;
    y += p.height + gap;
  }
  const height = y - gap;
  return { svg: svgDocument(width, height, body), width, height };
}

let measure: CanvasRenderingContext2D | null | undefined;

/** Width in pixels of `content` in the given CSS font, measured by the browser (an estimate where no canvas exists). */
export function textWidth(content: string, font: string): number {
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return content.length * 8;
  measure.font = font;
  return measure.measureText(content).width;
}
