/** Instance noise's schedule and draw, then what the discriminator is given in the real step. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { createGanStep } from '../gan-step';
import { buildDiscriminator, buildGenerator } from '../models';
import { Rng } from '../../common/rng';
import { addInstanceNoise, instanceNoiseStd } from './instance-noise';
import { probeGan } from './probe-gan';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('instance noise', () => {
  it('falls linearly from its initial std at step 1 to 0 at the last step', () => {
    expect([1, 6, 11].map((step) => instanceNoiseStd(0.2, step, 11))).toEqual([0.2, 0.1, 0]);
    expect(instanceNoiseStd(0.2, 3, 11)).toBeCloseTo(0.16, 10);
    expect(instanceNoiseStd(0.2, 20, 11)).toBe(0); // never negative past the end
  });

  it('adds N(0, std²) drawn from the stream: same stream, same noise; std 0 is the identity', () => {
    const x = tf.zeros([4, 8, 8, 1]);
    const a = addInstanceNoise(x, 0.5, new Rng(3)).dataSync() as Float32Array;
    const b = addInstanceNoise(x, 0.5, new Rng(3)).dataSync();
    expect([...a]).toEqual([...b]);
    const sd = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(sd).toBeGreaterThan(0.4);
    expect(sd).toBeLessThan(0.6);
    expect(addInstanceNoise(x, 0, new Rng(3))).toBe(x);
  });
});

/**
 * In the step, on a run of 2,001 steps with instance noise 0.4: what D saw
 * minus the batch it was given is the noise, on the reals and on the fakes,
 * in both phases, with the std the schedule gives at that step — including
 * the long case, half-way through (step 1,001).
 */
describe('instance noise in the step', () => {
  const totalSteps = 2001;
  const added = (seen: Float32Array, source: Float32Array) => Array.from(seen, (v, i) => v - source[i]!);
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const rms = (xs: number[]) => Math.sqrt(mean(xs.map((v) => v * v)));

  async function noiseSeenAt(step: number) {
    const gan = probeGan({ recipes: { instanceNoise: 0.4 }, totalSteps });
    await gan.step(step);
    const seen = gan.phases();
    const noise = {
      onReal: added(seen.real, gan.real),
      onFakeInGeneratorPhase: added(seen.generatorFake, gan.fake),
      onFakeInDiscriminatorPhase: added(seen.discriminatorFake, gan.fake),
    };
    gan.dispose();
    return noise;
  }

  it.each([
    [1, 0.4],
    [1001, 0.2],
    [1501, 0.1],
  ])('at step %i D sees N(0, %f²) added to the reals and to the fakes of both phases', async (step, std) => {
    const noise = await noiseSeenAt(step);
    expect(instanceNoiseStd(0.4, step, totalSteps)).toBeCloseTo(std, 10);
    for (const [where, values] of Object.entries(noise)) {
      // 1,536 draws: one standard error of the sample std is ~2% of σ, of the mean σ/39.
      expect(Math.abs(rms(values) / std - 1), `${where}: rms ${rms(values)}`).toBeLessThan(0.08);
      expect(Math.abs(mean(values)), where).toBeLessThan(std / 10);
    }
    // Both phases add the same draw to the fakes; the reals get their own.
    expect(noise.onFakeInGeneratorPhase).toEqual(noise.onFakeInDiscriminatorPhase);
    const correlation = mean(noise.onReal.map((v, i) => v * noise.onFakeInDiscriminatorPhase[i]!)) / (rms(noise.onReal) * rms(noise.onFakeInDiscriminatorPhase));
    expect(Math.abs(correlation)).toBeLessThan(0.1);
  });

  it('refuses to start without the run length it anneals over (it would be off from the first step)', () => {
    const config = resolveTrainingConfig({ preset: 'tiny', instanceNoise: 0.4 });
    const [generator, discriminator] = [buildGenerator(config), buildDiscriminator(config)];
    expect(() => createGanStep({ generator, discriminator, config })).toThrow(/expected the run's length in steps \(totalSteps\) to anneal 0.4 to 0 over, got none/);
    generator.dispose();
    discriminator.dispose();
  });

  it('is gone at the last step: D sees the batches as they are', async () => {
    const noise = await noiseSeenAt(totalSteps);
    for (const values of Object.values(noise)) expect(Math.max(...values.map(Math.abs))).toBe(0);
  });
});
