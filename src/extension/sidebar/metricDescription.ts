/**
 * `48.10% (best) · #3 / 6466`: the best mark right after the value, so that a narrow side bar, which cuts the end
 * of the line, cuts the rank (also in the tooltip) and never the mark.
 */
export function metricDescription(node: {
  readonly value: string;
  readonly rank: string;
  readonly best: boolean;
}): string {
  return `${node.value}${node.best ? ' (best)' : ''} · ${node.rank}`;
}
