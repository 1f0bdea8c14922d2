/**
 * How fast this machine trains, for the doctor's first line: a few real
 * steps (the models of a preset and the real GAN step, gan-step.ts) on the
 * backend tf is on now, after one warm-up step (kernel setup), as images per
 * second of the median step.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainingSpeed } from '../../shared/doctor';
import type { PresetName } from '../../shared/presets';
import { createGanStep } from './gan-step';
import { buildDiscriminator, buildGenerator, imageShapeOf } from './models';

/** Times `timedSteps` steps of `preset` at `batchSize` on the current backend. */
export async function measureTrainingSpeed(preset: PresetName = 'quick', batchSize = 64, timedSteps = 3): Promise<TrainingSpeed> {
  const config = resolveTrainingConfig({ preset, batchSize, seed: 1 });
  const { size, channels } = imageShapeOf(config);
  const generator = buildGenerator(config);
  const discriminator = buildDiscriminator(config);
  const ganStep = createGanStep({ generator, discriminator, config });
  const real = tf.randomUniform([batchSize, size, size, channels], -1, 1, 'float32', 2) as tf.Tensor4D;
  const noise = tf.randomNormal([batchSize, config.latentDim], 0, 1, 'float32', 3) as tf.Tensor2D;
  try {
    await ganStep.step(real, noise, 1);
    const times: number[] = [];
    for (let step = 2; step < 2 + timedSteps; step++) {
      const start = performance.now();
      await ganStep.step(real, noise, step);
      times.push(performance.now() - start);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    return { preset, batchSize, imagesPerSecond: (batchSize * 1000) / median };
  } finally {
    tf.dispose([real, noise]);
    ganStep.dispose();
    generator.dispose();
    discriminator.dispose();
  }
}
