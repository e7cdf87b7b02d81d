import { NETWORK_SIZES } from '../../core/ntk/network';
import type { ProxyResult } from '../../core/ntk/proxies/compute';
import { proxyDefinition } from '../../core/ntk/proxies/registry';
import { formatTable } from '../format/table';

function num(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toPrecision(6);
}

/** What was computed (network size, inputs incl. "synthetic", seed), then one row per proxy with what it reads. */
export function formatProxyResult(r: ProxyResult): string[] {
  const sizeName = Object.entries(NETWORK_SIZES).find(
    ([, s]) => s.channels === r.size.channels && s.cellsPerStage === r.size.cellsPerStage,
  )?.[0];
  const inputs = r.inputs.synthetic
    ? 'synthetic inputs (seeded random images and labels, not data)'
    : `inputs from ${r.inputs.source}`;
  const lines = [
    `Zero-cost proxies of ${r.arch}`,
    `  network C=${r.size.channels} N=${r.size.cellsPerStage}${sizeName ? ` (${sizeName})` : ''}, ${r.dataset}; one batch of ${r.inputs.count} ${inputs}; seed ${r.seed}`,
    `  ${num(r.seconds)} s${r.backend ? ` (${r.backend})` : ''}`,
    '',
  ];
  const rows = Object.entries(r.values).map(([id, value]) => {
    const def = proxyDefinition(id);
    const reads = def.needsLabels ? 'batch + labels' : def.needsData ? 'batch' : 'weights only';
    return [id, def.name, num(value!), reads];
  });
  lines.push(
    ...formatTable(
      [{ header: 'proxy' }, { header: 'name' }, { header: 'value', align: 'right' }, { header: 'reads' }],
      rows,
    ),
  );
  lines.push('', '  Definitions: robust-nas proxies --help; docs/proxies.md.');
  return lines;
}
