/**
 * Colours come from VS Code's theme variables, resolved to concrete values at draw time so that exported SVG and
 * PNG files look like the screen. Charts redraw when the theme changes (VS Code swaps the body class).
 */

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v.length > 0 ? v : fallback;
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

export interface ThemeColours {
  foreground: string;
  background: string;
  muted: string;
  lines: string;
  focus: string;
  font: string;
  /** One colour per op, in op-code digit order: none, skip, conv1x1, conv3x3, avg pool. */
  ops: string[];
  /** Ends and middle of the diverging correlation scale: -1, 0, +1. */
  diverging: [string, string, string];
  /** A sequential scale for continuous colour, low to high. */
  sequential: string[];
  highlight: string;
}

export function themeColours(): ThemeColours {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const foreground = cssVar('--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const background = cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const lines = cssVar('--vscode-charts-lines', dark ? 'rgba(204,204,204,0.5)' : 'rgba(51,51,51,0.5)');
  return {
    foreground,
    background,
    muted: cssVar('--vscode-descriptionForeground', dark ? '#a0a0a0' : '#6f6f6f'),
    lines,
    focus: cssVar('--vscode-focusBorder', blue),
    // VS Code quotes family names ("Segoe WPC", "Ubuntu"); ECharts' SVG output writes the font into a style="..."
    // attribute without escaping, so double quotes would end the attribute and break the SVG (and its PNG export).
    font: cssVar('--vscode-font-family', 'system-ui, sans-serif').replace(/"/g, "'"),
    ops: [lines, blue, orange, red, green],
    // Blue for negative, red for positive, the editor background at 0: the middle always matches the page, so the
    // scale stays readable on light, dark and high-contrast themes (text colour is chosen per cell, see textOn).
    diverging: [blue, background, red],
    sequential: [purple, blue, green, yellow],
    highlight: yellow,
  };
}

/** Redraw hook: VS Code changes the body class (and the CSS variables) when the user switches theme. */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(() => redraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb(a)(...)` into 0..255 channels; undefined otherwise. */
export function parseColour(c: string): [number, number, number] | undefined {
  const s = c.trim();
  let m = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4)
      return [0, 1, 2].map((i) => parseInt(h[i] + h[i], 16)) as [number, number, number];
    if (h.length === 6 || h.length === 8)
      return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
    return undefined;
  }
  m = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (m) {
    const parts = m[1]
      .split(/[,\s/]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length >= 3 && parts.slice(0, 3).every((p) => Number.isFinite(p))) return [parts[0], parts[1], parts[2]];
  }
  return undefined;
}

/** Relative luminance (WCAG 2.x) of a colour; 0.5 when it cannot be parsed. */
export function luminance(c: string): number {
  const rgb = parseColour(c);
  if (!rgb) return 0.5;
  const [r, g, b] = rgb.map((v) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Linear mix of two colours in sRGB (t = 0 gives a, 1 gives b), as `rgb(...)`. */
export function mix(a: string, b: string, t: number): string {
  const x = parseColour(a) ?? [128, 128, 128];
  const y = parseColour(b) ?? [128, 128, 128];
  const c = x.map((v, i) => Math.round(v + (y[i] - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Black or white text, whichever reads better on the given fill. */
export function textOn(fill: string): string {
  return luminance(fill) > 0.36 ? '#000000' : '#ffffff';
}
