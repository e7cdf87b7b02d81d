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

/**
 * How correlations map to colours. `fixed`: the whole -1..+1 on the diverging scale. `auto`: the range of the
 * values shown, so that a block of correlations that are all between 0.96 and 1.00 (the six adversarial metrics
 * of NAS-RobBench-201 rank cells almost alike) shows its structure instead of one uniform red: a one-sided range
 * runs from a faint tint to the full colour of its sign, a range across 0 stays diverging and symmetric about 0.
 * The bounds are rounded outwards to the two decimals the cells print, and the colour bar states them.
 */
export interface CorrelationScale {
  readonly min: number;
  readonly max: number;
  readonly auto: boolean;
  /** The colour bar's stops, low to high (ECharts interpolates them linearly, as `fill` does). */
  readonly stops: readonly string[];
  fill(v: number): string;
}

/** The faintest tint of a one-sided auto range: its lowest value still reads as a colour, not as "no value". */
const AUTO_FLOOR = 0.12;

export function correlationScale(
  matrix: readonly (readonly (number | null)[])[],
  c: ThemeColours,
  range: 'auto' | 'fixed',
  options: { skipDiagonal?: boolean } = {},
): CorrelationScale {
  const fixed: CorrelationScale = {
    min: -1,
    max: 1,
    auto: false,
    stops: [c.diverging[0], c.diverging[1], c.diverging[2]],
    fill: (v) => divergingFill(c, v),
  };
  if (range === 'fixed') return fixed;
  // A metric's correlation with itself is 1 by definition: it says nothing about the data's range.
  const values = matrix.flatMap((row, i) =>
    row.filter((v, j): v is number => v !== null && Number.isFinite(v) && !(options.skipDiagonal && i === j)),
  );
  if (values.length === 0) return fixed;
  let lo = Math.floor(Math.min(...values) * 100) / 100;
  let hi = Math.ceil(Math.max(...values) * 100) / 100;
  if (hi - lo < 0.01) {
    lo = Math.max(-1, lo - 0.01);
    hi = Math.min(1, hi + 0.01);
  }
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return { min: -m, max: m, auto: true, stops: fixed.stops, fill: (v) => divergingFill(c, v / m) };
  }
  const end = hi > 0 ? c.diverging[2] : c.diverging[0];
  const tint = (t: number) => mix(c.diverging[1], end, AUTO_FLOOR + (1 - AUTO_FLOOR) * Math.max(0, Math.min(1, t)));
  // Positive: stronger colour for higher values; negative: for lower (more negative) values.
  const fill = hi > 0 ? (v: number) => tint((v - lo) / (hi - lo)) : (v: number) => tint((hi - v) / (hi - lo));
  return { min: lo, max: hi, auto: true, stops: hi > 0 ? [tint(0), tint(1)] : [tint(1), tint(0)], fill };
}

/** The line under a heatmap's title that says what the colours span (the colour bar prints the same bounds). */
export function scaleNote(scale: CorrelationScale): string {
  return scale.auto
    ? `Colours: auto range ${boundLabel(scale.min, true)} to ${boundLabel(scale.max, true)}, the values shown (choose Fixed for −1 to +1)`
    : 'Colours: fixed range −1 to +1';
}

/** A colour bar bound, always signed (`+0.96`, `−0.35`, `+1`) so that it reads as a bound, not as a cell's value. */
function boundLabel(v: number, auto: boolean): string {
  const size = auto ? Math.abs(v).toFixed(2) : '1';
  return `${v < 0 ? '−' : '+'}${size}`;
}

/**
 * The parts every correlation heatmap shares: cells coloured on `scale` with a readable label colour, the colour
 * bar (its bounds printed, signed), and the heatmap series showing
 * each value to 2 decimals (null: no value, drawn as "–").
 */
export function correlationHeatmapParts(
  matrix: readonly (readonly (number | null)[])[],
  c: ThemeColours,
  fontSize: number,
  scale: CorrelationScale = correlationScale(matrix, c, 'fixed'),
): { visualMap: object; series: object[] } {
  const cells = [];
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < matrix[i].length; j++) {
      const v = matrix[i][j];
      const fill = v === null ? c.background : scale.fill(v);
      cells.push({ value: [j, i, v ?? '-'], itemStyle: { color: fill }, label: { color: labelColourOn(fill) } });
    }
  }
  const top = boundLabel(scale.max, scale.auto);
  return {
    visualMap: {
      type: 'continuous',
      min: scale.min,
      max: scale.max,
      calculable: false,
      orient: 'vertical',
      right: 10,
      top: 'middle',
      itemHeight: 220,
      text: [top, boundLabel(scale.min, scale.auto)],
      textStyle: { color: c.foreground },
      inRange: { color: [...scale.stops] },
      seriesIndex: 0,
    },
    series: [
      {
        type: 'heatmap',
        name: 'correlation',
        data: cells,
        label: {
          show: true,
          fontSize,
          formatter: (p: { value: [number, number, number | '-'] }) =>
            typeof p.value[2] === 'number' ? p.value[2].toFixed(2) : '–',
        },
        itemStyle: { borderColor: c.lines, borderWidth: 0.5 },
        emphasis: { itemStyle: { borderColor: c.focus, borderWidth: 2 } },
      },
    ],
  };
}
