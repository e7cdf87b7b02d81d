import type { ProxyResult } from '../../core/ntk/proxies/compute';
import { proxyDefinition } from '../../core/ntk/proxies/registry';
import { DATASET_SHAPE } from '../../core/space/cost';
import { formatKernelNumber } from '../../shared/ntkFormat';
import type { Report } from './reportModel';

/** A robust variant (`zc:snip@fgsm8`) is named by its own definition (`SNIP @ FGSM 8/255`) and its proxy's paper. */
function definitionOf(id: string) {
  try {
    return proxyDefinition(id);
  } catch {
    return undefined;
  }
}

/** The report: each proxy's value, name and paper, then what it was computed with (synthetic inputs said so). */
export function renderProxyReport(r: ProxyResult): Report {
  const inputs = r.inputs.synthetic
    ? `${r.inputs.count} synthetic inputs (seeded random images and labels, not data)`
    : `${r.inputs.count} images from ${r.inputs.source}`;
  const rows = Object.entries(r.values).map(([id, value]) => {
    const def = definitionOf(id);
    return [`${def?.name ?? id} (${id})`, formatKernelNumber(value), def?.paper ?? ''];
  });
  const backend = r.backend ? ` on the ${r.backend} back end` : '';
  return {
    tabTitle: 'Training-free scores',
    title: 'Training-free scores at initialisation',
    blocks: [
      { kind: 'paragraph', text: `\`${r.arch}\`` },
      { kind: 'table', table: { headers: ['Proxy', 'Value', 'Paper'], align: ['left', 'right', 'left'], rows } },
      {
        kind: 'paragraph',
        text: `Network C=${r.size.channels} N=${r.size.cellsPerStage}${r.size.name ? ` (${r.size.name})` : ''} on ${DATASET_SHAPE[r.dataset].label}; one batch of ${inputs}; seed ${r.seed}; ${r.seconds.toFixed(1)} s${backend}. Definitions as NASLib's zero-cost measures (docs/proxies.md).`,
      },
      {
        kind: 'paragraph',
        text: "A value alone says little: rank it against other cells with a proxy sweep (robust-nas proxy-sweep) and the Correlation Charts' Training-free proxies vs accuracy view.",
      },
    ],
  };
}
