/**
 * Every recipe through the real step on wasm (the studio's kernels) and on
 * cpu from identical weights and batches: the same losses, and no leak.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { selectBackend } from '../../backend';
import { createGanStep, type GanStepResult } from '../gan-step';
import { buildDiscriminator, buildGenerator } from '../models';
import { Rng, withMathRandom } from '../../common/rng';

const config = resolveTrainingConfig({
  preset: 'tiny',
  seed: 5,
  batchSize: 8,
  loss: 'hinge',
  instanceNoise: 0.1,
  diffAugment: ['color', 'translation', 'cutout'],
  emaDecay: 0.99,
  spectralNorm: true,
  r1Gamma: 1,
  dropout: 0,
});

async function threeSteps(backend: 'cpu' | 'wasm'): Promise<{ results: GanStepResult[]; leaked: number }> {
  await selectBackend({ forced: backend });
  const { generator, discriminator } = withMathRandom(Rng.stream(config.seed, 'init'), () => ({
    generator: buildGenerator(config),
    discriminator: buildDiscriminator(config),
  }));
  const gan = createGanStep({ generator, discriminator, config, totalSteps: 3 });
  const rng = new Rng(2);
  const real = tf.tensor4d(rng.normals(8 * 16 * 16).map(Math.tanh), [8, 16, 16, 1]);
  const noise = tf.tensor2d(rng.normals(8 * config.latentDim), [8, config.latentDim]);
  const results = [await gan.step(real, noise, 1)];
  const before = tf.memory().numTensors;
  results.push(await gan.step(real, noise, 2), await gan.step(real, noise, 3));
  const leaked = tf.memory().numTensors - before;
  tf.dispose([real, noise]);
  gan.dispose();
  generator.dispose();
  discriminator.dispose();
  return { results, leaked };
}

describe('every recipe on wasm', () => {
  it('trains like cpu (losses within 0.005 over 3 steps) with a flat tensor count', async () => {
    const cpu = await threeSteps('cpu');
    const wasm = await threeSteps('wasm');
    expect(wasm.leaked).toBe(0);
    expect(cpu.leaked).toBe(0);
    wasm.results.forEach((result, i) => {
      expect(result.gen_loss).toBeCloseTo(cpu.results[i]!.gen_loss, 2);
      expect(result.disc_loss).toBeCloseTo(cpu.results[i]!.disc_loss, 2);
    });
  });
});
