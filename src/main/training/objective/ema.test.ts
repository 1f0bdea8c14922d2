import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GeneratorEma } from './ema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const net = () =>
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, useBias: false }), tf.layers.batchNormalization()] });

describe('EMA generator', () => {
  it('warms its decay up: min(decay, (1 + t) / (10 + t))', () => {
    const ema = new GeneratorEma(net(), net(), 0.999);
    expect(ema.decayAt(1)).toBeCloseTo(2 / 11, 12);
    expect(ema.decayAt(90)).toBeCloseTo(91 / 100, 12);
    expect(ema.decayAt(100000)).toBe(0.999);
  });

  it('starts equal to G, then ema ← d·ema + (1 − d)·G for trainable weights; BatchNorm statistics are copied', () => {
    const generator = net();
    // Past the warm-up (step 1000), d is the decay itself: 0.9.
    const ema = new GeneratorEma(generator, net(), 0.9);
    const start = generator.getWeights().map((w) => [...w.dataSync()]);
    expect(ema.model.getWeights().map((w) => [...w.dataSync()])).toEqual(start);

    // Move G: kernel to all 1, BatchNorm gamma 2, beta 0, moving mean 5, moving variance 7.
    generator.layers[0]!.setWeights([tf.ones([2, 2])]);
    generator.layers[1]!.setWeights([tf.fill([2], 2), tf.zeros([2]), tf.fill([2], 5), tf.fill([2], 7)]);
    ema.update(1000);
    const [kernel, gamma, beta, movingMean, movingVariance] = ema.model.getWeights().map((w) => [...w.dataSync()]);
    start[0]!.forEach((w0, i) => expect(kernel![i]).toBeCloseTo(0.9 * w0 + 0.1 * 1, 6));
    expect(gamma).toEqual([expect.closeTo(0.9 * 1 + 0.1 * 2, 6), expect.closeTo(1.1, 6)]);
    expect(beta).toEqual([0, 0]);
    expect(movingMean).toEqual([5, 5]);
    expect(movingVariance).toEqual([7, 7]);
    ema.update(1001);
    expect(ema.model.getWeights()[1]!.dataSync()[0]).toBeCloseTo(0.9 * 1.1 + 0.1 * 2, 6);
  });

  it('refuses a copy of another architecture and a decay outside [0, 1)', () => {
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3 })] });
    expect(() => new GeneratorEma(net(), other, 0.9)).toThrow(/architecture/);
    expect(() => new GeneratorEma(net(), net(), 1)).toThrow(/expected a decay in \[0, 1\), got 1/);
  });
});
