import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { createGanStep } from './gan-step';
import { buildDiscriminator, buildGenerator } from './models';
import { Rng } from '../common/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createGanStep', () => {
  it('returns finite plain-number metrics and keeps the tensor count flat', async () => {
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8 });
    const generator = buildGenerator(config);
    const discriminator = buildDiscriminator(config);
    const gan = createGanStep({ generator, discriminator, config });
    const rng = new Rng(1);
    let stepNumber = 0;
    const run = async () => {
      const real = tf.tensor4d(rng.normals(8 * 16 * 16).map(Math.tanh), [8, 16, 16, 1]);
      const noise = tf.tensor2d(rng.normals(8 * config.latentDim), [8, config.latentDim]);
      const result = await gan.step(real, noise, ++stepNumber);
      tf.dispose([real, noise]);
      return result;
    };
    const snapshot = () => [generator, discriminator].map((model) => model.trainableWeights.map((w) => [...w.read().dataSync()]));
    const before = snapshot();
    const first = await run(); // creates the optimizers' moment variables
    const after = snapshot();
    // Both networks moved: each Adam applied its own gradients.
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    const afterFirst = tf.memory().numTensors;
    const results = [await run(), await run(), await run()];
    expect(tf.memory().numTensors).toBe(afterFirst);
    for (const result of [first, ...results]) {
      for (const value of Object.values(result)) {
        expect(typeof value).toBe('number');
        expect(Number.isFinite(value)).toBe(true);
      }
      expect(result.real_accuracy).toBeGreaterThanOrEqual(0);
      expect(result.fake_accuracy).toBeLessThanOrEqual(1);
    }
    gan.dispose();
    generator.dispose();
    discriminator.dispose();
  });

  it('rejects mismatched batches with an "expected …, got …" message', async () => {
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 3 });
    const gan = createGanStep({ generator: buildGenerator(config), discriminator: buildDiscriminator(config), config });
    const real = tf.zeros([4, 16, 16, 1]) as tf.Tensor4D;
    const noise = tf.zeros([3, config.latentDim]) as tf.Tensor2D;
    await expect(gan.step(real, noise, 1)).rejects.toThrow(/expected real .* got \[4,16,16,1\]/);
    tf.dispose([real, noise]);
    gan.dispose();
  });
});

/**
 * A 1×1×1 "image" GAN whose logits are set by hand: G(z) = z and D(x) = x
 * (identity dense layers), so real logits are the real pixels and fake
 * logits the noise. The step reports the losses and accuracies of the
 * pre-update weights, which are worked out here in plain JS: flipping a
 * label or an accuracy comparison in the step fails this test.
 */
describe('the step on logits chosen by hand', () => {
  const real = [2, 0.5, -1];
  const fake = [-3, -0.5, 1.5];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const softplus = (x: number) => Math.log1p(Math.exp(x));

  function identityGan(extra: Record<string, unknown> = {}) {
    const identity = () => tf.initializers.ones();
    const generator = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: identity(), biasInitializer: 'zeros' }),
        tf.layers.reshape({ targetShape: [1, 1, 1] }),
      ],
    });
    const discriminator = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [1, 1, 1] }), tf.layers.dense({ units: 1, kernelInitializer: identity(), biasInitializer: 'zeros' })],
    });
    const config = { ...resolveTrainingConfig({ preset: 'tiny', seed: 1 }), ...extra };
    return createGanStep({ generator, discriminator, config, emaCopy: () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 }), tf.layers.reshape({ targetShape: [1, 1, 1] })] }) });
  }

  async function stepOnce(extra: Record<string, unknown> = {}) {
    const gan = identityGan(extra);
    const realBatch = tf.tensor4d(real, [3, 1, 1, 1]);
    const noise = tf.tensor2d(fake, [3, 1]);
    const result = await gan.step(realBatch, noise, 1);
    tf.dispose([realBatch, noise]);
    gan.dispose();
    return result;
  }

  it('bce: D labels real 1 and fake 0, G labels fake 1; accuracies count real ≥ 0 and fake < 0', async () => {
    const result = await stepOnce();
    expect(result.disc_loss).toBeCloseTo(mean(real.map((x) => softplus(-x))) + mean(fake.map((x) => softplus(x))), 5);
    expect(result.gen_loss).toBeCloseTo(mean(fake.map((x) => softplus(-x))), 5);
    expect(result.real_accuracy).toBeCloseTo(2 / 3, 6); // 2 and 0.5 are ≥ 0
    expect(result.fake_accuracy).toBeCloseTo(2 / 3, 6); // −3 and −0.5 are < 0
  });

  it('hinge: D pushes real above +1 and fake below −1, G raises D(fake)', async () => {
    const result = await stepOnce({ loss: 'hinge' });
    const relu = (x: number) => Math.max(0, x);
    expect(result.disc_loss).toBeCloseTo(mean(real.map((x) => relu(1 - x))) + mean(fake.map((x) => relu(1 + x))), 5);
    expect(result.gen_loss).toBeCloseTo(-mean(fake), 5);
    expect(result.real_accuracy).toBeCloseTo(2 / 3, 6);
    expect(result.fake_accuracy).toBeCloseTo(2 / 3, 6);
  });

  it('bce with label smoothing 0.1: D’s real target is 0.9, its fake target stays 0 and G’s target stays 1', async () => {
    const result = await stepOnce({ labelSmoothing: 0.1 });
    const bce = (x: number, label: number) => label * softplus(-x) + (1 - label) * softplus(x);
    expect(result.disc_loss).toBeCloseTo(mean(real.map((x) => bce(x, 0.9))) + mean(fake.map((x) => bce(x, 0))), 5);
    expect(result.gen_loss).toBeCloseTo(mean(fake.map((x) => bce(x, 1))), 5);
  });

  it('least-squares counts against its 0.5 boundary; label smoothing moves only the real target', async () => {
    const result = await stepOnce({ loss: 'least-squares', labelSmoothing: 0.2 });
    const expected = 0.5 * (mean(real.map((x) => (x - 0.8) ** 2)) + mean(fake.map((x) => x ** 2)));
    expect(result.disc_loss).toBeCloseTo(expected, 5);
    expect(result.gen_loss).toBeCloseTo(0.5 * mean(fake.map((x) => (x - 1) ** 2)), 5);
    expect(result.real_accuracy).toBeCloseTo(2 / 3, 6); // 2 and 0.5 are ≥ 0.5
    expect(result.fake_accuracy).toBeCloseTo(2 / 3, 6); // −3 and −0.5 are < 0.5
  });

  it('R1 adds (γ/2)·mean‖∇ₓD‖² to D’s loss: ∇ₓD = 1 for D(x) = x', async () => {
    const plain = await stepOnce({ loss: 'hinge' });
    const penalised = await stepOnce({ loss: 'hinge', r1Gamma: 4 });
    expect(penalised.disc_loss - plain.disc_loss).toBeCloseTo((4 / 2) * 1, 5);
  });
});
