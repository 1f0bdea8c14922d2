import { describe, expect, it } from 'vitest';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';
import { epochSeries, runFigures, smooth, smoothingWeight, stepSeries } from './run-metrics';

const step = (n: number, epoch: number, ms = 100): StepMetrics => ({
  step: n,
  epoch,
  gen_loss: n,
  disc_loss: 1,
  real_accuracy: 0.5,
  fake_accuracy: 0.25,
  ms,
});

describe('smooth', () => {
  it('keeps a constant series constant from the first point (bias-corrected)', () => {
    const out = smooth([[1, 2], [2, 2], [3, 2]]);
    for (const [, y] of out) expect(y).toBeCloseTo(2, 10);
  });

  it('decays per step, so a gap of k steps weighs like k single steps', () => {
    const dense = smooth([[1, 0], [2, 0], [3, 0], [4, 10]], 0.5);
    const sparse = smooth([[1, 0], [3, 0], [4, 10]], 0.5);
    expect(sparse.at(-1)![1]).toBeCloseTo(dense.at(-1)![1], 12);
    // The window follows the steps covered (30,001), not the points sent (301): a point every 100 steps, a jump at 15,001.
    const sparse100: [number, number][] = Array.from({ length: 301 }, (_, i) => [1 + 100 * i, i < 150 ? 0 : 1]);
    const afterJump = (points: [number, number][]): number => points[150]![1];
    expect(afterJump(smooth(sparse100))).toBeCloseTo(afterJump(smooth(sparse100, smoothingWeight(30_001))), 12);
    expect(afterJump(smooth(sparse100))).toBeCloseTo(1 - 0.99 ** 100, 2);
    expect(afterJump(smooth(sparse100, smoothingWeight(301)))).toBeGreaterThan(0.99);
  });

  it('lags behind a jump and passes NaN through without poisoning later points', () => {
    const out = smooth([[1, 0], [2, Number.NaN], [3, 10]], 0.5);
    expect(out[1]![1]).toBeNaN();
    expect(out[2]![1]).toBeGreaterThan(0);
    expect(out[2]![1]).toBeLessThan(10);
  });
});

describe('smoothingWeight', () => {
  it('remembers about ten points for short runs and n/300 for long ones', () => {
    expect(smoothingWeight(50)).toBeCloseTo(0.9, 10);
    expect(smoothingWeight(100_000)).toBeCloseTo(1 - 300 / 100_000, 10);
  });
});

describe('series', () => {
  it('pairs steps and epoch means with their global step', () => {
    expect(stepSeries([step(1, 1), step(2, 1)], 'gen_loss')).toEqual([[1, 1], [2, 2]]);
    const epoch: EpochMetrics = { epoch: 1, step: 5, gen_loss: 3, disc_loss: 1, real_accuracy: 1, fake_accuracy: 0, images_per_second: 10, seconds: 2 };
    expect(epochSeries([epoch], 'gen_loss')).toEqual([[5, 3]]);
  });
});

describe('runFigures', () => {
  it('estimates steps per epoch from the dataset before the first epoch ends', () => {
    const steps = [step(1, 1), step(2, 1), step(3, 1)];
    const figures = runFigures(steps, [], { batchSize: 10, totalEpochs: 2, datasetCount: 40 });
    expect(figures.stepsPerEpoch).toBe(4);
    // 8 steps in all, 3 done, 100 ms each.
    expect(figures.etaSeconds).toBeCloseTo(0.5, 6);
    expect(figures.imagesPerSecond).toBeCloseTo(100, 6);
    expect(figures.elapsedSeconds).toBeCloseTo(0.3, 6);
  });

  it('gives an honest ETA from the start: the warm-up step neither sets it nor swings it', () => {
    const warmup = step(1, 1, 3000);
    const options = { batchSize: 10, totalEpochs: 1, datasetCount: 1000 };
    // One step: no estimate yet (the page shows "—"), not 100 steps at 3 s.
    expect(runFigures([warmup], [], options).etaSeconds).toBeUndefined();
    // Three steps: 97 left at the steps' median, 100 ms (the mean would say 1.07 s a step).
    expect(runFigures([warmup, step(2, 1), step(3, 1)], [], options).etaSeconds).toBeCloseTo(9.7, 6);
  });

  it('uses finished epochs for steps per epoch, throughput and elapsed time', () => {
    const steps = [step(1, 1), step(2, 1), step(3, 1), step(4, 2)];
    const epochs: EpochMetrics[] = [
      { epoch: 1, step: 3, gen_loss: 1, disc_loss: 1, real_accuracy: 1, fake_accuracy: 1, images_per_second: 77, seconds: 5 },
    ];
    const figures = runFigures(steps, epochs, { batchSize: 10, totalEpochs: 3 });
    expect(figures.stepsPerEpoch).toBe(3);
    expect(figures.imagesPerSecond).toBe(77);
    expect(figures.elapsedSeconds).toBeCloseTo(5.1, 6);
    expect(figures.etaSeconds).toBeCloseTo(0.5, 6);
  });

  it("takes the time since the last epoch from the server when the steps are a downsample", () => {
    const epochs: EpochMetrics[] = [
      { epoch: 1, step: 3, gen_loss: 1, disc_loss: 1, real_accuracy: 1, fake_accuracy: 1, images_per_second: 77, seconds: 5 },
    ];
    const figures = runFigures([step(1, 1), step(900, 2)], epochs, { batchSize: 10, totalEpochs: 3, msSinceLastEpoch: 2500 });
    expect(figures.elapsedSeconds).toBeCloseTo(7.5, 6);
  });

  it('takes the time of every epoch from the server when the epochs are a downsample', () => {
    const epochs: EpochMetrics[] = [
      { epoch: 400, step: 1200, gen_loss: 1, disc_loss: 1, real_accuracy: 1, fake_accuracy: 1, images_per_second: 77, seconds: 5 },
    ];
    // 400 epochs of 5 s each, though only one record came: 2,000 s, plus the 2.5 s since.
    const figures = runFigures([step(1201, 401)], epochs, { batchSize: 10, totalEpochs: 500, msSinceLastEpoch: 2500, epochSeconds: 2000 });
    expect(figures.elapsedSeconds).toBeCloseTo(2002.5, 6);
  });

  it('has no ETA without steps', () => {
    expect(runFigures([], [], { batchSize: 10, totalEpochs: 3 }).etaSeconds).toBeUndefined();
  });
});
