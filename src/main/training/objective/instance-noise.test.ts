import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { addInstanceNoise, instanceNoiseStd } from './instance-noise';

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
