// The cells the PyTorch fixtures are made for (tools/ntk-fixtures.ts: NTK; tools/proxy-fixtures.ts: zero-cost
// proxies): a mixed cell with `none` and `skip` edges, an all-conv cell, a pool/skip cell on ImageNet16-120's
// shape, and a cell whose output ignores its input.
export const REFERENCE_PROBLEMS = [
  {
    name: 'mixed-cifar10',
    arch: '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|',
    dataset: 'cifar10',
  },
  {
    name: 'conv3x3-cifar100',
    arch: '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    dataset: 'cifar100',
  },
  {
    name: 'pool-skip-imagenet16',
    arch: '|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|',
    dataset: 'imagenet16-120',
  },
  // Index 12's cell: the output is reached only through `none` edges (a conv of a zero node adds BN's shift), so
  // the input gradient is zero and the kernel does not depend on the inputs.
  {
    name: 'input-independent-cifar10',
    arch: '|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|',
    dataset: 'cifar10',
  },
] as const;
