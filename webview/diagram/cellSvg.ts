import type { CellGraph, SpaceDescriptor } from '../../src/shared/webviewMessages';
import type { ThemeColours } from '../common/theme';
import { attrs, esc, round, svgDocument, text } from '../common/svg';

/**
 * The cell as a DAG, in a fixed layout: the four nodes on a line (0 = cell input, 3 = cell output); the three
 * chain edges 0->1, 1->2, 2->3 straight; 0->2 and 0->3 arcs above, 1->3 an arc below. Each edge is coloured and
 * labelled by its op; dead edges (they change nothing for any weights) are dashed; `none` edges are faint and
 * dotted, or left out.
 */

export const CELL_SVG_WIDTH = 460;
export const CELL_SVG_HEIGHT = 285;
const NODE_Y = 165;
const NODE_R = 17;
const NODE_X = [50, 170, 290, 410];
/** Vertical offset of each edge's Bézier control point (0 = straight), by edge position. */
const BEND = [0, -95, 0, -215, 95, 0];

export interface CellSvgOptions {
  showNoneEdges: boolean;
  /** Edges drawn emphasised (what changed against the other cell). */
  emphasise?: readonly number[];
  title: string;
}

interface EdgeGeometry {
  path: string;
  label: { x: number; y: number };
  arrow: string;
}

function geometry(from: number, to: number, bend: number): EdgeGeometry {
  const x0 = NODE_X[from];
  const x1 = NODE_X[to];
  const cx = (x0 + x1) / 2;
  const cy = NODE_Y + bend;
  // Start and end on the node circles, along the tangent of the quadratic curve at each end.
  const startAngle = Math.atan2(cy - NODE_Y, cx - x0);
  const endAngle = Math.atan2(NODE_Y - cy, x1 - cx);
  const sx = x0 + NODE_R * Math.cos(startAngle);
  const sy = NODE_Y + NODE_R * Math.sin(startAngle);
  const ex = x1 - (NODE_R + 1) * Math.cos(endAngle);
  const ey = NODE_Y - (NODE_R + 1) * Math.sin(endAngle);
  const path =
    bend === 0
      ? `M${round(sx)} ${round(sy)} L${round(ex)} ${round(ey)}`
      : `M${round(sx)} ${round(sy)} Q${round(cx)} ${round(cy)} ${round(ex)} ${round(ey)}`;
  // Label at the curve's midpoint (t = 1/2 of the quadratic Bézier); chain edges get theirs above the line.
  const mx = 0.25 * sx + 0.5 * cx + 0.25 * ex;
  const my = bend === 0 ? NODE_Y - 9 : 0.25 * sy + 0.5 * cy + 0.25 * ey + (bend < 0 ? -6 : 14);
  const size = 8;
  const a = endAngle;
  const p1 = [ex, ey];
  const p2 = [ex - size * Math.cos(a - 0.45), ey - size * Math.sin(a - 0.45)];
  const p3 = [ex - size * Math.cos(a + 0.45), ey - size * Math.sin(a + 0.45)];
  const arrow = [p1, p2, p3].map((p) => `${round(p[0])},${round(p[1])}`).join(' ');
  return { path, label: { x: mx, y: my }, arrow };
}

/** The cell's SVG document; every edge group carries data-edge/data-op (and data-dead) for tests and tooltips. */
export function cellSvg(
  cell: CellGraph,
  space: SpaceDescriptor,
  colours: ThemeColours,
  options: CellSvgOptions,
): string {
  const deadReason = new Map(cell.dead.map((d) => [d.edge, d.reason]));
  const font = esc(colours.font);
  let body = `<rect width="100%" height="100%" fill="${esc(colours.background)}"/>`;
  body += text(12, 22, options.title, {
    fill: colours.foreground,
    'font-family': font,
    'font-size': 13,
    'font-weight': 600,
  });
  space.edges.forEach((e, k) => {
    const op = cell.ops[k];
    const opIndex = space.ops.findIndex((o) => o.name === op);
    const isNone = op === 'none';
    if (isNone && !options.showNoneEdges) return;
    const g = geometry(e.from, e.to, BEND[k]);
    const colour = colours.ops[opIndex] ?? colours.foreground;
    const dead = deadReason.get(k);
    const emphasised = options.emphasise?.includes(k) ?? false;
    const dash = isNone ? '2 4' : dead ? '7 5' : undefined;
    const opacity = isNone ? 0.55 : 1;
    const label = `${space.ops[opIndex]?.label ?? op}${dead ? ' (dead)' : ''}`;
    const titleText = `Edge ${e.from}->${e.to}: ${op}${dead ? ` - dead (${dead === 'unreachable' ? 'its output never reaches the cell output' : 'its input is always zero'})` : ''}`;
    body += `<g${attrs({ class: 'edge', 'data-edge': k, 'data-op': op, 'data-dead': dead, opacity })}>`;
    body += `<title>${esc(titleText)}</title>`;
    if (emphasised)
      body += `<path${attrs({ d: g.path, fill: 'none', stroke: colours.highlight, 'stroke-width': 9, 'stroke-opacity': 0.45 })}/>`;
    body += `<path${attrs({ d: g.path, fill: 'none', stroke: colour, 'stroke-width': emphasised ? 3.5 : 2.5, 'stroke-dasharray': dash })}/>`;
    body += `<polygon${attrs({ points: g.arrow, fill: colour })}/>`;
    // The label is drawn with a halo in the background colour so it stays legible where it crosses other edges.
    body += text(g.label.x, g.label.y, label, {
      'text-anchor': 'middle',
      'font-family': font,
      'font-size': 12,
      fill: colour,
      stroke: colours.background,
      'stroke-width': 4,
      'paint-order': 'stroke',
      'stroke-linejoin': 'round',
      class: 'edge-label',
    });
    body += '</g>';
  });
  NODE_X.forEach((x, n) => {
    body += `<g${attrs({ class: 'node', 'data-node': n })}>`;
    body += `<circle${attrs({ cx: x, cy: NODE_Y, r: NODE_R, fill: colours.background, stroke: colours.foreground, 'stroke-width': 1.5 })}/>`;
    body += text(x, NODE_Y + 5, String(n), {
      'text-anchor': 'middle',
      'font-family': font,
      'font-size': 14,
      fill: colours.foreground,
    });
    if (n === 0 || n === 3) {
      body += text(x, NODE_Y + NODE_R + 34, n === 0 ? 'input' : 'output', {
        'text-anchor': 'middle',
        'font-family': font,
        'font-size': 11,
        fill: colours.muted,
      });
    }
    body += '</g>';
  });
  return svgDocument(CELL_SVG_WIDTH, CELL_SVG_HEIGHT, body, { role: 'img', 'aria-label': options.title });
}
