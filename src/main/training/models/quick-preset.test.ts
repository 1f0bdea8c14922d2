/**
 * The `quick` preset is what docs/training.md ("A first run in minutes") and
 * docs/models.md say it is: the measured claim there holds for exactly this config, so a change
 * to the preset must change the docs (and be measured again) too.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { buildDiscriminator, buildGenerator } from './build';
import { summarizeModel } from './summary';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the quick preset', () => {
  const config = resolveTrainingConfig({ preset: 'quick', seed: 1 });

  it('resolves to the documented hyper-parameters and recipes', () => {
    expect(config).toMatchObject({
      latentDim: 64,
      batchSize: 64,
      epochs: 8,
      generatorLearningRate: 5e-4,
      discriminatorLearningRate: 5e-4,
      generatorBeta1: 0.5,
      discriminatorBeta1: 0.5,
      scoreEvery: 1,
      scoreSampleSize: 500,
      emaDecay: 0.99,
    });
    // Only the EMA generator: the loss stays the tutorial's BCE and no other recipe is on.
    for (const off of ['loss', 'labelSmoothing', 'instanceNoise', 'diffAugment', 'spectralNorm', 'r1Gamma'] as const) {
      expect(config[off]).toBeUndefined();
    }
  });

  it('builds a 28×28×1 generator of 254,545 parameters (248,177 trainable) and a 36,513-parameter discriminator', () => {
    const generator = buildGenerator(config);
    const discriminator = buildDiscriminator(config);
    try {
      expect(generator.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
      expect(summarizeModel(generator)).toMatchObject({ totalParams: 254_545, trainableParams: 248_177 });
      expect(summarizeModel(discriminator).totalParams).toBe(36_513);
    } finally {
      generator.dispose();
      discriminator.dispose();
    }
  });
});
