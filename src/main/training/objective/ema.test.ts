/** The EMA generator's update and standing statistics, then the average it holds after 1,000 real steps. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GeneratorEma } from './ema';
import { probeGan } from './probe-gan';

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

  it("refreshes BatchNorm's moving statistics to the mean of the copy's own batch statistics (standing statistics)", () => {
    const ema = new GeneratorEma(net(), net(), 0.9);
    const kernel = [
      [1, -2],
      [0.5, 3],
    ];
    ema.model.layers[0]!.setWeights([tf.tensor2d(kernel)]);
    const passes = 3;
    const batchSize = 5;
    const seed = 11;
    // By hand: pass k draws z ~ N(0, 1) [5, 2] with seed 11 + k; h = z·W; per channel the batch
    // mean and the biased variance (what tf.moments gives); the moving value is their average.
    const expectedMean = [0, 0];
    const expectedVariance = [0, 0];
    for (let k = 1; k <= passes; k++) {
      const z = tf.randomNormal([batchSize, 2], 0, 1, 'float32', seed + k).arraySync() as number[][];
      for (let c = 0; c < 2; c++) {
        const h = z.map((row) => row[0]! * kernel[0]![c]! + row[1]! * kernel[1]![c]!);
        const mean = h.reduce((a, b) => a + b, 0) / batchSize;
        const variance = h.reduce((a, b) => a + (b - mean) ** 2, 0) / batchSize;
        expectedMean[c]! += mean / passes;
        expectedVariance[c]! += variance / passes;
      }
    }
    const beforeTrainable = ema.model.getWeights().slice(0, 3).map((w) => [...w.dataSync()]);
    ema.refreshBatchNormStatistics({ passes, batchSize, seed });
    const [, , , movingMean, movingVariance] = ema.model.getWeights().map((w) => [...w.dataSync()]);
    movingMean!.forEach((m, c) => expect(m).toBeCloseTo(expectedMean[c]!, 5));
    movingVariance!.forEach((v, c) => expect(v).toBeCloseTo(expectedVariance[c]!, 5));
    // Only the statistics change, and the layer's own momentum is back (tf's default 0.99).
    expect(ema.model.getWeights().slice(0, 3).map((w) => [...w.dataSync()])).toEqual(beforeTrainable);
    expect((ema.model.layers[1] as unknown as { momentum: number }).momentum).toBe(0.99);
  });

  it('refuses a copy of another architecture and a decay outside [0, 1)', () => {
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3 })] });
    expect(() => new GeneratorEma(net(), other, 0.9)).toThrow(/architecture/);
    expect(() => new GeneratorEma(net(), net(), 1)).toThrow(/expected a decay in \[0, 1\), got 1/);
  });
});

/**
 * The long case in the real step: 1,000 steps of the probe GAN with EMA 0.99.
 * After every step G's weights are read and the average is worked out in
 * plain JS (float64) with d = min(0.99, (1 + t)/(10 + t)), so the warm-up
 * (d < 0.99 until step 890) and the plain decay are both covered; the step's
 * EMA generator must hold that average, not G's latest weights nor a stale copy.
 */
describe('the EMA generator in the step', () => {
  it('holds the warmed-up average of G over 1,000 steps, updated at every step', async () => {
    const gan = probeGan({ recipes: { emaDecay: 0.99, generatorLearningRate: 1e-3 }, shape: [2, 4, 4, 1] });
    const ema = gan.gan.ema!;
    const weightsOf = (model: tf.LayersModel) => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    let expected = weightsOf(gan.generator);
    const farthest = (values: number[], from: number[]) => Math.max(...values.map((v, i) => Math.abs(v - from[i]!)));
    for (let step = 1; step <= 1000; step += 1) {
      await gan.step(step);
      const d = Math.min(0.99, (1 + step) / (10 + step));
      const live = weightsOf(gan.generator);
      expected = expected.map((average, i) => d * average + (1 - d) * live[i]!);
      if ([1, 2, 10, 100, 500, 1000].includes(step)) {
        const held = weightsOf(ema.model);
        expect(farthest(held, expected), `step ${step}`).toBeLessThan(2e-5);
        // Not G itself: the average lags behind the live weights.
        if (step >= 100) expect(farthest(held, live), `step ${step}`).toBeGreaterThan(1e-2);
      }
    }
    gan.dispose();
  });
});
