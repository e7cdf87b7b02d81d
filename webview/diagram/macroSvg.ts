import type { MacroBlock } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import { attrs, esc, svgDocument, text } from '../common/svg';
import { mix } from '../common/theme';

/**
 * The whole network as a row of blocks (input, stem, three stages of cells joined by residual reduction blocks,
 * head), each with its output channels and spatial size. Block widths are fixed; the figure is a schematic.
 */
export function macroSvg(
  blocks: readonly MacroBlock[],
  params: number,
  flops: number,
  datasetLabel: string,
  colours: ThemeColours,
): { svg: string; width: number; height: number } {
  const boxW = 100;
  const gap = 16;
  const width = 16 + blocks.length * (boxW + gap);
  const height = 170;
  const top = 44;
  const boxH = 78;
  const font = esc(colours.font);
  let body = `<rect width="100%" height="100%" fill="${esc(colours.background)}"/>`;
  body += text(12, 22, `Network for ${datasetLabel}`, {
    fill: colours.foreground,
    'font-family': font,
    'font-size': 13,
    'font-weight': 600,
  });
  blocks.forEach((b, i) => {
    const x = 12 + i * (boxW + gap);
    const fill =
      b.kind === 'cells'
        ? mix(colours.background, colours.ops[3], 0.18)
        : b.kind === 'reduction'
          ? mix(colours.background, colours.ops[4], 0.18)
          : mix(colours.background, colours.foreground, 0.06);
    body += `<g${attrs({ class: 'macro-block', 'data-kind': b.kind, 'data-channels': b.channels, 'data-side': b.side })}>`;
    body += `<rect${attrs({ x, y: top, width: boxW, height: boxH, rx: 4, fill, stroke: colours.lines, 'stroke-width': 1 })}/>`;
    body += text(x + boxW / 2, top + 18, b.label, {
      'text-anchor': 'middle',
      'font-family': font,
      'font-size': 11,
      'font-weight': 600,
      fill: colours.foreground,
    });
    if (b.kind === 'cells')
      body += text(x + boxW / 2, top + 34, `${b.count} x cell`, {
        'text-anchor': 'middle',
        'font-family': font,
        'font-size': 11,
        fill: colours.foreground,
      });
    const shape = b.kind === 'head' ? `${b.channels} classes` : `${b.channels} x ${b.side} x ${b.side}`;
    body += text(x + boxW / 2, top + 56, shape, {
      'text-anchor': 'middle',
      'font-family': font,
      'font-size': 11,
      fill: colours.muted,
      class: 'macro-shape',
    });
    body += '</g>';
    if (i < blocks.length - 1) {
      const ax = x + boxW + 2;
      const ay = top + boxH / 2;
      body += `<path${attrs({ d: `M${ax} ${ay} L${ax + gap - 5} ${ay}`, stroke: colours.lines, 'stroke-width': 1.5 })}/>`;
      body += `<polygon${attrs({ points: `${ax + gap - 3},${ay} ${ax + gap - 8},${ay - 3} ${ax + gap - 8},${ay + 3}`, fill: colours.lines })}/>`;
    }
  });
  // NAS-Bench-201's units (params in "MB" = 10^6 parameters, FLOPs in M), the numbers its get_cost_info returns.
  body += text(
    12,
    top + boxH + 32,
    `Parameters: ${params.toLocaleString('en-US')} (${params / 1e6} MB)    FLOPs: ${flops / 1e6} M`,
    {
      'font-family': font,
      'font-size': 12,
      fill: colours.foreground,
      class: 'macro-cost',
    },
  );
  return {
    svg: svgDocument(width, height, body, { role: 'img', 'aria-label': `Network for ${datasetLabel}` }),
    width,
    height,
  };
}
