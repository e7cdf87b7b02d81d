import type { OpFrequency, SpaceDescriptor } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import { attrs, esc, svgDocument, text, textWidth } from '../common/svg';
import { mix, textOn } from '../common/theme';

/**
 * Op frequency per edge among the top-k cells for a metric, as a grid (rows = edges, columns = ops), in the spirit
 * of the "selected operators of the top-10 architectures" figure of Wu et al. (ICLR 2024). Each square is shaded
 * by count / k in its op's colour; the cell's own op on each edge is outlined.
 */
export function frequencySvg(
  freq: OpFrequency,
  space: SpaceDescriptor,
  ownOps: readonly string[],
  datasetLabel: string,
  colours: ThemeColours,
): { svg: string; width: number; height: number } {
  const cellW = 64;
  const cellH = 26;
  const left = 70;
  const top = 56;
  const title = `Ops on each edge among the top-${freq.k} by ${freq.metricLabel} on ${datasetLabel}`;
  const width = Math.ceil(
    Math.max(left + space.ops.length * cellW + 16, 24 + textWidth(title, `600 13px ${colours.font}`)),
  );
  const height = top + space.edges.length * cellH + 16;
  const font = esc(colours.font);
  let body = `<rect width="100%" height="100%" fill="${esc(colours.background)}"/>`;
  body += text(12, 22, title, { fill: colours.foreground, 'font-family': font, 'font-size': 13, 'font-weight': 600 });
  space.ops.forEach((op, j) => {
    body += text(left + j * cellW + cellW / 2, top - 8, op.label, {
      'text-anchor': 'middle',
      'font-family': font,
      'font-size': 11,
      fill: colours.foreground,
    });
  });
  space.edges.forEach((e, i) => {
    const y = top + i * cellH;
    body += text(left - 10, y + cellH / 2 + 4, `${e.from}->${e.to}`, {
      'text-anchor': 'end',
      'font-family': font,
      'font-size': 11,
      fill: colours.foreground,
    });
    space.ops.forEach((op, j) => {
      const count = freq.counts[i][j];
      const share = freq.k > 0 ? count / freq.k : 0;
      // 'none' uses the foreground as its hue here: its usual faint line colour would vanish in the grid.
      const hue = j === 0 ? colours.foreground : colours.ops[j];
      const fill = mix(colours.background, hue, 0.08 + 0.82 * share);
      const x = left + j * cellW;
      const own = ownOps[i] === op.name;
      body += `<g${attrs({ class: 'freq-cell', 'data-edge': i, 'data-op': op.name, 'data-count': count })}>`;
      body += `<title>${esc(`Edge ${e.from}->${e.to}, ${op.name}: ${count} of ${freq.k}${own ? ' (this cell)' : ''}`)}</title>`;
      body += `<rect${attrs({ x: x + 1, y: y + 1, width: cellW - 2, height: cellH - 2, fill, stroke: own ? colours.foreground : 'none', 'stroke-width': own ? 2 : 0 })}/>`;
      body += text(x + cellW / 2, y + cellH / 2 + 4, String(count), {
        'text-anchor': 'middle',
        'font-family': font,
        'font-size': 11,
        fill: textOn(fill),
      });
      body += '</g>';
    });
  });
  return {
    svg: svgDocument(width, height, body, { role: 'img', 'aria-label': 'Op frequency among the top architectures' }),
    width,
    height,
  };
}
