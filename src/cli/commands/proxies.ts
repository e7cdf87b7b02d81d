import { canonicalCell } from '../../core/ntk/canonical';
import { NETWORK_SIZES, type NetworkSizeName } from '../../core/ntk/network';
import { computeProxies, shutdownNtkPool, type ProxyJobOptions } from '../../core/ntk/pool';
import { DEFAULT_PROXY_CONFIG, proxyJobOptions } from '../../core/ntk/proxies/jobOptions';
import { PROXY_IDS } from '../../core/ntk/proxies/registry';
import { hasOwnKey } from '../../core/lookupTable';
import { intOption, parseDataset, stringOption } from '../args';
import type { CliCommand, OptionValues } from '../command';
import { CliError } from '../errors';
import { cellFromArgument, withInterrupt } from '../ntk/run';
import { formatProxyResult } from '../ntk/proxyFormat';

/** `proxies`' flags as job options (CliError for bad values, with the list of valid proxy ids). */
export function proxyOptionsFrom(values: OptionValues): ProxyJobOptions {
  const sizeText = stringOption(values, 'size') ?? DEFAULT_PROXY_CONFIG.size;
  if (!hasOwnKey(NETWORK_SIZES, sizeText))
    throw new CliError(`--size must be ${Object.keys(NETWORK_SIZES).join(' or ')}, got '${sizeText}'.`);
  const size = sizeText as NetworkSizeName;
  const custom = values.channels !== undefined || values.cells !== undefined;
  const dataset = values.dataset === undefined ? undefined : parseDataset(String(values.dataset));
  try {
    const options = proxyJobOptions({
      size,
      channels: custom ? intOption(values, 'channels', NETWORK_SIZES[size].channels, 1, 256) : undefined,
      cellsPerStage: custom ? intOption(values, 'cells', NETWORK_SIZES[size].cellsPerStage, 1, 32) : undefined,
      proxies: stringOption(values, 'proxies') ?? DEFAULT_PROXY_CONFIG.proxies,
      inputs: stringOption(values, 'inputs') ?? DEFAULT_PROXY_CONFIG.inputs,
      n: intOption(values, 'n', DEFAULT_PROXY_CONFIG.n, 1, 1024),
      seed: intOption(values, 'seed', DEFAULT_PROXY_CONFIG.seed, 0, 2 ** 32 - 1),
      dataset,
    });
    if (dataset && options.inputs.dataset !== dataset)
      throw new CliError(`--dataset ${dataset} disagrees with --inputs ${options.inputs.dataset}:...`);
    return options;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
}

export const proxiesCommand: CliCommand = {
  name: 'proxies',
  summary: 'zero-cost proxies (grad_norm, SNIP, Fisher, plain, l2_norm, SynFlow, ...) of one architecture',
  usage:
    'proxies <arch> [--proxies zc:snip,zc:synflow|all] [--size proxy|full] [--inputs synthetic|cifar10:DIR] [--n 32] [--seed S] [--json]',
  description:
    "Computes training-free scores of NAS-Bench-201's network for the cell at initialisation, each exactly as NASLib's " +
    'zero-cost measure of that name defines it (naslib/predictors/utils/pruners/measures): one batch, mean cross-entropy, ' +
    'BatchNorm with batch statistics, conv and linear weights, summed over layers; SynFlow without BatchNorm, with |weights| ' +
    "and an all-ones image, in float64. Uses the NTK scorer's network, seeding and inputs (the same weights as `robust-nas ntk` " +
    'with that seed); without --inputs the images and labels are seeded synthetic ones, and every output says so. ' +
    `Proxy ids: ${PROXY_IDS.join(', ')}; robust variants <id>@fgsm3|pgd3|fgsm8|pgd8 (the proxy on inputs attacked at ` +
    'initialisation) for the proxies that read images.',
  options: {
    proxies: { type: 'string' },
    size: { type: 'string' },
    channels: { type: 'string' },
    cells: { type: 'string' },
    inputs: { type: 'string' },
    dataset: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
  },
  optionsHelp: [
    [
      '--proxies LIST',
      `comma-separated proxy ids, or all, or all@<attack> (default: all): ${PROXY_IDS.join(', ')}, zc:<id>@fgsm3|pgd3|fgsm8|pgd8`,
    ],
    ['--size proxy|full', "network size: full = C16 N5 (the benchmark's), proxy = C8 N1 (default: proxy)"],
    ['--channels C --cells N', 'any other size (overrides --size)'],
    [
      '--inputs SPEC',
      'synthetic (default; seeded images and labels) or DATASET:FOLDER, e.g. cifar10:~/data/cifar-10-batches-py',
    ],
    ['--dataset D', 'dataset shape and classes for synthetic inputs (default cifar10)'],
    ['--n N', "batch size (default 32, NASLib's)"],
    ['--seed S', 'seed of the weights and of the synthetic inputs (default 0)'],
  ],
  examples: [
    "proxies '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'",
    'proxies 1462 --proxies zc:snip,zc:synflow --size full --json',
    'proxies 333133 --inputs cifar10:~/data/cifar-10-batches-py',
  ],
  async run(ctx) {
    const options = proxyOptionsFrom(ctx.values);
    const cell = await cellFromArgument(ctx, ctx.positionals[0]);
    try {
      // The class's canonical member, as `ntk` scores: isomorphic cells get identical numbers.
      const result = await withInterrupt((signal) =>
        computeProxies(canonicalCell(cell), options, signal, (p) => {
          if (!ctx.json && process.stderr.isTTY) process.stderr.write(`\r${p.stage} (${p.done}/${p.total})        `);
        }),
      );
      if (!ctx.json && process.stderr.isTTY) process.stderr.write('\r' + ' '.repeat(60) + '\r');
      if (ctx.json) {
        ctx.out(JSON.stringify(result, null, 2));
        return;
      }
      for (const line of formatProxyResult(result)) ctx.out(line);
    } finally {
      await shutdownNtkPool();
    }
  },
};
