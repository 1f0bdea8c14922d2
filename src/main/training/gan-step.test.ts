import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { createGanStep } from './gan-step';
import { buildDiscriminator, buildGenerator } from './models';
import { Rng } from './rng';

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
