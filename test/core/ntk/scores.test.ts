import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../src/core/space';
import { attackPixels, defaultAttack, lossGradientWrtPixels } from '../../../src/core/ntk/attack';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { Tape } from '../../../src/core/ntk/engine/tape';
import { normalisePixels } from '../../../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { buildNetwork } from '../../../src/core/ntk/network';
import { softmaxCrossEntropy } from '../../../src/core/ntk/ops/softmaxCrossEntropy';
import { computeNtkScoresSync, NTK_VARIANTS } from '../../../src/core/ntk/scores';

const parsed = parseArchString(
  '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|',
);
if (!parsed.ok) throw new Error('arch');
const cell = parsed.cell;
const tiny = { channels: 2, cellsPerStage: 1 };

function loss(
  pixels: Float32Array,
  inputs: ReturnType<typeof syntheticInputs>,
  net: ReturnType<typeof buildNetwork>,
): number {
  const tape = new Tape(jsBackend());
  const data = normalisePixels(pixels, 'cifar10');
  const logits = net.forward(tape, tape.leaf({ c: 3, b: inputs.count, h: 32, w: 32, data }));
  return softmaxCrossEntropy(logits.t.data, 10, inputs.labels).loss;
}

test('FGSM and PGD stay inside the eps-ball and [0, 1] and raise the loss at initialisation', () => {
  const inputs = syntheticInputs('cifar10', 4, 2);
  const net = buildNetwork(cell, { ...tiny, classes: 10, inputSize: 32 }, 1, jsBackend());
  const before = loss(inputs.pixels, inputs, net);
  for (const kind of ['fgsm', 'pgd'] as const) {
    const attack = { ...defaultAttack(kind, 8), steps: 3 };
    const adv = attackPixels(net, inputs, inputs.pixels, attack, 1, jsBackend());
    let maxDelta = 0;
    for (let i = 0; i < adv.length; i++) {
      assert.ok(adv[i] >= 0 && adv[i] <= 1);
      maxDelta = Math.max(maxDelta, Math.abs(adv[i] - inputs.pixels[i]));
    }
    assert.ok(maxDelta <= attack.eps + 1e-6 && maxDelta > attack.eps / 2, `${kind} max perturbation ${maxDelta}`);
    assert.ok(loss(adv, inputs, net) > before, `${kind} did not raise the loss`);
  }
  const g = lossGradientWrtPixels(net, inputs.pixels, inputs, jsBackend());
  assert.ok(g.some((v) => v !== 0));
});

test('all variants and baselines for both kernels: present, finite where defined, labelled synthetic', () => {
  const inputs = syntheticInputs('cifar10', 3, 4);
  for (const kernel of ['fixed-bn', 'exact'] as const) {
    const r = computeNtkScoresSync(cell, {
      options: {
        size: tiny,
        kernel,
        variants: NTK_VARIANTS,
        attack: { ...defaultAttack('pgd', 8), steps: 2 },
        tradeOff: 0.5,
        seed: 1,
        baselines: true,
      },
      inputs,
      backend: jsBackend(),
    });
    assert.equal(r.kernel, kernel);
    assert.equal(r.inputs.source, 'synthetic');
    assert.deepEqual(Object.keys(r.variants).sort(), [...NTK_VARIANTS].sort());
    for (const v of NTK_VARIANTS) {
      const s = r.variants[v]!;
      assert.ok(s.frobenius > 0 && Number.isFinite(s.frobenius), `${kernel} ${v}`);
      assert.ok(s.maxEigenvalue >= s.minEigenvalue);
    }
    assert.equal(r.variants.cross!.spectrum, 'singular-values');
    // beta = 0.5 halves each block: ||joint||_F^2 = (||K_XX||^2 + 2||K_XX'||^2 + ||K_X'X'||^2) / 4.
    const j = r.variants['joint-clean']!.frobenius;
    const expected =
      Math.sqrt(
        r.variants.clean!.frobenius ** 2 + 2 * r.variants.cross!.frobenius ** 2 + r.variants.robust!.frobenius ** 2,
      ) / 2;
    assert.ok(Math.abs(j - expected) < 1e-6 * expected, `joint ${j} vs ${expected}`);
    assert.ok(r.knas! > 0);
    assert.ok(Number.isFinite(r.naswot!));
  }
});

test('same seed gives the same scores; the clean kernel does not depend on which other variants are asked for', () => {
  const inputs = syntheticInputs('cifar10', 3, 4);
  const run = (variants: ('clean' | 'robust')[]) =>
    computeNtkScoresSync(cell, {
      options: {
        size: tiny,
        kernel: 'fixed-bn',
        variants,
        attack: defaultAttack('fgsm', 8),
        tradeOff: 0.5,
        seed: 9,
        baselines: false,
      },
      inputs,
      backend: jsBackend(),
    });
  assert.equal(run(['clean']).variants.clean!.frobenius, run(['clean', 'robust']).variants.clean!.frobenius);
  assert.throws(
    () =>
      computeNtkScoresSync(cell, {
        options: {
          size: tiny,
          kernel: 'fixed-bn',
          variants: ['clean'],
          attack: defaultAttack('fgsm', 8),
          tradeOff: 2,
          seed: 1,
          baselines: false,
        },
        inputs,
        backend: jsBackend(),
      }),
    /trade-off/,
  );
});
