import type { ThemeColours } from '../common/theme';
import { mix, textOn } from '../common/theme';

/** ECharts styling taken from the VS Code theme, shared by all chart options. */

export function baseOption(c: ThemeColours) {
  return {
    backgroundColor: c.background,
    animation: false,
    textStyle: { fontFamily: c.font, color: c.foreground },
    title: { left: 'center', top: 4, textStyle: { color: c.foreground, fontSize: 14, fontWeight: 600 as const } },
  };
}

export function axisStyle(c: ThemeColours) {
  return {
    axisLine: { lineStyle: { color: c.lines } },
    axisTick: { lineStyle: { color: c.lines } },
    axisLabel: { color: c.foreground },
    nameTextStyle: { color: c.foreground },
    splitLine: { lineStyle: { color: mix(c.background, c.foreground, 0.12) } },
  };
}

export function tooltipStyle(c: ThemeColours) {
  return {
    backgroundColor: mix(c.background, c.foreground, 0.06),
    borderColor: c.lines,
    textStyle: { color: c.foreground, fontFamily: c.font, fontSize: 12 },
    // The default tooltip markers are HTML with inline style attributes, which the CSP blocks; ours carry none.
    renderMode: 'html' as const,
  };
}

/** Diverging fill for a correlation in [-1, 1]: blue below 0, red above, the page background at 0. */
export function divergingFill(c: ThemeColours, v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(c.diverging[1], c.diverging[0], -t) : mix(c.diverging[1], c.diverging[2], t);
}

export function labelColourOn(fill: string): string {
  return textOn(fill);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
